using System.Text.Json;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// Every string the pages show that is not the badge's own content, from one resource set: one
/// embedded JSON file per language (Texts/fr.json, nl.json, en.json). The files must hold the same
/// keys: loading them throws otherwise (on the first page served), and a test loads them and checks
/// that every key the templates use is in each, so a missing text fails the build's tests rather than
/// showing a blank on a page.
/// </summary>
public sealed class PageTexts
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _byLanguage;

    public PageTexts()
    {
        _byLanguage = PageLanguages.All.ToDictionary(l => l, Load);
        var reference = _byLanguage[PageLanguages.Default].Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (language, texts) in _byLanguage)
        {
            if (!texts.Keys.ToHashSet(StringComparer.Ordinal).SetEquals(reference))
            {
                var differ = reference.Except(texts.Keys).Concat(texts.Keys.Except(reference));
                throw new InvalidOperationException($"The page texts of '{language}' do not have the same keys as '{PageLanguages.Default}': {string.Join(", ", differ)}.");
            }
        }
    }

    /// <summary>The texts of a page language.</summary>
    public IReadOnlyDictionary<string, string> For(string language) => _byLanguage[language];

    /// <summary>A date as the pages write it (<c>12 mars 2026</c>, <c>1er mai 2026</c>): month names come from the texts, since the service runs with invariant globalization.</summary>
    public string Date(string language, DateTime utc) =>
        $"{(utc.Day == 1 ? For(language)["day_first"] : utc.Day.ToString(System.Globalization.CultureInfo.InvariantCulture))} {For(language)[$"month_{utc.Month}"]} {utc.Year}";

    /// <summary>
    /// An experience's period as people write it ("du 1er septembre 2024 au 30 juin 2025, 10 mois"),
    /// for the skills map's page and its PDF alike; null when neither dates nor duration are known.
    /// </summary>
    public string? Period(string language, DateOnly? start, DateOnly? end, int? months)
    {
        var t = For(language);
        string Day(DateOnly d) => Date(language, d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var when = start is { } s ? end is { } e ? $"{t["map_from"]} {Day(s)} {t["map_to"]} {Day(e)}" : $"{t["map_since"]} {Day(s)}" : null;
        return months is { } m ? (when is null ? "" : when + ", ") + $"{m.ToString(System.Globalization.CultureInfo.InvariantCulture)} {t["map_months"]}" : when;
    }

    private static IReadOnlyDictionary<string, string> Load(string language)
    {
        using var stream = typeof(PageTexts).Assembly.GetManifestResourceStream($"Pages.Texts.{language}.json")
            ?? throw new InvalidOperationException($"The page texts for '{language}' are missing.");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"The page texts for '{language}' are empty.");
    }
}
