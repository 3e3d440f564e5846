using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Dates;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>What an award the volunteer asked for (a claim, an application) needs of its class and issuer.</summary>
public sealed record AwardTarget(
    long BadgeClassId, string BadgeClassPublicId, long IssuerId, string IssuerPublicId, VerificationType IssuerVerification, string IssuerLocale);

/// <summary>
/// A badge the volunteer asked for (a claimed code, an approved application), through the issuance
/// core (Awarding): the assertion, signed when the issuer signs, its assertion.awarded event, and the
/// award mail's request, staged on the context for the caller's transaction. Such an award always asks
/// for its mail (the volunteer gave the address to get the badge); the issuer's notifyRecipients is for
/// awards staff make on their own.
/// </summary>
public sealed class ReviewedAwards(IssuerKeys keys, ObDocuments documents, PublicUrls urls, IOptions<Options.MailOptions> mail)
{
    /// <summary>The assertion, built and signed but not yet added; null when the issuer's signing key is not loaded.</summary>
    public async Task<AssertionEntity?> BuildAsync(
        AwardTarget target, RecipientIdentity recipient, string? narrative, IReadOnlyList<Evidence> evidence, string locale, DateTimeOffset now, CancellationToken ct)
    {
        var assertion = Awarding.NewAssertion(Award(recipient, narrative, evidence, locale, now), target.BadgeClassId, target.IssuerId, now);
        if (target.IssuerVerification == VerificationType.Signed)
        {
            var (keyRow, key) = await keys.CurrentAsync(target.IssuerId, target.IssuerPublicId, ct);
            if (key is null) { return null; }
            Awarding.Sign(assertion, keyRow, key, target.BadgeClassPublicId, documents);
        }
        return assertion;
    }

    /// <summary>Adds the assertion, its event and its mail request to <paramref name="db"/>.</summary>
    public void Stage(BadgesDbContext db, AwardTarget target, AssertionEntity assertion, RecipientIdentity recipient, string locale, DateTimeOffset now)
    {
        db.Assertions.Add(assertion);
        db.OutboxEvents.Add(Awarding.AwardedEvent(assertion, target.BadgeClassPublicId, target.IssuerPublicId, urls));
        if (MailQueue.Wanted(Award(recipient, null, [], locale, now), mail.Value.Enabled, issuerNotifies: true, target.IssuerLocale) is { } wanted)
        {
            db.AwardMailRequests.Add(new AwardMailRequestEntity { Assertion = assertion, Address = wanted.Address, Locale = wanted.Locale, CreatedAt = now.UtcDateTime });
        }
    }

    private static ValidAward Award(RecipientIdentity recipient, string? narrative, IReadOnlyList<Evidence> evidence, string locale, DateTimeOffset now) =>
        new(recipient, IssueDates.ToWholeSecondUtc(now), null, narrative, evidence, null, Notify: true, Locale: locale);
}
