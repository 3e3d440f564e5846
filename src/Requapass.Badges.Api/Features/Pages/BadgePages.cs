using System.Text.RegularExpressions;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// The human pages of the public documents (issue #12): an awarded badge, a badge class, an issuer, in
/// French, Dutch or English. Built from the same rows as the JSON-LD; an assertion's page never shows
/// its recipient, not even hashed. Links inside the pages are site-relative (the pages' policy allows
/// only 'self'); the URLs meant to leave the site (share, canonical, og:image) are absolute.
/// </summary>
public sealed partial class BadgePages(BadgesDbContext db, PublicUrls urls, RectecCatalogue catalogue, PageRenderer renderer, PageTexts texts, SiteAssets assets, TimeProvider clock)
{
    private readonly string _path = new Uri(urls.Base + "/").AbsolutePath.TrimEnd('/');

    public async Task<HtmlPage> AssertionAsync(string assertionId, string? lang, HttpRequest request, CancellationToken ct)
    {
        var pagePath = $"{_path}/public/assertions/{Uri.EscapeDataString(assertionId)}";
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, pagePath); }
        var row = await DocumentRows.Assertion(assertionId, db, ct);
        var badgeClass = row is null ? null : await PageRows.BadgeClass(row.BadgeClassPublicId, db, ct);
        if (row is null || badgeClass is null) { return await NotFoundAsync(language, pagePath); }

        var t = texts.For(language);
        var badge = Badge(badgeClass, language);
        var status = row.RevokedAt is not null ? "revoked" : row.Expires is { } e && e <= clock.GetUtcNow().UtcDateTime ? "expired" : "valid";
        var pageUrl = urls.Assertion(row.PublicId);
        var share = status == "revoked" ? null : new ShareView(
            pageUrl,
            LinkedIn(badge.Name, badgeClass.IssuerName, row.IssuedOn, row.Expires, pageUrl, row.PublicId),
            badgeClass.HasPng ? $"{pagePath}/image?format=png" : null,
            badgeClass.HasSvg ? $"{pagePath}/image?format=svg" : null);
        var model = new AssertionView(
            badge, status, t[$"status_{status}_detail"].Replace("{issuer}", badgeClass.IssuerName, StringComparison.Ordinal),
            status == "revoked" ? RevocationReason(row.RevocationReason, t) : null,
            Date(language, row.IssuedOn), row.Expires is { } expires ? Date(language, expires) : null,
            PageMarkdown.ToHtml(row.Narrative), Foreign(badgeClass.Language, language),
            [.. AssertionJson.Evidence(row.EvidenceJson).Select(ev => new EvidenceView(
                ev.Name, PageMarkdown.SafeUrl(ev.Id) is { } u && !u.StartsWith("mailto:", StringComparison.Ordinal) ? u : null,
                ev.Description, PageMarkdown.ToHtml(ev.Narrative, 3), ev.Genre, ev.Audience))],
            share, $"{pagePath}/verification?lang={language}", badge.Issuer.Url);
        var summary = t["og_assertion"].Replace("{name}", badge.Name, StringComparison.Ordinal).Replace("{issuer}", badgeClass.IssuerName, StringComparison.Ordinal);
        var shell = Shell(language, $"{badge.Name} – {badgeClass.IssuerName}", summary, pagePath, pageUrl, script: share is not null,
            new ShareMeta(badge.Name, summary, pageUrl, urls.BadgeImage(badgeClass.PublicId), badge.ImageAlt, Locales[language]));
        // A revoked badge's page is Gone, as its JSON-LD (OB 2.0 HostedBadge), and says why.
        return new HtmlPage(await renderer.RenderAsync("assertion", shell, model), language,
            status == "revoked" ? StatusCodes.Status410Gone : StatusCodes.Status200OK);
    }

    /// <summary>A badge class's page; also its hosted criteria page (OB 2.0 "Criteria": a human-readable page at criteria.id).</summary>
    public async Task<HtmlPage> BadgeClassAsync(string badgeClassId, string? lang, HttpRequest request, CancellationToken ct, bool criteria = false)
    {
        var pagePath = $"{_path}/public/badges/{Uri.EscapeDataString(badgeClassId)}" + (criteria ? "/criteria" : "");
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, pagePath); }
        var row = await PageRows.BadgeClass(badgeClassId, db, ct);
        if (row is null) { return await NotFoundAsync(language, pagePath); }
        var badge = Badge(row, language);
        var pageUrl = urls.Badge(row.PublicId);
        var shell = Shell(language, $"{badge.Name} – {row.IssuerName}", badge.Description, pagePath, pageUrl, script: false,
            new ShareMeta(badge.Name, badge.Description, pageUrl, urls.BadgeImage(row.PublicId), badge.ImageAlt, Locales[language]));
        return new HtmlPage(await renderer.RenderAsync("badge", shell, badge), language);
    }

    public async Task<HtmlPage> IssuerAsync(string issuerId, string? lang, HttpRequest request, CancellationToken ct)
    {
        var pagePath = $"{_path}/public/issuers/{Uri.EscapeDataString(issuerId)}";
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, pagePath); }
        var row = await DocumentRows.Issuer(issuerId, db, ct);
        if (row is null) { return await NotFoundAsync(language, pagePath); }
        var t = texts.For(language);
        var (cards, total) = await PageRows.IssuerBadges(row.PublicId, Limits.PageBadgeCards, db, ct);
        var model = new IssuerView(
            row.Name, row.HasImage ? $"{pagePath}/image" : null, t["issuer_image_alt"].Replace("{name}", row.Name, StringComparison.Ordinal),
            row.Description, PageMarkdown.SafeUrl(row.Url), row.Email,
            [.. cards.Select(c =>
            {
                var (name, _, _, contentLanguage) = Texts(c.Language, c.Name, "", null, c.TranslationsJson, language);
                return new BadgeCard($"{_path}/public/badges/{c.PublicId}?lang={language}", $"{_path}/public/badges/{c.PublicId}/image", name,
                    Foreign(contentLanguage, language), Level(BadgeClassJson.Alignments(c.AlignmentsJson), language));
            })],
            total > cards.Count ? t["issuer_badges_more"].Replace("{count}", (total - cards.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) : null);
        var pageUrl = urls.Issuer(row.PublicId);
        var shell = Shell(language, row.Name, row.Description ?? row.Name, pagePath, pageUrl, script: false, share: null);
        return new HtmlPage(await renderer.RenderAsync("issuer", shell, model), language);
    }

    /// <summary>The result of verifying one of our own badges with the service's verifier, as a page.</summary>
    public async Task<HtmlPage> VerificationAsync(string assertionId, string? lang, HttpRequest request, Core.Verification.VerificationReport? report, string? badgeClassId, CancellationToken ct)
    {
        var badgePath = $"{_path}/public/assertions/{Uri.EscapeDataString(assertionId)}";
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, badgePath); }
        var badgeClass = badgeClassId is null ? null : await PageRows.BadgeClass(badgeClassId, db, ct);
        if (report is null || badgeClass is null) { return await NotFoundAsync(language, badgePath); }
        var t = texts.For(language);
        var badge = Badge(badgeClass, language);
        var model = new VerificationView(
            $"{badgePath}?lang={language}", badge.Name, badge.ContentLang, report.Valid, RevocationReason(report.RevocationReason, t),
            Date(language, clock.GetUtcNow().UtcDateTime),
            [.. report.Checks.Select(c =>
            {
                var status = c.Status switch { Core.Verification.CheckStatus.Pass => "pass", Core.Verification.CheckStatus.Fail => "fail", _ => "warning" };
                return new CheckView(c.Name, status, t[$"check_{status}"], CheckTexts.Sentence(t, c.Name, status), c.Message);
            })]);
        var shell = Shell(language, $"{t["verification_title"]} – {badge.Name}", t[report.Valid ? "verification_valid" : "verification_invalid"],
            badgePath, urls.Assertion(assertionId), script: false, share: null) with { Languages = [] };
        return new HtmlPage(await renderer.RenderAsync("verification", shell, model), language, StatusCodes.Status200OK, store: false);
    }

    public async Task<HtmlPage> NotFoundAsync(string language, string pagePath)
    {
        var t = texts.For(language);
        var shell = Shell(language, t["not_found_title"], t["not_found_text"], pagePath, null, script: false, share: null);
        return new HtmlPage(await renderer.RenderAsync("message", shell, new MessageView(t["not_found_title"], t["not_found_text"], [])),
            language, StatusCodes.Status404NotFound, store: false);
    }

    /// <summary>?lang= names no language of the pages: 400, in the language Accept-Language picks, with a link to each one.</summary>
    internal async Task<HtmlPage> BadLanguageAsync(HttpRequest request, string pagePath)
    {
        var language = PageLanguages.Choose(null, request)!;
        var t = texts.For(language);
        var shell = Shell(language, t["bad_language_title"], t["bad_language_text"], pagePath, null, script: false, share: null);
        return new HtmlPage(await renderer.RenderAsync("message", shell, new MessageView(t["bad_language_title"], t["bad_language_text"], shell.Languages)),
            language, StatusCodes.Status400BadRequest, store: false);
    }

    private static readonly Dictionary<string, string> Locales = new() { ["fr"] = "fr_FR", ["nl"] = "nl_BE", ["en"] = "en_GB" };

    internal PageShell Shell(string language, string title, string description, string pagePath, string? canonical, bool script, ShareMeta? share)
    {
        var t = texts.For(language);
        return new PageShell(language, $"{title} | {t["site_name"]}", description, $"{_path}/public/assets/{assets.Stylesheet.Name}",
            $"{_path}/public/assets/{assets.Icon.Name}",
            script ? $"{_path}/public/assets/{assets.CopyScript.Name}" : null,
            [.. PageLanguages.All.Select(l => new LanguageLink(l, t[$"language_{l}"], $"{pagePath}?lang={l}", l == language))],
            canonical, canonical, share);
    }

    private BadgeView Badge(BadgeClassPageRow row, string language)
    {
        var t = texts.For(language);
        var (name, description, criteria, contentLanguage) = Texts(row.Language, row.Name, row.Description, row.CriteriaNarrative, row.TranslationsJson, language);
        var alignments = BadgeClassJson.Alignments(row.AlignmentsJson);
        return new BadgeView(
            $"{_path}/public/badges/{row.PublicId}?lang={language}", $"{_path}/public/badges/{row.PublicId}/image",
            t["badge_image_alt"].Replace("{name}", name, StringComparison.Ordinal), name, description, Foreign(contentLanguage, language),
            Level(alignments, language), PageMarkdown.ToHtml(criteria), row.CriteriaUrl is null ? null : PageMarkdown.SafeUrl(row.CriteriaUrl),
            [.. alignments.Select(a => new AlignmentView(CatalogueEntry(a, language) is { } entry ? entry.Name[language] : a.TargetName,
                a.TargetUrl.StartsWith('/') && !a.TargetUrl.StartsWith("//", StringComparison.Ordinal) ? _path + a.TargetUrl : PageMarkdown.SafeUrl(a.TargetUrl),
                a.TargetFramework, a.TargetCode))],
            CatalogueTags(alignments, BadgeClassJson.Tags(row.TagsJson), row.Language, language),
            new IssuerLink(row.IssuerName, $"{_path}/public/issuers/{row.IssuerPublicId}?lang={language}"));
    }

    /// <summary>
    /// A class's texts in the page's language: its own when it is written in it, else its translation
    /// into it, else its own (then marked with their language, so that screen readers read them right).
    /// A translation without criteria keeps the class's criteria, in the class's language.
    /// </summary>
    private static (string Name, string Description, string? Criteria, string Language) Texts(
        string ownLanguage, string name, string description, string? criteria, string translationsJson, string language)
    {
        if (Primary(ownLanguage) == language) { return (name, description, criteria, ownLanguage); }
        var translation = BadgeClassJson.Translations(translationsJson).Where(kv => Primary(kv.Key) == language)
            .OrderBy(kv => kv.Key.Length).Select(kv => kv.Value).FirstOrDefault();
        return translation is null ? (name, description, criteria, ownLanguage)
            : (translation.Name, translation.Description, translation.CriteriaNarrative ?? criteria, language);
    }

    private static string Primary(string tag) => tag.Split('-')[0].ToLowerInvariant();

    private static string? Foreign(string contentLanguage, string language) => Primary(contentLanguage) == language ? null : contentLanguage;

    /// <summary>The RECTEC+ level a class is aligned to (its catalogue entry, or a code ending in -N&lt;level&gt;); null when none.</summary>
    private LevelView? Level(IReadOnlyList<AlignmentObject> alignments, string language)
    {
        foreach (var a in alignments)
        {
            if (a.TargetFramework != catalogue.Framework.Name || a.TargetCode is not { } code) { continue; }
            var entry = catalogue.Find(code);
            var number = entry?.Level ?? (LevelCode().Match(code) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
            if (number > 0) { return new LevelView(catalogue.Framework.Name, number, entry?.CompetencyName.GetValueOrDefault(language)); }
        }
        return null;
    }

    /// <summary>
    /// The catalogue entry an alignment is, when the catalogue wrote it (its target name and framework page
    /// unchanged) and the catalogue has the page's language: the page then names the target in that
    /// language (the alignment's own targetName is the framework's French wording).
    /// </summary>
    private CatalogueBadge? CatalogueEntry(AlignmentObject a, string language) =>
        a.TargetFramework == catalogue.Framework.Name && a.TargetCode is { } code && catalogue.Find(code) is { } entry
            && a.TargetName == entry.Alignment.TargetName && a.TargetUrl == CatalogueCopy.FrameworkTargetPath(code)
            && catalogue.Languages.Contains(language) ? entry : null;

    /// <summary>Tags the catalogue wrote (in the class's language) are shown in the page's; an issuer's own tags as they are.</summary>
    private IReadOnlyList<string> CatalogueTags(IReadOnlyList<AlignmentObject> alignments, IReadOnlyList<string> tags, string classLanguage, string language)
    {
        var entry = alignments.Select(a => CatalogueEntry(a, language)).FirstOrDefault(e => e is not null);
        return entry is not null && catalogue.Languages.Contains(classLanguage) && tags.SequenceEqual(catalogue.Tags(entry, classLanguage))
            ? catalogue.Tags(entry, language) : tags;
    }

    [GeneratedRegex("-N([1-9])$")]
    private static partial Regex LevelCode();

    private DateView Date(string language, DateTime utc) => new(utc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), texts.Date(language, utc));

    /// <summary>
    /// LinkedIn's "add to profile" link for a certification: each value URL-encoded (RFC 3986 unreserved
    /// characters kept), the month as 1-12.
    /// </summary>
    public static string LinkedIn(string name, string organization, DateTime issued, DateTime? expires, string certUrl, string certId)
    {
        var query = new List<(string, string)>
        {
            ("startTask", "CERTIFICATION_NAME"), ("name", name), ("organizationName", organization),
            ("issueYear", issued.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("issueMonth", issued.Month.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (expires is { } e)
        {
            query.Add(("expirationYear", e.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            query.Add(("expirationMonth", e.Month.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        query.Add(("certUrl", certUrl));
        query.Add(("certId", certId));
        return "https://www.linkedin.com/profile/add?" + string.Join("&", query.Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2)}"));
    }
}
