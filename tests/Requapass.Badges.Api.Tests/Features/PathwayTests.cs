using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Features.Progress;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Levels in order, the progress grid and the game's discovery badge (issue #13, parts 3 and 5), over
/// HTTP on both stores. The public progress route proves its recipient with a skills map's token.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class PathwayTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(_smtp.SmtpPort);
        settings["SkillsMaps:StartUrl"] = "https://requapass.example/carte";
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    internal static async Task<JsonObject> SetRuleAsync(Partner partner, string classId, string rule)
    {
        var c = await Json(await partner.Client.GetAsync($"/api/v1/badge-classes/{classId}"), 200);
        var body = new JsonObject
        {
            ["name"] = c["name"]!.GetValue<string>(), ["description"] = c["description"]!.GetValue<string>(),
            ["criteria"] = new JsonObject { ["narrative"] = c["criteria"]!["narrative"]!.GetValue<string>() },
            ["alignment"] = c["alignment"]!.DeepClone(), ["tags"] = c["tags"]!.DeepClone(), ["language"] = c["language"]!.GetValue<string>(),
            ["levelRule"] = rule,
        };
        return await Json(await partner.Client.PutAsJsonAsync($"/api/v1/badge-classes/{classId}", body), 200);
    }

    private static Task<HttpResponseMessage> AwardRaw(Partner partner, string classId, string email, DateTimeOffset? expires = null) =>
        partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{classId}/assertions",
            new { recipient = new { type = "email", identity = email }, expires, notify = false });

    [Test]
    public async Task Strict_level2_is_refused_409_naming_level1_until_level1_is_held_from_any_issuer_and_advisory_is_not()
    {
        var (roubaix, rClasses) = await CataloguePartnerAsync("MDA Roubaix");
        var (tourcoing, tClasses) = await CataloguePartnerAsync("MDA Tourcoing");
        var email = SmtpServer.NewAddress("Marie");

        // Advisory (the default): level 2 without level 1 is awarded.
        var advisory = await Json(await roubaix.Client.GetAsync($"/api/v1/badge-classes/{rClasses["COM-ORAL-N2"]}"), 200);
        Assert.That(advisory["levelRule"]!.GetValue<string>(), Is.EqualTo("advisory"));
        await Json(await AwardRaw(roubaix, rClasses["COM-USAGES-N2"], email), 201);

        var strict = await SetRuleAsync(roubaix, rClasses["COM-ORAL-N2"], "strict");
        Assert.That(strict["levelRule"]!.GetValue<string>(), Is.EqualTo("strict"));
        var problem = await AssertProblem(await AwardRaw(roubaix, rClasses["COM-ORAL-N2"], email), 409);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:level-required"));
        Assert.That(problem["competence"]!.GetValue<string>(), Is.EqualTo("communication_orale"));
        Assert.That(problem["level"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("COM-ORAL-N1"));
        Assert.That(problem["badgeClass"]!.GetValue<string>(), Is.EqualTo(rClasses["COM-ORAL-N1"]), "the awarding issuer's own level 1 class");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("level 1").And.Contain(rClasses["COM-ORAL-N1"]));

        // Level 1 from another issuer counts (any issuer on this service).
        await Json(await AwardRaw(tourcoing, tClasses["COM-ORAL-N1"], email), 201);
        await Json(await AwardRaw(roubaix, rClasses["COM-ORAL-N2"], email.ToUpperInvariant()), 201);

        // A class without a catalogue code has no level: strict is refused on it.
        var plain = await NewBadgeClassAsync(roubaix);
        var refused = await roubaix.Client.PutAsJsonAsync($"/api/v1/badge-classes/{plain}", new
        {
            name = "Accueil", description = "Accueille.", criteria = new { narrative = "- Accueille" }, levelRule = "strict",
        });
        Assert.That((await AssertProblem(refused, 400))["errors"]!["levelRule"], Is.Not.Null);
        await AssertProblem(await roubaix.Client.PutAsJsonAsync($"/api/v1/badge-classes/{plain}", new
        {
            name = "Accueil", description = "Accueille.", criteria = new { narrative = "- Accueille" }, levelRule = "always",
        }), 400);
    }

    [Test]
    public async Task A_revoked_or_expired_level1_does_not_count()
    {
        var (partner, classes) = await CataloguePartnerAsync("MDA Charleroi");
        await SetRuleAsync(partner, classes["ORG-ACTIVITE-N2"], "strict");
        var revokedTo = SmtpServer.NewAddress("revoked");
        var level1 = await Json(await AwardRaw(partner, classes["ORG-ACTIVITE-N1"], revokedTo), 201);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{level1["id"]}/revoke", new { reason = "Erreur" }), 200);
        await AssertProblem(await AwardRaw(partner, classes["ORG-ACTIVITE-N2"], revokedTo), 409);

        var expiredTo = SmtpServer.NewAddress("expired");
        await Json(await AwardRaw(partner, classes["ORG-ACTIVITE-N1"], expiredTo, Factory.Clock.GetUtcNow().AddSeconds(61)), 201);
        await Json(await AwardRaw(partner, classes["ORG-ACTIVITE-N2"], expiredTo), 201);
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        // Expired now: a second level 2 (say, from a new award) is refused.
        await AssertProblem(await AwardRaw(partner, classes["ORG-ACTIVITE-N2"], expiredTo), 409);
    }

    [Test]
    public async Task Strict_applies_to_bulk_rows_and_to_claim_approval()
    {
        var (partner, classes) = await CataloguePartnerAsync("MDA Lille");
        await SetRuleAsync(partner, classes["ORG-EQUIPE-N2"], "strict");
        var holder = SmtpServer.NewAddress("holder");
        var lacking = SmtpServer.NewAddress("lacking");
        await Json(await AwardRaw(partner, classes["ORG-EQUIPE-N1"], holder), 201);
        HttpRequestMessage Batch(string key, bool partial) => new(HttpMethod.Post, $"/api/v1/badge-classes/{classes["ORG-EQUIPE-N2"]}/assertions/batch" + (partial ? "?partial=true" : ""))
        {
            Content = JsonContent.Create(new[] { new { recipient = new { type = "email", identity = holder }, notify = false }, new { recipient = new { type = "email", identity = lacking }, notify = false } }),
            Headers = { { "Idempotency-Key", key } },
        };
        var whole = await AssertProblem(await partner.Client.SendAsync(Batch("levels-1", partial: false)), 409);
        Assert.That(whole["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:level-required"));
        Assert.That(whole["rows"]!.AsArray().Select(r => r!.GetValue<int>()), Is.EqualTo(new[] { 2 }));
        var job = await Json(await partner.Client.SendAsync(Batch("levels-2", partial: true)), 201);
        Assert.That(job["awarded"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(job["errors"]!.AsArray().Single()!["line"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(job["errors"]![0]!["errors"]!["level"]![0]!.GetValue<string>(), Does.Contain("ORG-EQUIPE-N1"));

        var campaign = await ClaimTests.CampaignAsync(partner, classes["ORG-EQUIPE-N2"], ClaimTests.MultiUse(review: true));
        var claim = await Json(await Anonymous().PostAsJsonAsync("/public/claims", new { code = campaign["code"]!.GetValue<string>(), email = lacking }), 202);
        var approval = await AssertProblem(await partner.Client.PostAsync($"/api/v1/claims/{claim["claimId"]}/approve", null), 409);
        Assert.That(approval["code"]!.GetValue<string>(), Is.EqualTo("ORG-EQUIPE-N1"));
        var pending = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/claims?status=pending"), 200);
        Assert.That(pending["items"]!.AsArray(), Has.Count.EqualTo(1), "the refused approval left the claim pending");
    }

    [Test]
    public async Task Strict_class_documents_publish_the_level_tags_and_the_prerequisite_in_the_criteria()
    {
        var (partner, classes) = await CataloguePartnerAsync("MDA Mons");
        await SetRuleAsync(partner, classes["COM-ORAL-N3"], "strict");
        var strict = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N3"]}"), 200);
        Assert.That(strict["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("rectec:level:3").And.Contain("rectec:competence:communication_orale"));
        Assert.That(strict["criteria"]!["narrative"]!.GetValue<string>(), Does.Contain($"{BadgesApiFactory.PublicBaseUrl}/public/badges/{classes["COM-ORAL-N2"]}"));
        Assert.That(strict["criteria"]!["id"]!.GetValue<string>(), Does.StartWith("https://"));
        Assert.That(strict["alignment"]!.AsArray(), Is.Not.Empty);
        Assert.That((strict["related"]?.AsArray() ?? []).All(r => r!["@language"] is not null), "related stays for translations");
        Assert.That(strict.ToJsonString(), Does.Not.Contain("\"related\":[{\"id\":\"" + BadgesApiFactory.PublicBaseUrl + "/public/badges/" + classes["COM-ORAL-N2"] + "\""));
        var advisory = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N2"]}"), 200);
        Assert.That(advisory["criteria"]!["narrative"]!.GetValue<string>(), Does.Not.Contain("/public/badges/"));
    }

    [Test]
    public async Task Progress_for_staff_shows_their_badges_and_counts_others_and_the_volunteer_sees_all_as_json_and_svg()
    {
        var (roubaix, rClasses) = await CataloguePartnerAsync("MDA Roubaix bis");
        var (tourcoing, tClasses) = await CataloguePartnerAsync("MDA Tourcoing bis");
        var email = SmtpServer.NewAddress("Paul");
        var own = await Json(await AwardRaw(roubaix, rClasses["COM-ORAL-N1"], email), 201);
        await Json(await AwardRaw(tourcoing, tClasses["COM-ORAL-N2"], email), 201);

        var staff = await Json(await roubaix.Client.PostAsJsonAsync($"/api/v1/issuers/{roubaix.IssuerId}/recipients/progress", new { email }), 200);
        Assert.That(staff["scope"]!.GetValue<string>(), Is.EqualTo("issuer"));
        Assert.That(staff["competences"]!.AsArray(), Has.Count.EqualTo(8));
        var oral = staff["competences"]!.AsArray().Single(c => c!["competence"]!.GetValue<string>() == "communication_orale")!;
        Assert.That(oral["levels"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(oral["levels"]![0]!["held"]!.GetValue<bool>(), Is.True);
        Assert.That(oral["levels"]![0]!["assertion"]!.GetValue<string>(), Is.EqualTo(own["openBadgesId"]!.GetValue<string>()));
        Assert.That(oral["levels"]![1]!["held"]!.GetValue<bool>(), Is.False, "another issuer's badge is not shown to staff");
        Assert.That(oral["levels"]![1]!["assertion"], Is.Null);
        Assert.That(oral["heldElsewhere"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(oral["nextLevel"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(staff.ToJsonString(), Does.Not.Contain(email.Split('@')[0]), "no clear address in the answer");
        // Another issuer's staff cannot ask through Roubaix.
        await AssertProblem(await tourcoing.Client.PostAsJsonAsync($"/api/v1/issuers/{roubaix.IssuerId}/recipients/progress", new { email }), 403);

        // The volunteer, proved by a token, sees both, in English.
        var token = (await ApplicationTests.NewMapAsync(Factory.Database, address: email.ToUpperInvariant())).Token;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/public/recipients/progress?lang=en");
        request.Headers.Authorization = new("Bearer", token);
        var mine = await Json(await Anonymous().SendAsync(request), 200);
        var mineOral = mine["competences"]!.AsArray().Single(c => c!["competence"]!.GetValue<string>() == "communication_orale")!;
        Assert.That(mineOral["name"]!.GetValue<string>(), Is.EqualTo("Oral communication"));
        Assert.That(mineOral["levels"]!.AsArray().Take(2).All(l => l!["held"]!.GetValue<bool>()), Is.True);
        Assert.That(mineOral["levels"]![2]!["next"]!.GetValue<bool>(), Is.True);

        var svgResponse = await Anonymous().GetAsync($"/public/recipients/progress?format=svg&lang=nl&token={Uri.EscapeDataString(token)}");
        Assert.That((int)svgResponse.StatusCode, Is.EqualTo(200));
        Assert.That(svgResponse.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        var svg = XDocument.Parse(await svgResponse.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.w3.org/2000/svg";
        var cells = svg.Descendants(ns + "g").Where(g => g.Attribute("data-code") is not null).ToList();
        Assert.That(cells, Has.Count.EqualTo(32));
        var held = cells.Where(g => g.Attribute("data-state")!.Value == "held").Select(g => g.Attribute("data-code")!.Value);
        Assert.That(held, Is.EquivalentTo(new[] { "COM-ORAL-N1", "COM-ORAL-N2" }));
        Assert.That(cells.Single(g => g.Attribute("data-code")!.Value == "COM-ORAL-N1").Descendants(ns + "text").Select(t => t.Value), Does.Contain("Behaald"));
        Assert.That(svg.Descendants(ns + "a").Select(a => a.Attribute("href")!.Value), Does.Contain(own["openBadgesId"]!.GetValue<string>()));

        // The staff route also draws: Accept chooses.
        using var staffSvg = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/issuers/{roubaix.IssuerId}/recipients/progress") { Content = JsonContent.Create(new { email }) };
        staffSvg.Headers.Accept.ParseAdd("image/svg+xml");
        var drawn = XDocument.Parse(await (await roubaix.Client.SendAsync(staffSvg)).Content.ReadAsStringAsync());
        Assert.That(drawn.Descendants(ns + "g").Where(g => g.Attribute("data-state")?.Value == "held").Select(g => g.Attribute("data-code")!.Value),
            Is.EqualTo(new[] { "COM-ORAL-N1" }));

        await AssertProblem(await Anonymous().GetAsync("/public/recipients/progress?token=nobody"), 401);
        await AssertProblem(await Anonymous().GetAsync("/public/recipients/progress"), 401);
        await AssertProblem(await roubaix.Client.PostAsJsonAsync($"/api/v1/issuers/{roubaix.IssuerId}/recipients/progress", new { email = "not an address" }), 400);
    }

    internal static async Task<(string Token, string ClassId)> GameClientAsync(ApiTestBase test, HttpClient admin, Partner partner, string classId, Func<string, string, Task<string>> token)
    {
        var client = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "Jeu du stand", role = "game", issuerId = partner.IssuerId, badgeClassId = classId }), 201);
        Assert.That(client["badgeClassId"]!.GetValue<string>(), Is.EqualTo(classId));
        return (await token(client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>()), classId);
    }

    [Test]
    public async Task The_game_awards_its_discovery_badge_once_per_key_with_the_skills_map_invitation_and_nothing_else()
    {
        var partner = await NewPartnerAsync("REQUAPASS Jeu");
        var discovery = await NewBadgeClassAsync(partner, "Découverte");
        var other = await NewBadgeClassAsync(partner, "Autre");
        var (token, _) = await GameClientAsync(this, await AdminAsync(), partner, discovery, TokenAsync);
        var game = WithToken(token);
        var email = SmtpServer.NewAddress("Joueur");

        HttpRequestMessage Discover(string? key, string mail = "") => new(HttpMethod.Post, "/api/v1/game/discoveries")
        {
            Content = JsonContent.Create(new { email = mail.Length == 0 ? email : mail, locale = "nl" }),
            Headers = { { "Idempotency-Key", key ?? "" } },
        };
        var first = await Json(await game.SendAsync(Discover("player-1")), 201);
        var again = await game.SendAsync(Discover("player-1"));
        Assert.That((await Json(again, 201))["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(again.Headers.GetValues("Idempotent-Replayed"), Does.Contain("true"));
        Assert.That(first["badgeClassId"]!.GetValue<string>(), Is.EqualTo(discovery));
        await AssertProblem(await game.SendAsync(Discover(null)), 400);
        await AssertProblem(await game.SendAsync(Discover("player-bad", "not-an-address")), 400);

        var messages = await _smtp.WaitForAsync(email);
        await Task.Delay(500);
        Assert.That(await _smtp.MessagesToAsync(email), Has.Count.EqualTo(1), "one assertion, one email");
        Assert.That(messages[0].TextBody, Does.Contain("https://requapass.example/carte").And.Contain("competentiekaart"));
        Assert.That(messages[0].HtmlBody, Does.Contain("href=\"https://requapass.example/carte\""));
        var list = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1));

        // A staff award of another class gets no invitation.
        var staffTo = SmtpServer.NewAddress("Staff");
        await AwardAsync(partner, other, staffTo);
        Assert.That((await _smtp.WaitForAsync(staffTo))[0].TextBody, Does.Not.Contain("https://requapass.example/carte"));

        // Nothing else: another class, reading, a staff token on the game route.
        await AssertProblem(await game.PostAsJsonAsync($"/api/v1/badge-classes/{other}/assertions", new { recipient = new { type = "email", identity = email } }), 403);
        await AssertProblem(await game.GetAsync($"/api/v1/assertions/{first["id"]}"), 403);
        await AssertProblem(await partner.Client.SendAsync(Discover("staff-1")), 403);
        Assert.That((await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200))["items"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task TheLevelsPage_TheAlignmentsPointAt_LinksTheLevelsBelowAndAbove()
    {
        var html = await (await Anonymous().GetAsync("/public/frameworks/rectec-plus/COM-ORAL-N2")).Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<a href=\"COM-ORAL-N1\" rel=\"prev\">"));
        Assert.That(html, Does.Contain("<a href=\"COM-ORAL-N3\" rel=\"next\">"));
        Assert.That(html, Does.Contain("<a href=\"COM-ORAL-N4\" rel=\"next\">"));
        Assert.That(html, Does.Contain("<li aria-current=\"page\">"));
    }

    [Test]
    public async Task A_catalogue_class_read_and_sent_back_unchanged_is_unchanged()
    {
        var (partner, classes) = await CataloguePartnerAsync("Maison des Associations de Charleroi");
        var path = $"/api/v1/badge-classes/{classes["COM-ORAL-N3"]}";
        var before = await Json(await partner.Client.GetAsync(path), 200);
        Assert.That(before["alignment"]![0]!["targetUrl"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/frameworks/rectec-plus/COM-ORAL-N3"));
        var body = new JsonObject
        {
            ["name"] = before["name"]!.DeepClone(), ["description"] = before["description"]!.DeepClone(), ["criteria"] = before["criteria"]!.DeepClone(),
            ["alignment"] = before["alignment"]!.DeepClone(), ["tags"] = before["tags"]!.DeepClone(), ["language"] = before["language"]!.DeepClone(),
            ["translations"] = before["translations"]!.DeepClone(),
        };
        var after = await Json(await partner.Client.PutAsJsonAsync(path, body), 200);
        foreach (var field in new[] { "alignment", "criteria", "tags", "translations", "levelRule" })
        {
            Assert.That(after[field]!.ToJsonString(), Is.EqualTo(before[field]!.ToJsonString()), field);
        }
        var document = await Json(await Anonymous().GetAsync($"/public/badges/{classes["COM-ORAL-N3"]}"), 200);
        Assert.That(document["criteria"]!["id"]!.GetValue<string>(), Does.EndWith($"/public/badges/{classes["COM-ORAL-N3"]}/criteria"), "the hosted criteria page stays hosted");
    }
}
