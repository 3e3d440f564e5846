using System.Globalization;
using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>The figures' labels in French (the default), Dutch and English.</summary>
public sealed class StatisticsTexts(string language, RectecCatalogue catalogue, IReadOnlyDictionary<string, string> issuerNames)
{
    private static readonly Dictionary<string, Dictionary<string, string>> Words = new()
    {
        ["fr"] = new()
        {
            ["awarded"] = "Badges délivrés", ["revoked"] = "Badges révoqués", ["expired"] = "Badges expirés",
            ["claims"] = "Demandes par code", ["applications"] = "Candidatures", ["verifications"] = "Vérifications par des tiers",
            ["month"] = "par mois", ["competence"] = "par compétence", ["level"] = "par niveau", ["outcome"] = "par issue",
            ["issuer"] = "par émetteur", ["territory"] = "par territoire",
            ["other"] = "Hors référentiel", ["none"] = "Territoire non renseigné", ["level-n"] = "Niveau {0}",
            ["pending"] = "En attente", ["awarded-outcome"] = "Délivrées", ["rejected"] = "Refusées", ["info-requested"] = "Complément demandé",
            ["approved"] = "Acceptées", ["withdrawn"] = "Retirées",
            ["hidden"] = "masqué (moins de {0} personnes)", ["hidden-short"] = "masqué", ["total"] = "Total",
            ["incomplete"] = "Certaines valeurs sont masquées pour protéger les bénévoles (moins de {0} personnes) : les totaux affichés ne les comptent pas.",
            ["count"] = "Nombre", ["from-to"] = "{0} – {1}", ["desc-bar"] = "Diagramme en barres : {0}, {1}, de {2} à {3}.",
            ["desc-line"] = "Courbe : {0} par mois, de {1} à {2}.", ["no-data"] = "Aucune donnée pour cette période.",
        },
        ["nl"] = new()
        {
            ["awarded"] = "Uitgereikte badges", ["revoked"] = "Ingetrokken badges", ["expired"] = "Verlopen badges",
            ["claims"] = "Aanvragen met code", ["applications"] = "Kandidaturen", ["verifications"] = "Verificaties door derden",
            ["month"] = "per maand", ["competence"] = "per competentie", ["level"] = "per niveau", ["outcome"] = "per uitkomst",
            ["issuer"] = "per uitgever", ["territory"] = "per gebied",
            ["other"] = "Buiten het referentiekader", ["none"] = "Gebied niet opgegeven", ["level-n"] = "Niveau {0}",
            ["pending"] = "In behandeling", ["awarded-outcome"] = "Uitgereikt", ["rejected"] = "Geweigerd", ["info-requested"] = "Aanvulling gevraagd",
            ["approved"] = "Aanvaard", ["withdrawn"] = "Ingetrokken",
            ["hidden"] = "verborgen (minder dan {0} personen)", ["hidden-short"] = "verborgen", ["total"] = "Totaal",
            ["incomplete"] = "Sommige waarden zijn verborgen om vrijwilligers te beschermen (minder dan {0} personen): de getoonde totalen tellen ze niet mee.",
            ["count"] = "Aantal", ["from-to"] = "{0} – {1}", ["desc-bar"] = "Staafdiagram: {0}, {1}, van {2} tot {3}.",
            ["desc-line"] = "Lijngrafiek: {0} per maand, van {1} tot {2}.", ["no-data"] = "Geen gegevens voor deze periode.",
        },
        ["en"] = new()
        {
            ["awarded"] = "Badges awarded", ["revoked"] = "Badges revoked", ["expired"] = "Badges expired",
            ["claims"] = "Claims with a code", ["applications"] = "Applications", ["verifications"] = "Verifications by third parties",
            ["month"] = "by month", ["competence"] = "by competence", ["level"] = "by level", ["outcome"] = "by outcome",
            ["issuer"] = "by issuer", ["territory"] = "by territory",
            ["other"] = "Outside the framework", ["none"] = "Territory not given", ["level-n"] = "Level {0}",
            ["pending"] = "Pending", ["awarded-outcome"] = "Awarded", ["rejected"] = "Rejected", ["info-requested"] = "More information asked",
            ["approved"] = "Approved", ["withdrawn"] = "Withdrawn",
            ["hidden"] = "hidden (fewer than {0} people)", ["hidden-short"] = "hidden", ["total"] = "Total",
            ["incomplete"] = "Some values are hidden to protect volunteers (fewer than {0} people): the totals shown leave them out.",
            ["count"] = "Count", ["from-to"] = "{0} – {1}", ["desc-bar"] = "Bar chart: {0}, {1}, from {2} to {3}.",
            ["desc-line"] = "Line chart: {0} by month, from {1} to {2}.", ["no-data"] = "No data for this period.",
        },
    };

    public string Language { get; } = language;

    public string this[string word] => Words[Language][word];

    public string Format(string word, params object[] args) => string.Format(CultureInfo.InvariantCulture, this[word], args);

    public string Title(StatisticsQuery q) => $"{this[q.MeasureName]} {this[q.ByName]}";

    // The service runs with invariant globalization (no culture data): the few words it needs are here.
    private static readonly Dictionary<string, string[]> MonthNames = new()
    {
        ["fr"] = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
        ["nl"] = ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
        ["en"] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    };

    /// <summary>A month as people read it: "janv. 2026", "jan. 2026", "Jan 2026".</summary>
    public string Month(YearMonth m) => $"{MonthNames[Language][m.Month - 1]} {m.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A count with the language's digit grouping: 12 345 (a narrow no-break space), 12.345, 12,345.</summary>
    public string Number(long n)
    {
        var text = n.ToString("N0", CultureInfo.InvariantCulture);
        return Language switch { "fr" => text.Replace(",", "\u202F", StringComparison.Ordinal), "nl" => text.Replace(",", ".", StringComparison.Ordinal), _ => text };
    }

    public string Label(Breakdown by, string key) => by switch
    {
        _ when key == StatisticsFacts.Other => this[by == Breakdown.Territory ? "none" : "other"],
        Breakdown.Competence => catalogue.Badges.FirstOrDefault(b => b.Competency == key) is { } b
            ? b.CompetencyName.GetValueOrDefault(Language) ?? b.CompetencyName.GetValueOrDefault("fr") ?? b.CompetencyName[catalogue.DefaultLanguage] : key,
        Breakdown.Level => Format("level-n", key),
        Breakdown.Outcome => key == "awarded" ? this["awarded-outcome"] : Words[Language].GetValueOrDefault(key) ?? key,
        Breakdown.Issuer => issuerNames.GetValueOrDefault(key) ?? key,
        _ => key,
    };

    /// <summary>The order of the keys: the catalogue's competences and levels, outcomes as a process runs, names.</summary>
    public int Rank(Breakdown by, string key)
    {
        if (key == StatisticsFacts.Other) { return int.MaxValue; }
        return by switch
        {
            Breakdown.Competence => IndexOf(catalogue.Badges.Select(b => b.Competency).Distinct(), key),
            Breakdown.Level => int.TryParse(key, CultureInfo.InvariantCulture, out var n) ? n : 1000,
            Breakdown.Outcome => IndexOf(["pending", "info-requested", "approved", "awarded", "rejected", "withdrawn"], key),
            _ => 0,
        };
    }

    private static int IndexOf(IEnumerable<string> keys, string key)
    {
        var i = keys.TakeWhile(k => k != key).Count();
        return i;
    }
}
