using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The badge pages (issue #12): the documents' URLs answer browsers with HTML and everything else with
/// the same JSON-LD bytes as before; FR/NL/EN; live status; never the recipient; hostile text escaped.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed partial class BadgePageTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    /// <summary>What Chromium and Firefox send for a page.</summary>
    public const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private const string Base = BadgesApiFactory.PublicBaseUrl;

    [Test]
    public async Task Assertion_ForEveryNonBrowserAccept_IsTheSameJsonLdBytes_AsTheDocumentBuilder()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        // The bytes the JSON-LD route served before the pages: Core's serialisation of the hosted document.
        byte[] expected;
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
            var row = await DocumentRows.Assertion(id, db, CancellationToken.None);
            expected = ObJson.ToUtf8(scope.ServiceProvider.GetRequiredService<ObDocuments>().Assertion(row!));
        }
        foreach (var accept in new[] { null, "*/*", "application/ld+json", "application/json", "application/ld+json, text/html;q=0.5", "text/html;q=0.9, */*" })
        {
            foreach (var path in new[] { $"/public/assertions/{id}", $"/public/assertions/{id}?lang=nl" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (accept is not null) { request.Headers.TryAddWithoutValidation("Accept", accept); }
                request.Headers.AcceptLanguage.ParseAdd("nl-BE");
                var response = await Anonymous().SendAsync(request);
                Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{accept} {path}");
                Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(expected), $"{accept} {path}");
                Assert.That(response.Content.Headers.ContentType!.MediaType, Does.StartWith("application/").And.Contain("json"));
                Assert.That(response.Headers.Vary, Does.Contain("Accept"));
            }
        }
    }

    [Test]
    public async Task Browser_GetsTheHtmlPage_WithVaryAndItsOwnETag_AndEachRepresentationRevalidates()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var json = await Anonymous().GetAsync($"/public/assertions/{id}");
        var html = await Browser($"/public/assertions/{id}");
        Assert.That((int)html.StatusCode, Is.EqualTo(200));
        Assert.That(html.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(html.Headers.Vary, Does.Contain("Accept").And.Contain("Accept-Language"));
        Assert.That(json.Headers.Vary, Does.Contain("Accept"));
        Assert.That(html.Headers.ETag, Is.Not.Null);
        Assert.That(html.Headers.ETag!.Tag, Is.Not.EqualTo(json.Headers.ETag!.Tag));

        var notModified = await Browser($"/public/assertions/{id}", ifNoneMatch: html.Headers.ETag.Tag);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        // Browsers merge a 304's headers into the cached page: it must carry the page's policy, not the data one.
        Assert.That(notModified.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(SecurityHeaders.PagePolicy));
        Assert.That((await Browser($"/public/assertions/{id}", ifNoneMatch: json.Headers.ETag!.Tag)).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "the JSON-LD's ETag does not validate the page");
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{id}");
        conditional.Headers.IfNoneMatch.Add(json.Headers.ETag);
        Assert.That((await Anonymous().SendAsync(conditional)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));

        // Badge class and issuer: the same negotiation.
        var badgeClass = (await Json(await partner.Client.GetAsync($"/api/v1/assertions/{id}"), 200))["badgeClassId"]!.GetValue<string>();
        foreach (var path in new[] { $"/public/badges/{badgeClass}", $"/public/issuers/{partner.IssuerId}" })
        {
            var page = await Browser(path);
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"), path);
            Assert.That(page.Headers.Vary, Does.Contain("Accept"), path);
            var document = await Anonymous().GetAsync(path);
            Assert.That(document.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/ld+json"), path);
            Assert.That(page.Headers.ETag!.Tag, Is.Not.EqualTo(document.Headers.ETag!.Tag), path);
        }
    }

    [TestCase(null, null, "fr", "Décerné par")]
    [TestCase("nl", null, "nl", "Uitgereikt door")]
    [TestCase("en", null, "en", "Issued by")]
    [TestCase(null, "nl-BE,nl;q=0.9,en;q=0.8", "nl", "Uitgereikt door")]
    [TestCase(null, "en-US,en;q=0.9", "en", "Issued by")]
    [TestCase(null, "de-DE,de;q=0.9", "fr", "Décerné par")]
    [TestCase(null, "de;q=0.9,en;q=0.5", "en", "Issued by")]
    [TestCase("fr", "en", "fr", "Décerné par")]
    [TestCase("NL", "en", "nl", "Uitgereikt door")]
    public async Task AssertionPage_Language_ComesFromLangThenAcceptLanguage_DefaultFrench(string? lang, string? acceptLanguage, string expected, string label)
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var response = await Browser($"/public/assertions/{id}" + (lang is null ? "" : $"?lang={lang}"), acceptLanguage);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), html);
        Assert.That(html, Does.Contain($"<html lang=\"{expected}\">"));
        Assert.That(response.Content.Headers.ContentLanguage, Is.EqualTo(new[] { expected }));
        Assert.That(html, Does.Contain(label));
        // The switcher links every language, marking the current one.
        foreach (var code in new[] { "fr", "nl", "en" })
        {
            Assert.That(html, Does.Contain($"href=\"/public/assertions/{id}?lang={code}\" hreflang=\"{code}\" lang=\"{code}\"{(code == expected ? " aria-current=\"true\"" : "")}>"));
        }
        // The class has an English translation: shown in English, in French otherwise (and then marked lang="fr" on a Dutch page).
        Assert.That(html, Does.Contain(expected == "en" ? "<h1>Welcoming the public</h1>" : "<h1>Accueil du public</h1>"));
        if (expected == "nl") { Assert.That(html, Does.Contain("class=\"hero__text\" lang=\"fr\"")); }
        // RECTEC+ level of the class's alignment (COM-ORAL-N2).
        Assert.That(html, Does.Contain("RECTEC&#x2B;</span> <span class=\"level__number\">" + (expected == "en" ? "Level" : "Niveau") + " 2</span>"));
    }

    [Test]
    public async Task AssertionPage_ShowsTheBadge_AndShareLinks_ButNeverTheRecipient()
    {
        var partner = await NewPartnerAsync("Maison des Associations de Tourcoing");
        var badgeClass = await NewBadgeClassAsync(partner);
        const string email = "Jeanne.Secret-Durand@example.org";
        var award = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new
        {
            recipient = new { type = "email", identity = email },
            issuedOn = "2026-03-12T10:00:00Z",
            narrative = "A tenu **l'accueil** pendant 6 mois.",
            evidence = new[] { new { id = "https://example.org/portfolio/42", name = "Planning d'accueil", narrative = "Trois permanences par semaine." } },
        }), 201);
        var id = award["id"]!.GetValue<string>();
        var document = await Json(await Anonymous().GetAsync($"/public/assertions/{id}"), 200);
        var secrets = new[]
        {
            email, email.ToLowerInvariant(), "Jeanne", "Secret-Durand", "secret-durand",
            document["recipient"]!["identity"]!.GetValue<string>(), document["recipient"]!["identity"]!.GetValue<string>()["sha256$".Length..],
            document["recipient"]!["salt"]!.GetValue<string>(), "sha256$",
        };
        foreach (var lang in new[] { "fr", "nl", "en" })
        {
            var html = await Html(await Browser($"/public/assertions/{id}?lang={lang}"), 200);
            foreach (var secret in secrets) { Assert.That(html, Does.Not.Contain(secret).IgnoreCase, $"{lang}: {secret}"); }
            Assert.That(html, Does.Contain($"<img class=\"hero__image\" src=\"/public/badges/{badgeClass}/image\""));
            Assert.That(html, Does.Contain("Maison des Associations de Tourcoing"));
            Assert.That(html, Does.Contain("<strong>l'accueil</strong>"));
            Assert.That(html, Does.Contain("Planning d"));
            Assert.That(html, Does.Contain("href=\"https://example.org/portfolio/42\""));
            Assert.That(html, Does.Contain("<time datetime=\"2026-03-12\">12 " + lang switch { "fr" => "mars", "nl" => "maart", _ => "March" } + " 2026</time>"));
            Assert.That(html, Does.Contain("Accueille le public").Or.Contain("Welcomes people"), "criteria");
            Assert.That(html, Does.Contain("status--valid"));
            Assert.That(html, Does.Contain($"<link rel=\"alternate\" type=\"application/ld+json\" href=\"{Base}/public/assertions/{id}\">"));
            Assert.That(html, Does.Contain($"<meta property=\"og:image\" content=\"{Base}/public/badges/{badgeClass}/image\">"));
            Assert.That(html, Does.Contain("<meta name=\"twitter:card\" content=\"summary\">"));
            Assert.That(html, Does.Contain($"<input id=\"badge-url\" class=\"copy__input\" type=\"url\" value=\"{Base}/public/assertions/{id}\" readonly>"));
            Assert.That(html, Does.Contain($"href=\"/public/assertions/{id}/image?format=png\" download>"));
            Assert.That(html, Does.Contain($"<form method=\"post\" action=\"/public/assertions/{id}/verification?lang={lang}\">"));
            var name = lang == "en" ? "Welcoming%20the%20public" : "Accueil%20du%20public";
            Assert.That(html, Does.Contain("href=\"https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=" + name
                + "&amp;organizationName=Maison%20des%20Associations%20de%20Tourcoing&amp;issueYear=2026&amp;issueMonth=3&amp;certUrl="
                + Uri.EscapeDataString($"{Base}/public/assertions/{id}") + $"&amp;certId={id}\""));
        }
    }

    [Test]
    public void LinkedInLink_EncodesEveryValue()
    {
        var url = Requapass.Badges.Api.Features.Pages.BadgePages.LinkedIn("Travail & équipe – N°1 #2", "MDA \"Roubaix\"/Charleroi",
            new DateTime(2026, 11, 5, 0, 0, 0, DateTimeKind.Utc), new DateTime(2028, 1, 1, 0, 0, 0, DateTimeKind.Utc), "https://b.example/public/assertions/a?b=c", "abc");
        Assert.That(url, Is.EqualTo("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
            + "&name=Travail%20%26%20%C3%A9quipe%20%E2%80%93%20N%C2%B01%20%232&organizationName=MDA%20%22Roubaix%22%2FCharleroi"
            + "&issueYear=2026&issueMonth=11&expirationYear=2028&expirationMonth=1"
            + "&certUrl=https%3A%2F%2Fb.example%2Fpublic%2Fassertions%2Fa%3Fb%3Dc&certId=abc"));
    }

    [Test]
    public async Task RevokedBadge_PageIsGone_SaysWhy_AndOffersNoShareOrDownload()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Attribué par erreur <b>" }), 200);
        foreach (var (lang, word) in new[] { ("fr", "Révoqué"), ("nl", "Ingetrokken"), ("en", "Revoked") })
        {
            var response = await Browser($"/public/assertions/{id}?lang={lang}");
            var html = await Html(response, 410);
            Assert.That(html, Does.Contain(word));
            Assert.That(html, Does.Contain("status--revoked"));
            Assert.That(html, Does.Contain("Attribué par erreur &lt;b&gt;"));
            Assert.That(html, Does.Not.Contain("linkedin.com"));
            Assert.That(html, Does.Not.Contain("/image?format="));
            Assert.That(html, Does.Contain("/verification?lang="), "a revoked badge can still be verified");
        }
        // The JSON-LD stays the OB 2.0 revoked answer.
        var json = await Json(await Anonymous().GetAsync($"/public/assertions/{id}"), 410);
        Assert.That(json["revoked"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task ExpiredBadge_PageSaysExpired_WithItsDate()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var id = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new
        {
            recipient = new { type = "email", identity = "ancien@example.org" },
            issuedOn = "2024-01-15T00:00:00Z",
            expires = "2025-06-30T00:00:00Z",
        }), 201))["id"]!.GetValue<string>();
        foreach (var (lang, word, when) in new[] { ("fr", "Expiré", "A expiré le"), ("nl", "Verlopen", "Verlopen op"), ("en", "Expired", "Expired on") })
        {
            var html = await Html(await Browser($"/public/assertions/{id}?lang={lang}"), 200);
            Assert.That(html, Does.Contain($"<strong>{word}</strong>"));
            Assert.That(html, Does.Contain("status--expired"));
            Assert.That(html, Does.Contain($"<dt>{when}</dt><dd><time datetime=\"2025-06-30\">"));
            Assert.That(html, Does.Contain("expirationYear=2025&amp;expirationMonth=6"));
        }
    }

    [Test]
    public async Task HostileText_IsEscaped_AndDangerousLinksAreDropped()
    {
        var partner = await NewPartnerAsync("<script>alert('issuer')</script> MDA");
        var badgeClass = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes", new
        {
            name = "<img src=x onerror=alert(1)>Badge\"><script>alert(2)</script>",
            description = "</title><script>alert(3)</script>",
            image = PngDataUri(),
            criteria = new { narrative = "# Titre\n<script>alert(4)</script>\n\n[clic](javascript:alert(5)) [data](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(6)>\n\n![img](https://evil.example/x.png)" },
            tags = new[] { "<b>tag</b>" },
        }), 201))["id"]!.GetValue<string>();
        var id = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new
        {
            recipient = new { type = "email", identity = "x@example.org" },
            narrative = "<script>alert(7)</script>\n\n[a](javascript:alert(8)) [b](JaVaScRiPt:alert(9)) [c](jav&#x61;script:alert(10)) [ok](https://example.org/ok)\n\n<a href=\"javascript:alert(11)\">x</a> <iframe src=x></iframe>",
            evidence = new[] { new { name = "<script>alert(12)</script>", narrative = "[e](javascript:alert(13))", description = "\"><svg onload=alert(14)>" } },
        }), 201))["id"]!.GetValue<string>();

        foreach (var path in new[] { $"/public/assertions/{id}", $"/public/badges/{badgeClass}", $"/public/badges/{badgeClass}/criteria", $"/public/issuers/{partner.IssuerId}" })
        {
            var html = await Html(await Browser(path), 200);
            // The only script element is the pages' own, served by the service.
            Assert.That(ScriptTag().Matches(html).Select(m => m.Value), Is.All.Match("^<script src=\"/public/assets/copy\\.[0-9a-f]{10}\\.js\" defer>$"), path);
            Assert.That(html, Does.Not.Contain("<script>").IgnoreCase, path);
            Assert.That(html, Does.Not.Contain("<img src=x").And.Not.Contain("<svg").And.Not.Contain("<iframe").And.Not.Contain("<b>tag"), path);
            Assert.That(Regex.IsMatch(html, "(href|src|action)\\s*=\\s*\"?\\s*(javascript|data|vbscript):", RegexOptions.IgnoreCase), Is.False, path);
            // Attribute values are quoted and cannot hold a raw quote: without them, no tag may carry an on...= handler.
            var unquoted = Regex.Replace(html, "=\"[^\"]*\"", "=\"\"");
            Assert.That(Regex.IsMatch(unquoted, "<[^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase), Is.False, $"{path}: no event handler attribute");
            Assert.That(html, Does.Not.Contain("evil.example/x.png\""), path);
            Assert.That(html, Does.Contain("&lt;script&gt;"), path);
        }
        var page = await Html(await Browser($"/public/assertions/{id}"), 200);
        Assert.That(page, Does.Contain("<a href=\"https://example.org/ok\" rel=\"nofollow ugc noopener noreferrer\">ok</a>"));
        Assert.That(page, Does.Contain("<h3 id=\"titre\">Titre</h3>").Or.Contain("<h3>Titre</h3>"), "Markdown headings sit below the page's h2");
    }

    [Test]
    public async Task UnknownIds_AnswerAn404Page_ToBrowsers_AndAProblem_ToPrograms()
    {
        foreach (var path in new[] { "/public/assertions/0123456789abcdef01234567", "/public/badges/0123456789abcdef01234567",
            "/public/issuers/0123456789abcdef01234567", "/public/badges/0123456789abcdef01234567/criteria", "/public/assertions/%3Cscript%3E" })
        {
            var response = await Browser(path + "?lang=nl");
            var html = await Html(response, 404);
            Assert.That(html, Does.Contain("<html lang=\"nl\">").And.Contain("Pagina niet gevonden"), path);
            Assert.That(html, Does.Not.Contain("<script>"), path);
            Assert.That(response.Headers.CacheControl!.NoStore, Is.True, path);
            if (!path.EndsWith("/criteria", StringComparison.Ordinal)) { await AssertProblem(await Anonymous().GetAsync(path), 404); }
        }
    }

    [Test]
    public async Task UnknownLanguage_Answers400Page_WithTheLanguagesToChoose()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var response = await Browser($"/public/assertions/{id}?lang=%3Cb%3Ede", "en");
        var html = await Html(response, 400);
        Assert.That(html, Does.Contain("<html lang=\"en\">").And.Contain("Language not available"));
        Assert.That(html, Does.Contain($"href=\"/public/assertions/{id}?lang=nl\""));
        Assert.That(html, Does.Not.Contain("<b>de"));
        Assert.That((await Browser($"/public/assertions/{id}?lang={new string('x', 5000)}")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task BadgeClassPage_AndCriteriaPage_ShowTheClass_AndIssuerPageListsIt()
    {
        var partner = await NewPartnerAsync("MDA Charleroi");
        var badgeClass = await NewBadgeClassAsync(partner);
        foreach (var path in new[] { $"/public/badges/{badgeClass}?lang=fr", $"/public/badges/{badgeClass}/criteria?lang=fr" })
        {
            var html = await Html(await Browser(path), 200);
            Assert.That(html, Does.Contain("<h1>Accueil du public</h1>"), path);
            Assert.That(html, Does.Contain("id=\"criteria\"").And.Contain("<li>Accueille le public</li>"), path);
            Assert.That(html, Does.Contain($"href=\"/public/issuers/{partner.IssuerId}?lang=fr\">MDA Charleroi</a>"), path);
            Assert.That(html, Does.Contain("Communiquer à l&#x27;oral – niveau 2"), path);
            Assert.That(html, Does.Contain($"<link rel=\"canonical\" href=\"{Base}/public/badges/{badgeClass}\">"), path);
        }
        var english = await Html(await Browser($"/public/badges/{badgeClass}?lang=en"), 200);
        Assert.That(english, Does.Contain("<h1>Welcoming the public</h1>").And.Contain("<li>Welcomes people</li>"));

        var issuer = await Html(await Browser($"/public/issuers/{partner.IssuerId}?lang=nl"), 200);
        Assert.That(issuer, Does.Contain("<h1>MDA Charleroi</h1>").And.Contain("Aangeboden badges"));
        Assert.That(issuer, Does.Contain($"href=\"/public/badges/{badgeClass}?lang=nl\">Accueil du public</a>"));
        Assert.That(issuer, Does.Contain("href=\"https://mda-roubaix.example.org/\""));
    }

    [Test]
    public async Task VerifyButton_PostsToAPage_ThatVerifiesTheBadge_WithoutJavaScript()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var valid = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var revoked = (await AwardAsync(partner, badgeClass, "autre@example.org"))["id"]!.GetValue<string>();
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{revoked}/revoke", new { reason = "Doublon" }), 200);

        var ok = await Html(await PostForm($"/public/assertions/{valid}/verification?lang=fr"), 200);
        Assert.That(ok, Does.Contain("Ce badge est authentique et valide."));
        Assert.That(ok, Does.Contain("check--pass"));
        Assert.That(ok, Does.Not.Contain("check--fail"));
        Assert.That(ok, Does.Contain($"href=\"/public/assertions/{valid}?lang=fr\""));

        var gone = await PostForm($"/public/assertions/{revoked}/verification?lang=en");
        var goneHtml = await Html(gone, 200);
        Assert.That(goneHtml, Does.Contain("This badge did not pass verification.").And.Contain("Doublon"));
        Assert.That(gone.Headers.CacheControl!.NoStore, Is.True);

        await Html(await PostForm("/public/assertions/0123456789abcdef01234567/verification"), 404);
        await Html(await PostForm($"/public/assertions/{valid}/verification?lang=xx"), 400);
    }

    [Test]
    public async Task Pages_HaveAStrictPolicy_AndTheirStylesheetIsServedImmutable()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var page = await Browser($"/public/assertions/{id}");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(policy, Is.EqualTo(SecurityHeaders.PagePolicy));
        Assert.That(policy, Does.Not.Contain("unsafe").And.Not.Contain("data:").And.Not.Contain("*"));
        var document = await Anonymous().GetAsync($"/public/assertions/{id}");
        Assert.That(document.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(SecurityHeaders.DataPolicy));

        var html = await page.Content.ReadAsStringAsync();
        var css = Regex.Match(html, "<link rel=\"stylesheet\" href=\"(/public/assets/site\\.[0-9a-f]{10}\\.css)\">").Groups[1].Value;
        Assert.That(css, Is.Not.Empty);
        var sheet = await Anonymous().GetAsync(css);
        Assert.That((int)sheet.StatusCode, Is.EqualTo(200));
        Assert.That(sheet.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));
        Assert.That(sheet.Headers.CacheControl!.ToString(), Does.Contain("immutable").And.Contain("max-age=31536000"));
        Assert.That(await sheet.Content.ReadAsStringAsync(), Does.Contain(".status--revoked"));
        await AssertProblem(await Anonymous().GetAsync("/public/assets/site.0000000000.css"), 404);
        Assert.That(html, Does.Not.Contain("style=\""), "no inline style: the policy has no 'unsafe-inline'");
    }

    [Test]
    public void PageTemplates_UseOnlyTextsThatEveryLanguageHas()
    {
        var texts = new Requapass.Badges.Api.Features.Pages.PageTexts();
        var root = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "src", "Requapass.Badges.Api", "Features", "Pages", "Templates");
        var used = Directory.GetFiles(root, "*.liquid").SelectMany(f => TextKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.That(used, Has.Count.GreaterThan(30));
        foreach (var lang in new[] { "fr", "nl", "en" })
        {
            Assert.That(used, Is.SubsetOf(texts.For(lang).Keys), lang);
            Assert.That(texts.For(lang).Values, Has.None.Empty, lang);
        }
        Assert.That(texts.For("nl")["issued_on"], Is.Not.EqualTo(texts.For("fr")["issued_on"]));
    }

    private async Task<HttpResponseMessage> Browser(string path, string? acceptLanguage = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);
        if (acceptLanguage is not null) { request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage); }
        if (ifNoneMatch is not null) { request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch)); }
        return await Anonymous().SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostForm(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);
        return await Anonymous().SendAsync(request);
    }

    private static async Task<string> Html(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), text.Length > 2000 ? text[..2000] : text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        return text;
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("\\bt\\.([a-z_0-9]+)")]
    private static partial Regex TextKey();
}
