using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Applications;

/// <summary>
/// An experience of a skills map as an application's evidence: copied once at submission (the staff
/// review what was sent), and made an Open Badges 2.0 Evidence object when the badge is awarded.
/// </summary>
public static class ExperienceEvidence
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The experience <paramref name="experienceId"/> of map <paramref name="mapId"/>, as it is now; null when the map has no such experience.</summary>
    public static async Task<ExperienceSnapshot?> SnapshotAsync(BadgesDbContext db, long mapId, string? experienceId, CancellationToken ct)
    {
        if (!Infrastructure.PublicIds.LooksValid(experienceId)) { return null; }
        var e = await db.SkillsMapExperiences.AsNoTracking().SingleOrDefaultAsync(x => x.PublicId == experienceId && x.MapId == mapId, ct);
        if (e is null) { return null; }
        var picks = await db.SkillsMapCompetences.AsNoTracking().Where(c => c.ExperienceId == e.Id).OrderBy(c => c.Position)
            .Select(c => new CompetencePick(c.CompetenceKey, c.Level, c.Example)).ToListAsync(ct);
        return new ExperienceSnapshot(e.PublicId, e.Association, e.Role, e.ContextWhat, e.ContextForWhom, e.StartedOn, e.EndedOn,
            e.DurationMonths, e.HoursPerMonth, e.Narrative, picks);
    }

    public static string Write(ExperienceSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Json);

    public static ExperienceSnapshot Read(string json) =>
        JsonSerializer.Deserialize<ExperienceSnapshot>(json, Json) ?? throw new InvalidOperationException("An application's evidence is empty.");

    /// <summary>
    /// The experience as one Evidence object (OB 2.0, "Evidence" class, ob_v2p0/index.md#Evidence): name
    /// ("a descriptive title"), description ("a longer description": context, period, hours), narrative
    /// (the volunteer's words and the competences they picked, Markdown) and genre ("the type of
    /// evidence"). No <c>id</c>: the spec's id is "the URI of a webpage presenting evidence", and a
    /// skills map is private (no public URL); the spec lets evidence "completely described within an
    /// Assertion" go without one. Written in the application's language (fr, nl or en).
    /// </summary>
    /// Competences are named as the catalogue names them in that language (the key when the catalogue
    /// has no such competence; its default language when a deployment's catalogue file lacks the language).
    public static Evidence ToEvidence(ExperienceSnapshot s, string locale, Core.Catalogue.RectecCatalogue catalogue)
    {
        var t = Labels.TryGetValue(locale, out var l) ? l : Labels["fr"];
        // French sets a (no-break) space before a colon; Dutch and English do not.
        var colon = locale == "fr" ? "\u00A0:" : ":";
        var description = new List<string>();
        if (s.ContextWhat is { Length: > 0 } what) { description.Add($"{t.What}{colon} {what}"); }
        if (s.ContextForWhom is { Length: > 0 } whom) { description.Add($"{t.ForWhom}{colon} {whom}"); }
        if (Period(s, t) is { } period) { description.Add($"{t.Period}{colon} {period}"); }
        if (s.HoursPerMonth is { } hours) { description.Add($"{t.Hours}{colon} {hours.ToString(CultureInfo.InvariantCulture)}"); }
        var narrative = new StringBuilder();
        if (s.Narrative is { Length: > 0 } words) { narrative.Append(words.Trim()); }
        if (s.Competences.Count > 0)
        {
            if (narrative.Length > 0) { narrative.Append("\n\n"); }
            narrative.Append(t.Competences).Append(colon);
            foreach (var c in s.Competences)
            {
                narrative.Append("\n- ").Append(CompetenceName(catalogue, c.Key, locale)).Append(" (").Append(t.Level).Append(' ').Append(c.Level.ToString(CultureInfo.InvariantCulture)).Append(')');
                if (c.Example is { Length: > 0 } example) { narrative.Append(colon).Append(' ').Append(example.ReplaceLineEndings(" ")); }
            }
        }
        return new Evidence
        {
            Name = $"{s.Association} – {s.Role}",
            Description = description.Count == 0 ? null : string.Join(". ", description) + ".",
            Narrative = narrative.Length == 0 ? null : narrative.ToString(),
            Genre = t.Genre,
        };
    }

    private static string CompetenceName(Core.Catalogue.RectecCatalogue catalogue, string key, string locale) =>
        catalogue.Badges.FirstOrDefault(b => b.Competency == key)?.CompetencyName is { } names
            ? names.TryGetValue(locale, out var name) ? name : names[catalogue.DefaultLanguage]
            : key;

    private static string? Period(ExperienceSnapshot s, Words t) =>
        s.StartedOn is { } start
            ? $"{start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} – {(s.EndedOn is { } end ? end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.Ongoing)}"
            : s.DurationMonths is { } months ? $"{months.ToString(CultureInfo.InvariantCulture)} {t.Months}" : null;

    private sealed record Words(string What, string ForWhom, string Period, string Hours, string Months, string Ongoing, string Competences, string Level, string Genre);

    private static readonly Dictionary<string, Words> Labels = new()
    {
        ["fr"] = new("Ce que j'ai fait", "Pour qui", "Période", "Heures par mois", "mois", "en cours", "Compétences développées", "niveau", "Expérience bénévole"),
        ["nl"] = new("Wat ik deed", "Voor wie", "Periode", "Uren per maand", "maanden", "lopend", "Ontwikkelde competenties", "niveau", "Vrijwilligerservaring"),
        ["en"] = new("What I did", "For whom", "Period", "Hours per month", "months", "ongoing", "Competences developed", "level", "Volunteering experience"),
    };
}
