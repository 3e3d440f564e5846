using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>What a claim's award needs of its campaign, class and issuer.</summary>
public sealed record ClaimTarget(
    long CampaignId, string CampaignPublicId, long BadgeClassId, string BadgeClassPublicId, long IssuerId, string IssuerPublicId,
    VerificationType IssuerVerification, string IssuerLocale, string? CampaignLocale);

/// <summary>A claim's award: the shared award of a badge the volunteer asked for (<see cref="ReviewedAwards"/>), without evidence.</summary>
public sealed class ClaimAwards(ReviewedAwards awards)
{
    /// <summary>The assertion, built and signed but not yet added; null when the issuer's signing key is not loaded.</summary>
    public Task<AssertionEntity?> BuildAsync(ClaimTarget target, RecipientIdentity recipient, string? narrative, string locale, DateTimeOffset now, CancellationToken ct) =>
        awards.BuildAsync(Target(target), recipient, narrative, [], locale, now, ct);

    /// <summary>Adds the assertion, its event and its mail request to <paramref name="db"/>.</summary>
    public void Stage(BadgesDbContext db, ClaimTarget target, AssertionEntity assertion, RecipientIdentity recipient, string locale, DateTimeOffset now) =>
        awards.Stage(db, Target(target), assertion, recipient, locale, now);

    /// <summary>The claim's language: its own, else the campaign's, else the issuer's, else French.</summary>
    public static string Locale(string? asked, ClaimTarget target) =>
        MailLanguages.Parse(asked) ?? target.CampaignLocale ?? MailLanguages.Parse(target.IssuerLocale) ?? MailLanguages.Default;

    private static AwardTarget Target(ClaimTarget t) =>
        new(t.BadgeClassId, t.BadgeClassPublicId, t.IssuerId, t.IssuerPublicId, t.IssuerVerification, t.IssuerLocale);
}
