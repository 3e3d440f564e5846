using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>The columns a hosted Profile needs (one query).</summary>
/// <remarks><paramref name="Endorsements"/>: the public ids of its endorsements not revoked (set by DocumentRows).</remarks>
public sealed record IssuerRow(string PublicId, string Name, string Url, string Email, string? Telephone, string? Description, bool HasImage, string? CurrentKeyId,
    IReadOnlyList<string>? Endorsements = null);

/// <summary>The columns a hosted BadgeClass needs, with its issuer's public id (one query).</summary>
public sealed record BadgeClassRow(
    string PublicId, string IssuerPublicId, string Language, string Name, string Description, string CriteriaNarrative,
    string? CriteriaUrl, string TagsJson, string AlignmentsJson, string TranslationsJson,
    string? CatalogueCode = null, Requapass.Badges.Core.Catalogue.LevelRule LevelRule = Requapass.Badges.Core.Catalogue.LevelRule.Advisory,
    IReadOnlyList<PathClass>? PathClasses = null, IReadOnlyList<string>? Endorsements = null);

/// <summary>A class with a catalogue code that a strict class's criteria may name as its prerequisite (public id, code).</summary>
public sealed record PathClass(string PublicId, string Code);

/// <summary>The columns a hosted Assertion needs, with its badge class's public id (one query).</summary>
public sealed record AssertionRow(
    string PublicId, string BadgeClassPublicId, string RecipientType, string RecipientHash, string RecipientSalt,
    DateTime IssuedOn, DateTime? Expires, string? Narrative, string? EvidenceJson, DateTime? RevokedAt, string? RevocationReason,
    VerificationType VerificationType, string? Uuid, string? Jws, string? SigningKeyPublicId, IReadOnlyList<string>? Endorsements = null)
{
    public bool IsSigned => VerificationType == VerificationType.Signed;

    /// <summary>
    /// The one place a row is made from an entity. EF Core calls it in a query's final projection,
    /// after fetching the assertion's columns and the two public ids in the same SQL command.
    /// </summary>
    public static AssertionRow From(AssertionEntity a, string badgeClassPublicId, string? signingKeyPublicId) => new(
        a.PublicId, badgeClassPublicId, a.RecipientType, a.RecipientHash, a.RecipientSalt, a.IssuedOn, a.Expires, a.Narrative,
        a.EvidenceJson, a.RevokedAt, a.RevocationReason, a.VerificationType, a.Uuid, a.Jws, signingKeyPublicId);
}

/// <summary>The columns a hosted Endorsement needs, with the endorser's public id (one query).</summary>
public sealed record EndorsementRow(
    string PublicId, string IssuerPublicId, EndorsementTarget TargetKind, string TargetPublicId, string Comment, DateTime IssuedOn,
    DateTime? RevokedAt, string? RevocationReason, string? TargetUuid = null)
{
    /// <summary>The endorsed document's URL, where it is served (the API's <c>target</c>).</summary>
    public string TargetUrl(PublicUrls urls) => TargetKind switch
    {
        EndorsementTarget.Issuer => urls.Issuer(TargetPublicId),
        EndorsementTarget.BadgeClass => urls.Badge(TargetPublicId),
        _ => urls.Assertion(TargetPublicId),
    };

    /// <summary>
    /// The claim's id (OB 2.0 EndorsementClaim: "the id of the entity being endorsed"): the endorsed
    /// document's own id, its URL for a hosted one, its urn:uuid for a signed assertion.
    /// </summary>
    public string ClaimId(PublicUrls urls) => TargetUuid is { } uuid ? "urn:uuid:" + uuid : TargetUrl(urls);
}

