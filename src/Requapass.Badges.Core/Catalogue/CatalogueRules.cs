namespace Requapass.Badges.Core.Catalogue;

/// <summary>
/// What a catalogue file must hold before any of it is written to a badge class: every text in
/// every language it declares, a level name for every level, unique codes. A file that fails here
/// stops the start instead of seeding half-translated classes.
/// </summary>
internal static class CatalogueRules
{
    public static IEnumerable<string> Check(RectecCatalogue c)
    {
        // The deserializer leaves missing members null despite the annotations.
        if (string.IsNullOrWhiteSpace(c.Version)) { yield return "version is missing"; }
        if (c.Languages is not { Count: > 0 }) { yield return "languages is missing"; yield break; }
        if (c.Badges is not { Count: > 0 }) { yield return "badges is missing"; yield break; }
        if (c.Framework?.Name is not { Length: > 0 }) { yield return "framework.name is missing"; }
        if (!c.Languages.Contains(c.DefaultLanguage)) { yield return $"defaultLanguage '{c.DefaultLanguage}' is not in languages"; }
        var maxLevel = c.Badges.Max(b => b.Level);
        foreach (var language in c.Languages)
        {
            if (c.LevelNames?.GetValueOrDefault(language) is not { } names || names.Count < maxLevel || names.Any(string.IsNullOrWhiteSpace))
            {
                yield return $"levelNames.{language} must name levels 1 to {maxLevel}";
            }
        }
        foreach (var code in c.Badges.GroupBy(b => b.Code).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return $"code {code} appears more than once";
        }
        foreach (var b in c.Badges)
        {
            if (string.IsNullOrWhiteSpace(b.Code) || b.Alignment is null) { yield return $"a badge lacks its code or alignment"; continue; }
            if (b.Level < 1) { yield return $"{b.Code}: level must be 1 or more"; }
            foreach (var language in c.Languages)
            {
                if (Missing(b.CompetencyName, language) || Missing(b.Name, language) || Missing(b.Description, language)
                    || b.Criteria?.GetValueOrDefault(language) is not { Count: > 0 })
                {
                    yield return $"{b.Code}: a text is missing in '{language}'";
                }
            }
        }
    }

    private static bool Missing(IReadOnlyDictionary<string, string>? texts, string language) =>
        string.IsNullOrWhiteSpace(texts?.GetValueOrDefault(language));
}
