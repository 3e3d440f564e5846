using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.BadgeClasses;

/// <summary>
/// The texts of a badge class that the catalogue writes: everything an issuer may edit except the
/// images. Their hash, stored on the class when the catalogue writes them, is how a later catalogue
/// version tells an untouched class (texts still hash to it) from one the issuer edited.
/// </summary>
public sealed record CatalogueTexts(
    string Language, string Name, string Description, string CriteriaNarrative, string? CriteriaUrl,
    string TagsJson, string AlignmentsJson, string TranslationsJson)
{
    /// <summary>The texts <paramref name="catalogue"/> gives <paramref name="b"/>, in its default language with the others as translations.</summary>
    public static CatalogueTexts From(RectecCatalogue catalogue, CatalogueBadge b)
    {
        var language = catalogue.DefaultLanguage;
        var translations = catalogue.Languages.Where(l => l != language).ToDictionary(
            l => l, l => new BadgeTranslation(b.Name[l], b.Description[l], b.CriteriaNarrative(l)));
        AlignmentObject[] alignment =
        [
            new AlignmentObject
            {
                TargetName = b.Alignment.TargetName,
                TargetUrl = CatalogueCopy.FrameworkTargetPath(b.Code),
                TargetDescription = b.Description[language],
                TargetFramework = b.Alignment.TargetFramework,
                TargetCode = b.Alignment.TargetCode,
            },
        ];
        return new CatalogueTexts(language, b.Name[language], b.Description[language], b.CriteriaNarrative(language), null,
            BadgeClassJson.Write(catalogue.Tags(b, language)), BadgeClassJson.Write(alignment), BadgeClassJson.Write(translations));
    }

    /// <summary>The texts a class holds now.</summary>
    public static CatalogueTexts Of(BadgeClassEntity e) =>
        new(e.Language, e.Name, e.Description, e.CriteriaNarrative, e.CriteriaUrl, e.TagsJson, e.AlignmentsJson, e.TranslationsJson);

    /// <summary>SHA-256 over the fields as a JSON array, so no two different sets of texts run together.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(
        new[] { Language, Name, Description, CriteriaNarrative, CriteriaUrl, TagsJson, AlignmentsJson, TranslationsJson }))));

    /// <summary>Writes the texts to a class and records their hash as what the catalogue last wrote.</summary>
    public void WriteTo(BadgeClassEntity e)
    {
        (e.Language, e.Name, e.Description, e.CriteriaNarrative, e.CriteriaUrl) = (Language, Name, Description, CriteriaNarrative, CriteriaUrl);
        (e.TagsJson, e.AlignmentsJson, e.TranslationsJson) = (TagsJson, AlignmentsJson, TranslationsJson);
        e.CatalogueTextsHash = Hash();
    }

    /// <summary>The hash of every text a catalogue writes, in file order: the catalogue's content version.</summary>
    public static string ContentHash(RectecCatalogue catalogue) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join("\n", catalogue.Badges.Select(b => $"{b.Code} {From(catalogue, b).Hash()}")))));
}
