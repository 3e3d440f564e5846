using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// How an award becomes an assertion, for every path that awards (a single award, a batch row): the
/// assertion built from a valid award, signed once when it is a signed badge, and the
/// <c>assertion.awarded</c> event written with it.
/// </summary>
public static class Awarding
{
    /// <summary>A hosted assertion for a valid award, with a fresh salt (one per assertion) and public id.</summary>
    public static AssertionEntity NewAssertion(ValidAward award, long badgeClassId, long issuerId, DateTimeOffset now)
    {
        var salt = RecipientIdentity.NewSalt();
        return new AssertionEntity
        {
            PublicId = PublicIds.New(),
            BadgeClassId = badgeClassId,
            IssuerId = issuerId,
            RecipientType = award.Recipient.TypeName,
            RecipientSalt = salt,
            RecipientHash = award.Recipient.Hash(salt),
            RecipientLookup = award.Recipient.LookupKey(),
            IssuedOn = award.IssuedOn.UtcDateTime,
            Expires = award.Expires?.UtcDateTime,
            Narrative = award.Narrative,
            EvidenceJson = award.Evidence.Count == 0 ? null : BadgeClassJson.Write(award.Evidence),
            CreatedAt = now.UtcDateTime,
            UpdatedAt = now.UtcDateTime,
        };
    }

    /// <summary>
    /// Makes <paramref name="assertion"/> a signed badge: a urn:uuid id, and the JWS computed once here
    /// and stored, since reads never sign (ARCHITECTURE.md, Award). Safe to call from several threads.
    /// </summary>
    public static void Sign(AssertionEntity assertion, SigningKeyEntity keyRow, SigningKey key, string badgeClassPublicId, ObDocuments documents)
    {
        (assertion.VerificationType, assertion.Uuid, assertion.SigningKey) = (VerificationType.Signed, Guid.NewGuid().ToString(), keyRow);
        var document = documents.Assertion(AssertionRow.From(assertion, badgeClassPublicId, keyRow.PublicId));
        assertion.Jws = Jws.Sign(ObJson.ToUtf8(document), key);
    }

    /// <summary>The assertion.awarded event of a stored (or about to be stored) assertion.</summary>
    public static OutboxEventEntity AwardedEvent(
        AssertionEntity a, string badgeClassPublicId, string issuerPublicId, PublicUrls urls, string? batchJobPublicId = null) =>
        Outbox.New(EventTypes.AssertionAwarded, a.IssuerId, a.PublicId, new
        {
            assertionId = a.PublicId,
            openBadgesId = VerificationTypes.OpenBadgesId(a.VerificationType, a.Uuid, urls.Assertion(a.PublicId)),
            badgeClassId = badgeClassPublicId,
            issuerId = issuerPublicId,
            verification = a.VerificationType.Name(),
            issuedOn = a.IssuedOn,
            expires = a.Expires,
            recipientType = a.RecipientType,
            batch = batchJobPublicId is null ? null : new { jobId = batchJobPublicId, line = a.BatchLine },
        }, a.CreatedAt);
}
