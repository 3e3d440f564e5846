using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MimeKit;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Dutch everywhere (issue #15, part 1), over HTTP on both stores: the catalogue's Dutch through the
/// management API and the public BadgeClass documents (a translation listed in "related", shaped for the
/// OB 2.0 validator), the competence guide, the badge and skills-map pages (?lang=nl and
/// Accept-Language: nl-BE, French without either), an award mail and the verify page in Dutch.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class DutchTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Base = BadgesApiFactory.PublicBaseUrl;
    private const string OralN2 = "Mondelinge communicatie – Niveau 2";
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        return await BadgesApiFactory.StartAsync(Provider, MailTests.Settings(_smtp.SmtpPort));
    }

    [Test]
    public async Task CatalogueClasses_CarryDutch_InTheApi_AndAsAPublicTranslation_ShapedForTheValidator()
    {
        var (partner, classes) = await CataloguePartnerAsync("Vrijwilligerspunt Kortrijk");
        var admin = await AdminAsync();
        var owner = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!["id"]!.GetValue<string>();
        var seeded = (await JsonArray(await admin.GetAsync($"/api/v1/issuers/{owner}/badge-classes"))).Select(c => c!.AsObject()).ToList();
        Assert.That(seeded, Has.Count.EqualTo(32));
        Assert.That(seeded.Select(c => c["translations"]!["nl"]?["name"]?.GetValue<string>()), Has.All.Match("^.+ – Niveau [1-4]$"), "every seeded class has its Dutch name");
        var copy = await Json(await partner.Client.GetAsync($"/api/v1/badge-classes/{classes["COM-ORAL-N2"]}"), 200);
        Assert.That(copy["translations"]!["nl"]!["name"]!.GetValue<string>(), Is.EqualTo(OralN2), "the adopted copy too");
        Assert.That(copy["translations"]!["nl"]!["criteriaNarrative"]!.GetValue<string>(), Does.StartWith("- Onthaalt het publiek"));

        var main = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N2"]}"), 200);
        Assert.That(main["@language"]!.GetValue<string>(), Is.EqualTo("fr"), "French stays the class's own language");
        var nlUrl = $"{Base}/public/badges/{classes["COM-ORAL-N2"]}/translations/nl";
        Assert.That(main["related"]!.AsArray().Select(r => (r!["id"]!.GetValue<string>(), r["@language"]!.GetValue<string>())), Does.Contain((nlUrl, "nl")));

        var dutch = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N2"]}/translations/nl"), 200);
        Assert.That(dutch["id"]!.GetValue<string>(), Is.EqualTo(nlUrl));
        Assert.That(dutch["@language"]!.GetValue<string>(), Is.EqualTo("nl"));
        Assert.That(dutch["name"]!.GetValue<string>(), Is.EqualTo(OralN2));
        Assert.That(dutch["description"]!.GetValue<string>(), Does.StartWith("Communiceert mondeling helder").And.Contain("met enige zelfstandigheid"));
        Assert.That(dutch["criteria"]!["narrative"]!.GetValue<string>(), Does.Contain("- Onthaalt het publiek"));
        Assert.That(dutch["related"]!.AsArray().Select(r => r!["@language"]!.GetValue<string>()), Is.EquivalentTo(new[] { "fr", "en" }));
        foreach (var document in new[] { main, dutch })
        {
            using var parsed = JsonDocument.Parse(document.ToJsonString());
            Assert.That(ObShape.BadgeClass(parsed.RootElement).Where(c => c.Status != CheckStatus.Pass).Select(c => c.Name + ": " + c.Message), Is.Empty);
        }

        // A strict level 2 says its prerequisite in the translation's language.
        await Json(await partner.Client.PutAsJsonAsync($"/api/v1/badge-classes/{classes["COM-ORAL-N2"]}", new JsonObject
        {
            ["name"] = copy["name"]!.GetValue<string>(), ["description"] = copy["description"]!.GetValue<string>(),
            ["criteria"] = copy["criteria"]!.DeepClone(), ["alignment"] = copy["alignment"]!.DeepClone(), ["tags"] = copy["tags"]!.DeepClone(),
            ["translations"] = copy["translations"]!.DeepClone(), ["levelRule"] = "strict",
        }), 200);
        var strict = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N2"]}/translations/nl"), 200);
        Assert.That(strict["criteria"]!["narrative"]!.GetValue<string>(),
            Does.Contain($"Voorwaarde: Mondelinge communicatie – Niveau 1 (COM-ORAL-N1), vooraf behaald: {Base}/public/badges/{classes["COM-ORAL-N1"]}"));
        var french = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N2"]}"), 200);
        Assert.That(french["criteria"]!["narrative"]!.GetValue<string>(), Does.Contain("Prérequis : Communication orale – Niveau 1"));
    }

    [Test]
    public async Task CompetenceGuide_InDutch_IsDutchThroughout()
    {
        var guide = await Json(await Anonymous().GetAsync("/public/competences?lang=nl"), 200);
        var competences = guide["competences"]!.AsArray();
        Assert.That(competences, Has.Count.EqualTo(8));
        var texts = competences.SelectMany(c => new[] { c!["name"]! }.Concat(c!["levels"]!.AsArray().SelectMany(l =>
            new[] { l!["name"]!, l["description"]! }.Concat(l["criteria"]!.AsArray().Select(x => x!))))).ToList();
        Assert.That(texts.Select(t => t["language"]!.GetValue<string>()), Has.All.EqualTo("nl"), "no text falls back to French");
        Assert.That(competences.Select(c => c!["name"]!["text"]!.GetValue<string>()), Does.Contain("Samenwerken in team").And.Contain("Eigen traject uitbouwen"));
        Assert.That(competences.SelectMany(c => c!["levels"]!.AsArray().Select(l => l!["name"]!["text"]!.GetValue<string>())).Distinct(),
            Is.EqualTo(new[] { "Niveau 1", "Niveau 2", "Niveau 3", "Niveau 4" }));
        var french = await Json(await Anonymous().GetAsync("/public/competences"), 200);
        Assert.That(french["competences"]![0]!["name"]!["text"]!.GetValue<string>(), Is.EqualTo("Communication orale"), "French without lang");
    }

    [TestCase("?lang=nl", null)]
    [TestCase("", "nl-BE,nl;q=0.9,fr;q=0.5")]
    public async Task BadgePages_InDutch_ShowTheCatalogueInDutch(string query, string? acceptLanguage)
    {
        var (partner, classes) = await CataloguePartnerAsync("Vrijwilligerspunt Gent");
        var assertion = (await AwardAsync(partner, classes["COM-ORAL-N2"]))["id"]!.GetValue<string>();
        foreach (var path in new[] { $"/public/badges/{classes["COM-ORAL-N2"]}", $"/public/assertions/{assertion}" })
        {
            var html = await Page(path + query, acceptLanguage);
            Assert.That(html, Does.Contain("<html lang=\"nl\">").And.Contain(OralN2).And.Contain("Onthaalt het publiek"), path);
            Assert.That(html, Does.Contain("Toekenningscriteria"), path);
            // The issuer's own French narrative (AwardAsync's) is marked as French, as it should be; nothing else is.
            var catalogueTexts = ButTheFrenchLink(html).Replace("<div class=\"prose\" lang=\"fr\"><p>A tenu l'accueil pendant 6 mois.</p>", "", StringComparison.Ordinal);
            Assert.That(catalogueTexts, Does.Not.Contain(" lang=\"fr\"").And.Not.Contain("Communication orale"), "nothing on the page is the French fallback");
        }
        var classPage = await Page($"/public/badges/{classes["COM-ORAL-N2"]}" + query, acceptLanguage);
        Assert.That(classPage, Does.Contain("<li>Mondelinge communicatie</li>").And.Contain(">Mondelinge communicatie – Niveau 2</a>"),
            "the catalogue's tags and alignment named in Dutch");
        var defaultPage = await Page($"/public/badges/{classes["COM-ORAL-N2"]}", null);
        Assert.That(defaultPage, Does.Contain("<html lang=\"fr\">").And.Contain("Communication orale – Niveau 2"), "French by default");
    }

    [Test]
    public async Task SkillsMapPage_InDutch_NamesTheCompetencesInDutch_WithoutTheFallbackNote()
    {
        var map = await ApplicationTests.NewMapAsync(Factory.Database, "nl");
        var html = await Page($"/public/skills-maps/{map.Token}", "nl-BE");
        Assert.That(html, Does.Contain("<html lang=\"nl\">").And.Contain("Mondelinge communicatie").And.Contain("Samenwerken in team").And.Contain("Niveau 2"));
        Assert.That(ButTheFrenchLink(html), Does.Not.Contain("De RECTEC+-catalogus").And.Not.Contain(" lang=\"fr\""), "no fallback note, no French name");
        var french = await Page($"/public/skills-maps/{map.Token}?lang=fr", null);
        Assert.That(french, Does.Contain("Communication orale").And.Contain("Travail en équipe"));
    }

    [Test]
    public async Task AwardMail_InDutch_NamesTheCatalogueBadgeInDutch()
    {
        var (partner, classes) = await CataloguePartnerAsync("Vrijwilligerspunt Brugge");
        var address = SmtpServer.NewAddress("An.Peeters");
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{classes["ORG-EQUIPE-N3"]}/assertions",
            new { recipient = new { type = "email", identity = address }, locale = "nl" }), 201);
        var mail = (await _smtp.WaitForAsync(address)).Single();
        Assert.That(mail.Body!.Headers[HeaderId.ContentLanguage], Is.EqualTo("nl"));
        Assert.That(mail.Subject, Is.EqualTo("Uw badge „Samenwerken in team – Niveau 3” van Vrijwilligerspunt Brugge"));
        Assert.That(mail.TextBody, Does.StartWith("Beste,").And.Contain("heeft u de badge „Samenwerken in team – Niveau 3” toegekend"));
        Assert.That(mail.HtmlBody, Does.Contain("<html lang=\"nl\">").And.Not.Contain("Travail en équipe"));
    }

    [TestCase("nl", "De uitreikingsdatum ligt niet in de toekomst.", "De badge staat op de website van zijn uitgever.", "Technisch detail (in het Engels):", "Controle geslaagd.", "De badge is ingetrokken")]
    [TestCase("fr", "La date de délivrance n&#x27;est pas dans le futur.", "Le badge est publié sur le site de son émetteur.", "Détail technique (en anglais) :", "Contrôle réussi.", "Le badge est révoqué")]
    [TestCase("en", "The issue date is not in the future.", "The badge is published on its issuer&#x27;s site.", "Technical detail:", "Check passed.", "The badge is revoked")]
    public async Task VerifyPage_SaysEveryCheckInThePagesLanguage(string lang, string issuedOn, string scope, string detail, string generic, string revoked)
    {
        var (partner, classes) = await CataloguePartnerAsync("Vrijwilligerspunt Leuven");
        var assertion = (await AwardAsync(partner, classes["COM-PUBLICS-N1"]))["id"]!.GetValue<string>();
        var html = await VerifyPage(assertion, lang);
        Assert.That(html, Does.Contain($"<html lang=\"{lang}\">").And.Contain(issuedOn).And.Contain(scope).And.Contain(detail));
        var checks = System.Text.RegularExpressions.Regex.Matches(html, "<li class=\"check check--").Count;
        Assert.That(checks, Is.GreaterThan(10));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(html, "class=\"check__detail\"").Count, Is.EqualTo(checks), "each check has its sentence and its detail");
        Assert.That(html, Does.Not.Contain(generic), "every check of our own badge has a sentence of its own kind");

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertion}/revoke", new { reason = "Per vergissing uitgereikt" }), 200);
        Assert.That(await VerifyPage(assertion, lang), Does.Contain(revoked));
    }

    private async Task<string> VerifyPage(string assertion, string lang)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/public/assertions/{assertion}/verification?lang={lang}") { Content = new FormUrlEncodedContent([]) };
        request.Headers.TryAddWithoutValidation("Accept", BadgePageTests.BrowserAccept);
        var response = await Anonymous().SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), html);
        return html;
    }

    /// <summary>The page without its language menu's link to French, the one thing on a Dutch page that is French by design.</summary>
    private static string ButTheFrenchLink(string html) => html.Replace("lang=\"fr\">Français</a>", "", StringComparison.Ordinal);

    private async Task<string> Page(string path, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", BadgePageTests.BrowserAccept);
        if (acceptLanguage is not null) { request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage); }
        var response = await Anonymous().SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), html.Length > 2000 ? html[..2000] : html);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        return html;
    }
}
