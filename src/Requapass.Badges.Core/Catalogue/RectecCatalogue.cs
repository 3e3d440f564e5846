using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.Catalogue;

/// <summary>
/// The REQUAPASS seed catalogue: 8 RECTEC+ competences x 4 levels, in French first with English.
/// The file is the project's own (Catalogue/rectec-catalogue.json), written from shared/rectec.
/// </summary>
public sealed record RectecCatalogue(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("defaultLanguage")] string DefaultLanguage,
    [property: JsonPropertyName("languages")] IReadOnlyList<string> Languages,
    [property: JsonPropertyName("framework")] CatalogueFramework Framework,
    [property: JsonPropertyName("badges")] IReadOnlyList<CatalogueBadge> Badges)
{
    private static readonly Lazy<RectecCatalogue> Embedded = new(LoadEmbedded);

    /// <summary>The catalogue shipped in this assembly.</summary>
    public static RectecCatalogue Load() => Embedded.Value;

    /// <summary>Finds an entry by its RECTEC+ code, e.g. COM-ORAL-N1.</summary>
    public CatalogueBadge? Find(string code) => Badges.FirstOrDefault(b => b.Code == code);

    private static RectecCatalogue LoadEmbedded()
    {
        using var stream = typeof(RectecCatalogue).Assembly
            .GetManifestResourceStream("Requapass.Badges.Core.Catalogue.rectec-catalogue.json")
            ?? throw new InvalidOperationException("The embedded RECTEC+ catalogue is missing.");
        return JsonSerializer.Deserialize<RectecCatalogue>(stream)
            ?? throw new InvalidOperationException("The embedded RECTEC+ catalogue is empty.");
    }
}

/// <summary>The framework the catalogue aligns to.</summary>
public sealed record CatalogueFramework(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] IReadOnlyDictionary<string, string> Description);

/// <summary>One badge class of the catalogue: a competence at a level.</summary>
public sealed record CatalogueBadge(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("competency")] string Competency,
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("competencyName")] IReadOnlyDictionary<string, string> CompetencyName,
    [property: JsonPropertyName("name")] IReadOnlyDictionary<string, string> Name,
    [property: JsonPropertyName("description")] IReadOnlyDictionary<string, string> Description,
    [property: JsonPropertyName("criteria")] IReadOnlyDictionary<string, IReadOnlyList<string>> Criteria,
    [property: JsonPropertyName("alignment")] CatalogueAlignment Alignment)
{
    /// <summary>The criteria of one language as an OB 2.0 Markdown narrative (a bulleted list).</summary>
    public string CriteriaNarrative(string language) =>
        string.Join("\n", Criteria[language].Select(c => "- " + c));

    /// <summary>Tags for the badge class, in the given language.</summary>
    public IReadOnlyList<string> Tags(string language) =>
        ["RECTEC+", "REQUAPASS", CompetencyName[language], language == "fr" ? $"Niveau {Level}" : $"Level {Level}"];
}

/// <summary>The alignment of a catalogue badge to RECTEC+.</summary>
public sealed record CatalogueAlignment(
    [property: JsonPropertyName("targetName")] string TargetName,
    [property: JsonPropertyName("targetFramework")] string TargetFramework,
    [property: JsonPropertyName("targetCode")] string TargetCode);
