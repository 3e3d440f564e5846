using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.Catalogue;

/// <summary>
/// The REQUAPASS seed catalogue: RECTEC+ competences x levels, in the file's languages (its default
/// language first). The file is the project's own (Catalogue/rectec-catalogue.json), written from
/// shared/rectec; a deployment may point to another file of the same shape.
/// </summary>
public sealed record RectecCatalogue(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("defaultLanguage")] string DefaultLanguage,
    [property: JsonPropertyName("languages")] IReadOnlyList<string> Languages,
    [property: JsonPropertyName("levelNames")] IReadOnlyDictionary<string, IReadOnlyList<string>> LevelNames,
    [property: JsonPropertyName("framework")] CatalogueFramework Framework,
    [property: JsonPropertyName("badges")] IReadOnlyList<CatalogueBadge> Badges)
{
    private static readonly Lazy<RectecCatalogue> Embedded = new(LoadEmbedded);

    /// <summary>The catalogue shipped in this assembly.</summary>
    public static RectecCatalogue Load() => Embedded.Value;

    /// <summary>Reads and checks a catalogue file of the same shape as the embedded one.</summary>
    /// <exception cref="InvalidOperationException">The file is not a complete catalogue.</exception>
    public static RectecCatalogue LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    /// <summary>Finds an entry by its RECTEC+ code, e.g. COM-ORAL-N1.</summary>
    public CatalogueBadge? Find(string code) => Badges.FirstOrDefault(b => b.Code == code);

    /// <summary>The name the file gives a level in a language, e.g. "Niveau 2".</summary>
    public string LevelName(string language, int level) => LevelNames[language][level - 1];

    /// <summary>Tags for a badge class, in the given language.</summary>
    public IReadOnlyList<string> Tags(CatalogueBadge badge, string language) =>
        [Framework.Name, "REQUAPASS", badge.CompetencyName[language], LevelName(language, badge.Level)];

    private static RectecCatalogue LoadEmbedded()
    {
        using var stream = typeof(RectecCatalogue).Assembly
            .GetManifestResourceStream("Requapass.Badges.Core.Catalogue.rectec-catalogue.json")
            ?? throw new InvalidOperationException("The embedded RECTEC+ catalogue is missing.");
        return Parse(stream, "the embedded RECTEC+ catalogue");
    }

    private static RectecCatalogue Parse(Stream stream, string source)
    {
        RectecCatalogue? catalogue;
        try
        {
            catalogue = JsonSerializer.Deserialize<RectecCatalogue>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{source} is not valid catalogue JSON: {e.Message}", e);
        }
        if (catalogue is null) { throw new InvalidOperationException($"{source} is empty."); }
        var problems = CatalogueRules.Check(catalogue).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{source} is incomplete: {string.Join("; ", problems.Take(10))}");
        }
        return catalogue;
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
}

/// <summary>The alignment of a catalogue badge to RECTEC+.</summary>
public sealed record CatalogueAlignment(
    [property: JsonPropertyName("targetName")] string TargetName,
    [property: JsonPropertyName("targetFramework")] string TargetFramework,
    [property: JsonPropertyName("targetCode")] string TargetCode);
