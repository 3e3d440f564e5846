using Requapass.Badges.Api.Features.DataRights;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// The volunteer's data pages (issue #15, part 3a): the form that mails a private link
/// (<c>/public/my-data/new</c>), its "check your mail" answer, and the page at the link itself with the
/// JSON and ZIP downloads and the erasure form. As the skills map's page, the link's page holds no token
/// (its links and its form are relative to its own URL), is never stored and sends no Referer.
/// </summary>
public sealed partial class BadgePages
{
    /// <summary>The revocation reason as people read it: an erasure's in the page's language, any other as its issuer wrote it.</summary>
    internal static string? RevocationReason(string? reason, IReadOnlyDictionary<string, string> t) =>
        reason == Erasure.Reason ? t["reason_erased"] : reason;

    public async Task<HtmlPage> DataAccessStartAsync(string? lang, HttpRequest request, string? email, string? errorKey)
    {
        var pagePath = $"{_path}/public/my-data/new";
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, pagePath); }
        var t = texts.For(language);
        var view = new DataAccessStartView($"{_path}/public/my-data", Clean(email), errorKey is null ? null : t[errorKey],
            [.. PageLanguages.All.Select(l => new LanguageLink(l, t[$"language_{l}"], "", l == language))]);
        var title = errorKey is null ? t["data_new_title"] : $"{t["map_error_title"]} – {t["data_new_title"]}";
        var shell = Shell(language, title, t["data_new_intro"], pagePath, null, script: false, share: null);
        var status = errorKey is null ? StatusCodes.Status200OK : errorKey == "map_error_mail_off" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
        return new HtmlPage(await renderer.RenderAsync("data-access-new", shell, view), language, status, store: false);
    }

    public Task<HtmlPage> DataAccessSentAsync(string language) =>
        DataMessageAsync(language, "data_sent_title", "data_sent_text", $"{_path}/public/my-data/new", StatusCodes.Status200OK);

    /// <summary>An unknown, expired or used-up link: where to ask for a new one.</summary>
    public Task<HtmlPage> DataAccessGoneAsync(string language) =>
        DataMessageAsync(language, "data_gone_title", "data_gone_text", "", StatusCodes.Status404NotFound,
            [new LanguageLink(language, texts.For(language)["data_new_title"], $"{_path}/public/my-data/new?lang={language}", false)]);

    public Task<HtmlPage> DataErasedAsync(string language) =>
        DataMessageAsync(language, "data_erased_title", "data_erased_text", "", StatusCodes.Status200OK);

    public async Task<HtmlPage> DataAccessAsync(PersonalDataResponse data, string language, string? errorKey)
    {
        var t = texts.For(language);
        string Day(DateTime d) => texts.Date(language, d);
        var view = new DataAccessView($"?format=json", $"?format=zip", t["data_expires"].Replace("{date}", Day(data.LinkExpiresAt), StringComparison.Ordinal),
            [.. data.Badges.Select(b => new DataItemView($"{b.BadgeClassName} – {b.IssuerName}",
                b.Revoked ? $"{t["status_revoked"]}: {RevocationReason(b.RevocationReason, t)}" : Day(b.IssuedOn), b.AssertionUrl))],
            [.. data.SkillsMaps.Select(m => new DataItemView(m.Title ?? t["map_title"],
                m.Experiences.Count == 0 ? t["map_empty"] : string.Join(", ", m.Experiences.Select(e => e.Association)), null))],
            [.. data.Applications.Select(a => new DataItemView(a.Experience.Association + " – " + a.Experience.Role, $"{a.Status} · {Day(a.CreatedAt)}", a.BadgeUrl))],
            [.. data.Claims.Select(c => new DataItemView(c.Id, $"{c.Status} · {Day(c.CreatedAt)}", null))],
            errorKey is null ? null : t[errorKey]);
        var shell = Shell(language, t["data_title"], t["data_intro"], "", null, script: false, share: null) with
        {
            Languages = [.. PageLanguages.All.Select(l => new LanguageLink(l, t[$"language_{l}"], $"?format=html&lang={l}", l == language))],
        };
        return new HtmlPage(await renderer.RenderAsync("data-access", shell, view), language,
            errorKey is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, store: false);
    }

    private async Task<HtmlPage> DataMessageAsync(string language, string titleKey, string textKey, string pagePath, int status, IReadOnlyList<LanguageLink>? links = null)
    {
        var t = texts.For(language);
        var view = new MessageView(t[titleKey], t[textKey], links ?? []);
        var shell = Shell(language, view.Title, view.Text, pagePath, null, script: false, share: null) with { Languages = [] };
        return new HtmlPage(await renderer.RenderAsync("message", shell, view), language, status, store: false);
    }
}