/// <summary>Builds the Open Badges 2.0 documents from stored rows; Core serialises them.</summary>
public sealed class ObDocuments(PublicUrls urls, Requapass.Badges.Core.Catalogue.RectecCatalogue catalogue)
{
    public Profile Profile(IssuerRow r) => new()
    {
        Id = urls.Issuer(r.PublicId),
        Name = r.Name,
        Url = r.Url,
        Email = r.Email,
        Telephone = r.Telephone,
        Description = r.Description,
        Image = r.HasImage ? urls.IssuerImage(r.PublicId) : null,
        // OB 2.0 "Profile": publicKey names the current key only; older keys stay published at their
        // own URLs (and in the JWKS) so that badges they signed keep verifying.
        PublicKey = r.CurrentKeyId is null ? null : urls.Key(r.CurrentKeyId),
        RevocationList = urls.RevocationList(r.PublicId),
        Endorsement = EndorsementUrls(r.Endorsements),
    };

    /// <summary>The class in its own language, or (with <paramref name="language"/>) one of its translations; null if there is none.</summary>
    public BadgeClass? BadgeClass(BadgeClassRow r, string? language = null)
    {
        var translations = BadgeClassJson.Translations(r.TranslationsJson);
        var versions = translations.Keys.Select(l => new RelatedBadge(urls.BadgeTranslation(r.PublicId, l), l))
            .Prepend(new RelatedBadge(urls.Badge(r.PublicId), r.Language)).ToList();
        string id = urls.Badge(r.PublicId), name = r.Name, description = r.Description, narrative = r.CriteriaNarrative;
        if (language is not null && language != r.Language)
        {
            if (!translations.TryGetValue(language, out var t)) { return null; }
            (id, name, description, narrative) = (urls.BadgeTranslation(r.PublicId, language), t.Name, t.Description, t.CriteriaNarrative ?? r.CriteriaNarrative);
        }
        var related = versions.Where(v => v.Id != id).ToList();
        var level = r.CatalogueCode is null ? null : catalogue.Find(r.CatalogueCode);
        var tags = BadgeClassJson.Tags(r.TagsJson);
        if (level is not null)
        {
            // Levels in order, within Open Badges 2.0. "related" is for other versions (translations) of this very
            // class (OB 2.0, BadgeClass: related, "Identifies related versions of the same BadgeClass"), so it is
            // not used for levels. What the spec allows: "tags" (BadgeClass: "A tag that describes the type of
            // achievement") carry the competence and the level as machine-readable words; the catalogue's
            // "alignment" (AlignmentObject: targetName, targetUrl, targetFramework, targetCode) already points
            // at the level's page in the RECTEC+ framework (/public/frameworks/rectec-plus/{code}), which links
            // the levels below and above; and a strict class says its prerequisite in its "criteria" narrative
            // (Criteria: narrative, "A narrative of what is needed to earn the badge"), with the URL of the
            // level N class.
            tags = [.. tags.Concat([$"rectec:competence:{level.Competency}", $"rectec:level:{level.Level}"]).Distinct()];
            if (r.LevelRule == Requapass.Badges.Core.Catalogue.LevelRule.Strict && level.Level > 1
                && catalogue.Badges.FirstOrDefault(b => b.Competency == level.Competency && b.Level == level.Level - 1) is { } below)
            {
                var prerequisite = r.PathClasses?.FirstOrDefault(c => c.Code == below.Code);
                var lang = catalogue.Languages.Contains(language ?? r.Language) ? language ?? r.Language : catalogue.DefaultLanguage;
                var line = (lang switch
                {
                    "en" => $"Prerequisite: {below.Name[lang]} ({below.Code}), held beforehand: ",
                    "nl" => $"Voorwaarde: {below.Name[lang]} ({below.Code}), vooraf behaald: ",
                    _ => $"Prérequis : {below.Name[lang]} ({below.Code}), obtenu au préalable : ",
                })
                    + (prerequisite is null ? urls.Base + "/public/frameworks/rectec-plus/" + below.Code : urls.Badge(prerequisite.PublicId));
                narrative = string.IsNullOrEmpty(narrative) ? line : narrative + "\n\n" + line;
            }
        }
        return new BadgeClass
        {
            Id = id,
            Language = language ?? r.Language,
            Name = name,
            Description = description,
            Image = urls.BadgeImage(r.PublicId),
            Criteria = new Criteria(r.CriteriaUrl ?? urls.BadgeCriteria(r.PublicId), string.IsNullOrEmpty(narrative) ? null : narrative),
            Issuer = urls.Issuer(r.IssuerPublicId),
            Alignment = NullIfEmpty(BadgeClassJson.Alignments(r.AlignmentsJson).Select(Resolve).ToList()),
            Tags = NullIfEmpty(tags),
            Related = NullIfEmpty(related),
            // Endorsed is the class itself (claim.id is its main URL); its translations list them too.
            Endorsement = EndorsementUrls(r.Endorsements),
        };
    }

