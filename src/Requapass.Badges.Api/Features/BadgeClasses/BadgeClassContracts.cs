using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.RegularExpressions;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.BadgeClasses;

public sealed record CriteriaInput([property: MaxLength(Limits.Narrative)] string? Narrative, [property: MaxLength(Limits.Url)] string? Url);

public sealed record AlignmentInput(
    [property: MaxLength(Limits.Name)] string? TargetName, [property: MaxLength(Limits.Url)] string? TargetUrl, [property: MaxLength(Limits.Description)] string? TargetDescription,
    [property: MaxLength(Limits.Name)] string? TargetFramework, [property: MaxLength(Limits.Code)] string? TargetCode);

/// <summary>The texts of a badge class in another language.</summary>
public sealed record BadgeTranslation([property: MaxLength(Limits.Name)] string Name, [property: MaxLength(Limits.Description)] string Description, [property: MaxLength(Limits.Narrative)] string? CriteriaNarrative);

/// <summary>
/// Create or replace a badge class. <c>image</c> is a PNG/SVG data: URI, required on create (a
/// BadgeClass must have an image, OB 2.0 "BadgeClass"); on update it replaces the image of its kind.
/// </summary>
public sealed record BadgeClassRequest(
    [property: MaxLength(Limits.Name)] string? Name, [property: MaxLength(Limits.Description)] string? Description, [property: MaxLength(Limits.ImageDataUri)] string? Image, CriteriaInput? Criteria,
    [property: MaxLength(Limits.Alignments)] IReadOnlyList<AlignmentInput>? Alignment, [property: MaxLength(Limits.Tags)] IReadOnlyList<string>? Tags, [property: MaxLength(Limits.Language)] string? Language,
    [property: MaxLength(Limits.Translations)] IReadOnlyDictionary<string, BadgeTranslation>? Translations,
    [property: MaxLength(Limits.Code), System.ComponentModel.Description("For a class with a RECTEC+ level (a catalogue class): advisory (the default: the level below is only shown) or strict (the level below must be held first). Omitted on update: unchanged.")] string? LevelRule = null);

public sealed record BadgeClassResponse(
    string Id, string OpenBadgesId, string IssuerId, string Language, string Name, string Description,
    CriteriaInput Criteria, IReadOnlyList<AlignmentObject> Alignment, IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, BadgeTranslation> Translations, string? CatalogueCode, string ImageUrl,
    IReadOnlyList<string> ImageFormats, bool Archived, DateTime? ArchivedAt, DateTime CreatedAt, DateTime UpdatedAt, string LevelRule)
{
    public static BadgeClassResponse From(BadgeClassEntity e, string issuerPublicId, PublicUrls urls) => new(
        e.PublicId, urls.Badge(e.PublicId), issuerPublicId, e.Language, e.Name, e.Description,
        new CriteriaInput(e.CriteriaNarrative, e.CriteriaUrl ?? urls.BadgeCriteria(e.PublicId)),
        // Catalogue alignments are stored site-relative; answered absolute, as the documents publish them.
        [.. BadgeClassJson.Alignments(e.AlignmentsJson).Select(a => a.TargetUrl.StartsWith('/') ? a with { TargetUrl = urls.Base + a.TargetUrl } : a)],
        BadgeClassJson.Tags(e.TagsJson), BadgeClassJson.Translations(e.TranslationsJson),
        e.CatalogueCode, urls.BadgeImage(e.PublicId),
        [.. new[] { e.PngImageId is null ? null : "png", e.SvgImageId is null ? null : "svg" }.OfType<string>()],
        e.ArchivedAt is not null, e.ArchivedAt, e.CreatedAt, e.UpdatedAt, e.LevelRule.Name());
}

/// <summary>The JSON columns of a badge class, read and written one way.</summary>
public static class BadgeClassJson
{
    public static IReadOnlyList<AlignmentObject> Alignments(string json) =>
        JsonSerializer.Deserialize<List<AlignmentObject>>(json, ObJson.Options) ?? [];

    public static IReadOnlyList<string> Tags(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static IReadOnlyDictionary<string, BadgeTranslation> Translations(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, BadgeTranslation>>(json, ObJson.Options) ?? [];

    public static string Write<T>(T value) => ObJson.ToJson(value);
}

public static partial class BadgeClassValidation
{
    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();

    public static bool IsLanguage(string? value) => value is not null && LanguageTag().IsMatch(value);

    /// <summary>The request's checks; <paramref name="catalogueCode"/>: the class's, on update (a new class has none).</summary>
    public static void Check(BadgeClassRequest r, ValidationErrors errors, string? catalogueCode = null)
    {
        var rule = LevelRules.Parse(r.LevelRule);
        if (r.LevelRule is not null && rule is null)
        {
            errors.Add("levelRule", "levelRule must be advisory or strict.");
        }
        else if (rule == Requapass.Badges.Core.Catalogue.LevelRule.Strict && catalogueCode is null)
        {
            // A class has a level only through its RECTEC+ catalogue code (issue #13): without one there is no level below.
            errors.Add("levelRule", "levelRule strict applies to classes with a RECTEC+ level (the catalogue's classes); this class has none.");
        }
        errors.Required("name", r.Name);
        errors.Required("description", r.Description);
        if (r.Criteria is null || (string.IsNullOrWhiteSpace(r.Criteria.Narrative) && string.IsNullOrWhiteSpace(r.Criteria.Url)))
        {
            errors.Add("criteria", "criteria needs a narrative, a url, or both.");
        }
        else
        {
            errors.HttpUrl("criteria.url", r.Criteria.Url, required: false);
        }
        if (r.Language is not null && !IsLanguage(r.Language))
        {
            errors.Add("language", "language must be a BCP 47 tag such as fr, en or nl-BE.");
        }
        for (var i = 0; i < (r.Alignment?.Count ?? 0); i++)
        {
            var a = r.Alignment![i];
            errors.Required($"alignment[{i}].targetName", a.TargetName);
            // targetUrl is required by OB 2.0 ("AlignmentObject").
            errors.HttpUrl($"alignment[{i}].targetUrl", a.TargetUrl);
        }
        if (r.Tags is { } tags && tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > Limits.Tag))
        {
            errors.Add("tags", $"tags must be non-empty strings of at most {Limits.Tag} characters.");
        }
        foreach (var (language, t) in r.Translations ?? new Dictionary<string, BadgeTranslation>())
        {
            if (!IsLanguage(language)) { errors.Add("translations", $"'{language}' is not a BCP 47 language tag."); }
            if (string.IsNullOrWhiteSpace(t?.Name) || string.IsNullOrWhiteSpace(t.Description))
            {
                errors.Add($"translations.{language}", "A translation needs a name and a description.");
            }
        }
    }

    public static IReadOnlyList<AlignmentObject> Alignments(BadgeClassRequest r) =>
        [.. (r.Alignment ?? []).Select(a => new AlignmentObject
        {
            TargetName = a.TargetName!.Trim(),
            TargetUrl = a.TargetUrl!.Trim(),
            TargetDescription = a.TargetDescription,
            TargetFramework = a.TargetFramework,
            TargetCode = a.TargetCode,
        })];
}
