using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>A text and the language it is in: a reader is told when a text is in the catalogue's default language instead of theirs.</summary>
public sealed record LocalizedText(string Text, string Language);

public sealed record CompetenceLevelGuide(int Level, LocalizedText Name, LocalizedText Description, IReadOnlyList<LocalizedText> Criteria);

public sealed record CompetenceGuide(string Key, LocalizedText Name, IReadOnlyList<CompetenceLevelGuide> Levels);

public sealed record CompetenceGuideResponse(string Language, string Framework, string Version, IReadOnlyList<CompetenceGuide> Competences);

/// <summary>
/// The RECTEC+ competences a volunteer picks from (the catalogue's competency keys), with each
/// level's description and criteria to help choose. The shipped catalogue has French, Dutch and English;
/// a language a deployment's own catalogue file (Catalogue:File) lacks falls back to its default language,
/// and every text says which language it is in.
/// </summary>
public static class SkillsMapCompetences
{
    public static bool Exists(RectecCatalogue catalogue, string key) => catalogue.Badges.Any(b => b.Competency == key);

    public static LocalizedText Text(RectecCatalogue catalogue, IReadOnlyDictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var text) ? new(text, language) : new(texts[catalogue.DefaultLanguage], catalogue.DefaultLanguage);

    public static LocalizedText Name(RectecCatalogue catalogue, string key, string language) =>
        catalogue.Badges.FirstOrDefault(b => b.Competency == key) is { } b ? Text(catalogue, b.CompetencyName, language) : new(key, language);

    public static LocalizedText LevelName(RectecCatalogue catalogue, int level, string language) =>
        catalogue.LevelNames.TryGetValue(language, out var names) ? new(names[level - 1], language)
            : new(catalogue.LevelNames[catalogue.DefaultLanguage][level - 1], catalogue.DefaultLanguage);

    public static CompetenceGuideResponse Guide(RectecCatalogue catalogue, string language) => new(
        language, catalogue.Framework.Name, catalogue.Version,
        [.. catalogue.Badges.GroupBy(b => b.Competency).Select(g => new CompetenceGuide(
            g.Key, Text(catalogue, g.First().CompetencyName, language),
            [.. g.OrderBy(b => b.Level).Select(b => new CompetenceLevelGuide(
                b.Level, LevelName(catalogue, b.Level, language), Text(catalogue, b.Description, language),
                b.Criteria.TryGetValue(language, out var criteria)
                    ? [.. criteria.Select(c => new LocalizedText(c, language))]
                    : [.. b.Criteria[catalogue.DefaultLanguage].Select(c => new LocalizedText(c, catalogue.DefaultLanguage))]))]))]);
}