    public Assertion Assertion(AssertionRow r) => new()
    {
        // OB 2.0 "SignedBadge": a signed assertion may use a urn:uuid id; it is verified by its JWS
        // against the key at verification.creator. A hosted one is verified by fetching its id.
        Id = r.IsSigned ? "urn:uuid:" + r.Uuid : urls.Assertion(r.PublicId),
        Recipient = new IdentityObject(r.RecipientType, true, r.RecipientSalt, r.RecipientHash),
        Badge = urls.Badge(r.BadgeClassPublicId),
        Verification = r.IsSigned
            ? new VerificationObject { Type = "SignedBadge", Creator = urls.Key(r.SigningKeyPublicId!) }
            : new VerificationObject { Type = "HostedBadge" },
        IssuedOn = new DateTimeOffset(r.IssuedOn, TimeSpan.Zero),
        Expires = r.Expires is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : null,
        // The baked image is made from the class image at request time (ARCHITECTURE.md, "Bake on the fly").
        Image = urls.AssertionImage(r.PublicId),
        Narrative = r.Narrative,
        Evidence = NullIfEmpty(AssertionJson.Evidence(r.EvidenceJson)),
        // Never on a signed assertion: its JSON is the payload signed at award time (endorsing one is refused).
        Endorsement = r.IsSigned ? null : EndorsementUrls(r.Endorsements),
    };

    /// <summary>Where the assertion is hosted: its id, or for a signed badge the URL that serves its JSON.</summary>
    public string AssertionUrl(AssertionRow r) => urls.Assertion(r.PublicId);

    /// <summary>What a baked image of the assertion carries (OB 2.0 Baking): its JWS when signed (made at award time), else its JSON.</summary>
    public string BakedPayload(AssertionRow r) => r.IsSigned ? r.Jws! : ObJson.ToJson(Assertion(r));

    public RevokedAssertion Revoked(AssertionRow r) =>
        new() { Id = r.IsSigned ? "urn:uuid:" + r.Uuid : urls.Assertion(r.PublicId), RevocationReason = r.RevocationReason };

    /// <summary>An Endorsement hosted here (OB 2.0 "Endorsement"), verified by fetching its id.</summary>
    public Endorsement Endorsement(EndorsementRow r) => new()
    {
        Id = urls.Endorsement(r.PublicId),
        Claim = new EndorsementClaim(r.ClaimId(urls), r.Comment),
        Issuer = urls.Issuer(r.IssuerPublicId),
        IssuedOn = new DateTimeOffset(r.IssuedOn, TimeSpan.Zero),
        Verification = new VerificationObject { Type = "HostedBadge" },
    };

    public RevokedEndorsement RevokedEndorsement(EndorsementRow r) => new() { Id = urls.Endorsement(r.PublicId), RevocationReason = r.RevocationReason };

    private IReadOnlyList<string>? EndorsementUrls(IReadOnlyList<string>? ids) => ids is null or { Count: 0 } ? null : [.. ids.Select(urls.Endorsement)];

    /// <summary>Catalogue alignments are stored site-relative so they follow the public base URL.</summary>
    private AlignmentObject Resolve(AlignmentObject a) =>
        a.TargetUrl.StartsWith('/') ? a with { TargetUrl = urls.Base + a.TargetUrl } : a;

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> list) => list.Count == 0 ? null : list;
}
