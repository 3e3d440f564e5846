using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Dates;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>What a claim's award needs of its campaign, class and issuer.</summary>
public sealed record ClaimTarget(
    long CampaignId, string CampaignPublicId, long BadgeClassId, string BadgeClassPublicId, long IssuerId, string IssuerPublicId,
    VerificationType IssuerVerification, string IssuerLocale, string? CampaignLocale);

/// <summary>
/// A claimed badge, through the issuance core (Awarding): the assertion, signed when the issuer signs,
/// its assertion.awarded event, and the award mail's request, staged on the context for the caller's
/// transaction. A claim always asks for its mail (the volunteer asked for the badge by giving the
/// address); the issuer's notifyRecipients is for awards staff make.
/// </summary>
public sealed class ClaimAwards(IssuerKeys keys, ObDocuments documents, PublicUrls urls, Microsoft.Extensions.Options.IOptions<Options.MailOptions> mail)
{
    /// <summary>The assertion, built and signed but not yet added; null when the issuer's signing key is not loaded.</summary>
    public async Task<AssertionEntity?> BuildAsync(ClaimTarget target, RecipientIdentity recipient, string? narrative, string locale, DateTimeOffset now, CancellationToken ct)
    {
        var award = Award(recipient, narrative, locale, now);
        var assertion = Awarding.NewAssertion(award, target.BadgeClassId, target.IssuerId, now);
        if (target.IssuerVerification == VerificationType.Signed)
        {
            var (keyRow, key) = await keys.CurrentAsync(target.IssuerId, target.IssuerPublicId, ct);
            if (key is null) { return null; }
            Awarding.Sign(assertion, keyRow, key, target.BadgeClassPublicId, documents);
        }
        return assertion;
    }

    /// <summary>Adds the assertion, its event and its mail request to <paramref name="db"/>.</summary>
    public void Stage(BadgesDbContext db, ClaimTarget target, AssertionEntity assertion, RecipientIdentity recipient, string locale, DateTimeOffset now)
    {
        db.Assertions.Add(assertion);
        db.OutboxEvents.Add(Awarding.AwardedEvent(assertion, target.BadgeClassPublicId, target.IssuerPublicId, urls));
        if (MailQueue.Wanted(Award(recipient, null, locale, now), mail.Value.Enabled, issuerNotifies: true, target.IssuerLocale) is { } wanted)
        {
            db.AwardMailRequests.Add(new AwardMailRequestEntity { Assertion = assertion, Address = wanted.Address, Locale = wanted.Locale, CreatedAt = now.UtcDateTime });
        }
    }

    /// <summary>The claim's language: its own, else the campaign's, else the issuer's, else French.</summary>
    public static string Locale(string? asked, ClaimTarget target) =>
        MailLanguages.Parse(asked) ?? target.CampaignLocale ?? MailLanguages.Parse(target.IssuerLocale) ?? MailLanguages.Default;

    private static ValidAward Award(RecipientIdentity recipient, string? narrative, string locale, DateTimeOffset now) =>
        new(recipient, IssueDates.ToWholeSecondUtc(now), null, narrative, [], null, Notify: true, Locale: locale);
}
