using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Api.Features.OpenBadges3;

/// <summary>A published key: its public id and PEM.</summary>
public sealed record KeyRow(string PublicId, string PublicKeyPem);

/// <summary>
/// Builds the Open Badges 3.0 documents from the same rows as the 2.0 ones. The texts come from the
/// 2.0 BadgeClass that <see cref="ObDocuments"/> builds (criteria with its prerequisite line, tags,
/// alignments), so both versions say the same thing; the 2.0 documents are not touched.
/// </summary>
public sealed class Ob3Documents(PublicUrls urls, ObDocuments v2, Core.Catalogue.RectecCatalogue catalogue)
{
    /// <summary>The issuer as an OB 3.0 Profile; served alone (<paramref name="keys"/> given) it lists its keys as JWKs.</summary>
    public Profile Profile(IssuerRow r, IReadOnlyList<KeyRow>? keys = null) => new()
    {
        Context = keys is null ? null : Ob3Context.Credential,
        Id = urls.Ob3Issuer(r.PublicId),
        Name = r.Name,
        Url = r.Url,
        Email = r.Email,
        Phone = r.Telephone,
        Description = r.Description,
        Image = r.HasImage ? new Image(urls.IssuerImage(r.PublicId)) : null,
        // The 2.0 twin (Implementation Guide, "How to support both": "an otherIdentifier property ... may be
        // used to link to the 2.0 representation").
        OtherIdentifier = [new IdentifierEntry(urls.Issuer(r.PublicId), "identifier")],
        VerificationMethod = keys?.Select(k => new KeyEntry(KidUrl(k.PublicId), urls.Ob3Issuer(r.PublicId), Jwk(k))).ToList(),
    };

    /// <summary>The kid of the VC-JWTs a key signs: the URL that answers its JWK.</summary>
    public string KidUrl(string keyPublicId) => urls.KeyJwk(keyPublicId);

