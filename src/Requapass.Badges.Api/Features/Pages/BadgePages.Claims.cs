using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Claims;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// The claim pages (README, Claim codes): the form, for any code (<c>/public/claims</c>) or for one
/// campaign, which it names with its badge (<c>/public/claims/{campaignId}</c>, the QR code's link, with
/// the multi-use code filled in); and the answer to the form. A plain HTML form: no script needed.
/// Nothing here says whether a code exists: only the claim itself, rate-limited, looks codes up.
/// </summary>
public sealed partial class BadgePages
{
    public async Task<HtmlPage> ClaimFormAsync(string? campaignId, string? code, string? lang, HttpRequest request, CancellationToken ct)
    {
        var pagePath = $"{_path}/public/claims" + (campaignId is null ? "" : $"/{Uri.EscapeDataString(campaignId)}");
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, pagePath); }
        ClaimBadgeView? badge = null;
        if (campaignId is not null)
        {
            badge = await ClaimBadgeAsync(campaignId, language, ct);
            if (badge is null) { return await NotFoundAsync(language, pagePath); }
        }
        var form = new ClaimFormView($"{_path}/public/claims", campaignId, badge, Clean(code), null, null, null, null, null);
        return await ClaimFormPageAsync(language, pagePath, form, StatusCodes.Status200OK);
    }

    /// <summary>The answer to the form: the result, or the form again with what was typed and why it was refused.</summary>
    public async Task<HtmlPage> ClaimResultAsync(ClaimOutcome outcome, ClaimRequest input, string language, string? campaignId, CancellationToken ct)
    {
        var t = texts.For(language);
        var pagePath = $"{_path}/public/claims" + (campaignId is null ? "" : $"/{Uri.EscapeDataString(campaignId)}");
        if (outcome.Claim is { } claim)
        {
            var badge = await ClaimBadgeAsync(claim.CampaignId, language, ct);
            var (name, issuer) = (badge?.Name ?? "", badge?.IssuerName ?? "");
            string Fill(string key) => t[key].Replace("{name}", name, StringComparison.Ordinal).Replace("{issuer}", issuer, StringComparison.Ordinal);
            var replayed = claim.Replayed ? t["claim_replayed"] : null;
            var view = claim.Status switch
            {
                ClaimStatus.Awarded => new ClaimResultView("valid", t["claim_awarded_title"], Fill("claim_awarded_text"), replayed ?? t["claim_awarded_mail"],
                    $"{_path}/public/assertions/{claim.AssertionId}?lang={language}"),
                ClaimStatus.Pending => new ClaimResultView("expired", t["claim_pending_title"], Fill("claim_pending_text"), replayed, null),
                _ => new ClaimResultView("revoked", t["claim_rejected_title"], Fill("claim_rejected_text"), replayed, null),
            };
            var shell = Shell(language, view.Title, view.Text, pagePath, null, script: false, share: null) with { Languages = [] };
            return new HtmlPage(await renderer.RenderAsync("claim-result", shell, view), language, StatusCodes.Status200OK, store: false);
        }
        var refusal = outcome.Refusal ?? ClaimRefusal.Invalid;
        var errors = outcome.Errors ?? new Dictionary<string, string[]>();
        var codeError = errors.ContainsKey("code") ? t["claim_error_code_required"] : refusal == ClaimRefusal.UnknownCode ? t["claim_error_unknown_code"] : null;
        var emailError = errors.ContainsKey("email") ? t["claim_error_email"] : refusal == ClaimRefusal.Domain ? t["claim_error_domain"] : null;
        // A refusal that belongs to a field is said there (beside what to correct); the banner then points to it.
        var banner = codeError is not null || emailError is not null ? t["claim_error_invalid"] : t[ErrorKey(refusal)];
        var form = new ClaimFormView($"{_path}/public/claims", campaignId,
            campaignId is null ? null : await ClaimBadgeAsync(campaignId, language, ct),
            Clean(input.Code), Clean(input.Email), input.Narrative, banner, codeError, emailError);
        return await ClaimFormPageAsync(language, pagePath, form, Status(refusal));
    }

    /// <summary>The form again, over the claims' rate: 429.</summary>
    public async Task<HtmlPage> ClaimTooManyAsync(string language, string? campaignId, CancellationToken ct)
    {
        var t = texts.For(language);
        var pagePath = $"{_path}/public/claims" + (campaignId is null ? "" : $"/{Uri.EscapeDataString(campaignId)}");
        var form = new ClaimFormView($"{_path}/public/claims", campaignId, campaignId is null ? null : await ClaimBadgeAsync(campaignId, language, ct),
            null, null, null, t["claim_error_too_many"], null, null);
        return await ClaimFormPageAsync(language, pagePath, form, StatusCodes.Status429TooManyRequests);
    }

    private async Task<HtmlPage> ClaimFormPageAsync(string language, string pagePath, ClaimFormView form, int status)
    {
        var t = texts.For(language);
        var title = form.Error is null ? t["claim_title"] : $"{t["claim_error_title"]} – {t["claim_title"]}";
        var shell = Shell(language, title, t["claim_intro"], pagePath, null, script: false, share: null);
        // Never stored: the form may carry a code.
        return new HtmlPage(await renderer.RenderAsync("claim", shell, form), language, status, store: false);
    }

    private async Task<ClaimBadgeView?> ClaimBadgeAsync(string campaignId, string language, CancellationToken ct)
    {
        if (!Infrastructure.PublicIds.LooksValid(campaignId)) { return null; }
        var badgeClassId = await db.ClaimCampaigns.AsNoTracking().Where(c => c.PublicId == campaignId)
            .Select(c => db.BadgeClasses.Where(b => b.Id == c.BadgeClassId).Select(b => b.PublicId).First()).SingleOrDefaultAsync(ct);
        var row = badgeClassId is null ? null : await PageRows.BadgeClass(badgeClassId, db, ct);
        if (row is null) { return null; }
        var badge = Badge(row, language);
        return new ClaimBadgeView(badge.Name, badge.ImageUrl, row.IssuerName, badge.ContentLang);
    }

    private static string? Clean(string? value) => value is null ? null : value.Length > 320 ? value[..320] : value;

    private static string ErrorKey(ClaimRefusal refusal) => refusal switch
    {
        ClaimRefusal.UnknownCode => "claim_error_unknown_code",
        ClaimRefusal.NotStarted => "claim_error_not_started",
        ClaimRefusal.Ended => "claim_error_ended",
        ClaimRefusal.Closed => "claim_error_closed",
        ClaimRefusal.Exhausted => "claim_error_exhausted",
        ClaimRefusal.CodeUsed => "claim_error_code_used",
        ClaimRefusal.Domain => "claim_error_domain",
        ClaimRefusal.NoSigningKey => "claim_error_unavailable",
        ClaimRefusal.LevelRequired => "claim_error_level",
        _ => "claim_error_invalid",
    };

    /// <summary>The same statuses as the JSON route's problems.</summary>
    public static int Status(ClaimRefusal refusal) => refusal switch
    {
        ClaimRefusal.Invalid => StatusCodes.Status400BadRequest,
        ClaimRefusal.UnknownCode or ClaimRefusal.Domain => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status409Conflict,
    };
}
