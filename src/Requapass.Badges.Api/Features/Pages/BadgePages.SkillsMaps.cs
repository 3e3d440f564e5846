using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// The skills map pages: the start form (<c>/public/skills-maps/new</c>, where the mini-game's badge
/// mail leads), its "check your mail" answer, and the map itself, printable (print CSS), at its link.
/// The map's page holds no token: its links are relative to the page's own URL (<c>?format=pdf</c>,
/// <c>?lang=</c>), it is never stored (no-store) and sends no Referer (no-referrer).
/// </summary>
public sealed partial class BadgePages
{
    public async Task<HtmlPage> SkillsMapStartAsync(string? lang, HttpRequest request, string? email, string? errorKey)
    {
        var pagePath = $"{_path}/public/skills-maps/new";
        if (PageLanguages.Choose(lang, request) is not { } language) { return await BadLanguageAsync(request, pagePath); }
        var t = texts.For(language);
        var view = new SkillsMapStartView($"{_path}/public/skills-maps", Clean(email), errorKey is null ? null : t[errorKey],
            [.. PageLanguages.All.Select(l => new LanguageLink(l, t[$"language_{l}"], "", l == language))]);
        var title = errorKey is null ? t["map_new_title"] : $"{t["map_error_title"]} – {t["map_new_title"]}";
        var shell = Shell(language, title, t["map_new_intro"], pagePath, null, script: false, share: null);
        var status = errorKey is null ? StatusCodes.Status200OK : errorKey == "map_error_mail_off" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
        return new HtmlPage(await renderer.RenderAsync("skills-map-new", shell, view), language, status, store: false);
    }

    public async Task<HtmlPage> SkillsMapSentAsync(string language)
    {
        var t = texts.For(language);
        var view = new MessageView(t["map_sent_title"], t["map_sent_text"], []);
        var shell = Shell(language, view.Title, view.Text, $"{_path}/public/skills-maps/new", null, script: false, share: null) with { Languages = [] };
        return new HtmlPage(await renderer.RenderAsync("message", shell, view), language, StatusCodes.Status200OK, store: false);
    }

    public async Task<HtmlPage> SkillsMapAsync(SkillsMapResponse map, RectecCatalogue catalogue, string? lang, HttpRequest request)
    {
        // Relative links only: the page's URL holds the token, the page itself never does.
        if (PageLanguages.Choose(lang ?? map.Locale, request) is not { } language) { return await BadLanguageAsync(request, "?format=html"); }
        var t = texts.For(language);
        var fallback = false;
        var experiences = map.Experiences.Select(e => new SkillsMapExperienceView(
            e.Position, e.Association, e.Role, e.ContextWhat, e.ContextForWhom, texts.Period(language, e.StartedOn, e.EndedOn, e.DurationMonths), e.HoursPerMonth?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.Narrative,
            [.. e.Competences.Select(c =>
            {
                var name = SkillsMapCompetences.Name(catalogue, c.Competence, language);
                fallback |= name.Language != language;
                return new SkillsMapPickView(name.Text, name.Language == language ? null : name.Language, c.Level,
                    SkillsMapCompetences.LevelName(catalogue, c.Level, language).Text, c.Example);
            })])).ToList();
        var view = new SkillsMapPageView(map.Title, "?format=pdf&lang=" + language, experiences, fallback ? t["map_names_fallback"] : null);
        var shell = Shell(language, map.Title ?? t["map_title"], t["map_intro"], "", null, script: false, share: null) with
        {
            Languages = [.. PageLanguages.All.Select(l => new LanguageLink(l, t[$"language_{l}"], $"?format=html&lang={l}", l == language))],
        };
        return new HtmlPage(await renderer.RenderAsync("skills-map", shell, view), language, StatusCodes.Status200OK, store: false);
    }
}