    /// <summary>The key as a JWK whose kid is the URL that serves it (the VC-JWT header's kid).</summary>
    public Jwk Jwk(KeyRow k)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(k.PublicKeyPem);
        var p = rsa.ExportParameters(false);
        return new Jwk("RSA", "sig", "RS256", urls.KeyJwk(k.PublicId), Base64Url.Encode(p.Modulus), Base64Url.Encode(p.Exponent));
    }

    /// <summary>
    /// The badge class as an OB 3.0 Achievement, in its own language or one of its translations; null if
    /// there is none. One Achievement per class, as in 2.0 (the README's "Open Badges 3.0" says why).
    /// </summary>
    public Achievement? Achievement(BadgeClassRow r, IssuerRow issuer, string? language = null, bool standalone = false)
    {
        var c = v2.BadgeClass(r, language);
        if (c is null) { return null; }
        var lang = c.Language ?? r.Language;
        var translations = BadgeClasses.BadgeClassJson.Translations(r.TranslationsJson).Keys.Prepend(r.Language).Distinct()
            .Where(l => l != lang)
            .Select(l => new Related { Type = ["Related"], Id = urls.Ob3Achievement(r.PublicId, l == r.Language ? null : l), InLanguage = l });
        return new Achievement
        {
            Context = standalone ? Ob3Context.Credential : null,
            Id = urls.Ob3Achievement(r.PublicId, lang == r.Language ? null : lang),
            // OB 3.0 AchievementType: a RECTEC+ class attests one level of one competence.
            AchievementType = r.CatalogueCode is not null && catalogue.Find(r.CatalogueCode) is not null ? "Competency" : "Badge",
            Creator = Profile(issuer),
            Name = c.Name,
            Description = c.Description,
            Criteria = new Criteria(c.Criteria.Id, c.Criteria.Narrative),
            Image = new Image(c.Image),
            HumanCode = r.CatalogueCode,
            InLanguage = lang,
            Alignment = c.Alignment?.Select(a => new Alignment
            {
                TargetName = a.TargetName, TargetUrl = a.TargetUrl, TargetDescription = a.TargetDescription,
                TargetFramework = a.TargetFramework, TargetCode = a.TargetCode,
            }).ToList(),
            Tag = c.Tags,
            // The 2.0 twin first, with the 2.0 type's full IRI (Implementation Guide, "How to support both OB 2.0
            // and OB 3.0 as an Issuer", the "related association" example), then the other languages.
            Related = [new Related { Type = ["Related", Ob3Context.V2BadgeClass], Id = c.Id, Version = "Open Badges v2p0" }, .. translations],
        };
    }

    /// <summary>
    /// The award as an OpenBadgeCredential. Its id is its own URL (/public/assertions/{id}/ob3), never the 2.0
    /// assertion's; the 2.0 assertion is its first evidence.
    /// </summary>
    public OpenBadgeCredential Credential(AssertionRow a, BadgeClassRow badge, IssuerRow issuer)
    {
        var achievement = Achievement(badge, issuer)!;
        // Implementation Guide, "How to support both": "an association to the original OB 2.0 Assertion may be
        // made using evidence", typed with the 2.0 Assertion IRI, so any displayer shows a link to it and a
        // verifier may check the original with OB 2.0 rules. Its id is the URL that serves the 2.0 JSON (for a
        // signed 2.0 assertion too, whose own id is a urn:uuid).
        var twin = new Evidence
        {
            Id = v2.AssertionUrl(a),
            Type = ["Evidence", Ob3Context.V2Assertion],
            Name = "Open Badges 2.0 assertion",
            Description = "The same award as an Open Badges 2.0 assertion.",
        };
        var evidence = AssertionJson.Evidence(a.EvidenceJson).Select(e => new Evidence
        {
            Id = e.Id, Narrative = e.Narrative, Name = e.Name, Description = e.Description, Genre = e.Genre, Audience = e.Audience,
        });
        return new OpenBadgeCredential
        {
            Id = urls.Ob3Credential(a.PublicId),
            Name = achievement.Name,
            Image = new Image(urls.AssertionImage(a.PublicId)),
            Issuer = Profile(issuer),
            ValidFrom = new DateTimeOffset(a.IssuedOn, TimeSpan.Zero),
            ValidUntil = a.Expires is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : null,
            AwardedDate = new DateTimeOffset(a.IssuedOn, TimeSpan.Zero),
            CredentialSubject = new AchievementSubject
            {
                Id = SubjectId(a.RecipientHash),
                // OB 3.0 "IdentityObject": the same IdentityHash ("sha256$" + hex of identity + salt) and salt
                // as the 2.0 recipient, so "Verify the Recipient Using an Identifier" matches the same address.
                Identifier = [new IdentityObject(a.RecipientHash, IdentityType(a.RecipientType), a.RecipientSalt)],
                Achievement = achievement,
                Narrative = a.Narrative,
            },
            Evidence = [twin, .. evidence],
            CredentialStatus = new CredentialStatus(urls.Ob3RevocationList(issuer.PublicId)),
        };
    }

    /// <summary>The issuer's OB 3.0 revocation list, from the same rows as its 2.0 RevocationList.</summary>
    public RevocationList RevocationList(string issuerPublicId, IEnumerable<(string PublicId, string? Reason)> revoked) => new()
    {
        Id = urls.Ob3RevocationList(issuerPublicId),
        Issuer = urls.Ob3Issuer(issuerPublicId),
        RevokedCredentials = [.. revoked.Select(r => new RevokedCredential(urls.Ob3Credential(r.PublicId), r.Reason))],
    };

    /// <summary>
    /// The JWT's sub must be credentialSubject.id (OB 3.0, "JWT Payload Format"), yet a volunteer has no DID
    /// or account URL. The id is an opaque urn:uuid made from the award's salted recipient hash: stable for
    /// this credential, different for each award (every award has a fresh salt), so it links nothing
    /// across badges and reveals nothing; the IdentityObject is what proves the recipient.
    /// </summary>
    public static string SubjectId(string recipientHash)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("requapass:ob3:subject:" + recipientHash)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>OB 2.0 recipient types to OB 3.0 IdentifierTypeEnum (an "ext:" name where it has none).</summary>
    private static string IdentityType(string v2Type) => v2Type switch
    {
        "email" => "emailAddress",
        "url" => "identifier",
        _ => "ext:" + v2Type,
    };
}
