using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The REQUAPASS journey (issue #13, "Done when"), end to end over HTTP on both stores, every mail read
/// from smtp4dev: the mini-game's discovery badge and its invitation, a skills map opened from the link
/// in its mail, an application refused by a strict level 2 and accepted at level 1, a request for more
/// and the answer, approval (the badge carries the experience as evidence), the progress grid at each
/// step, level 2 applied for once level 1 is held, and a referent's endorsement of the badge verified.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed partial class JourneyTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        return await BadgesApiFactory.StartAsync(Provider, MailTests.Settings(_smtp.SmtpPort));
    }

    [GeneratedRegex(@"/public/skills-maps/([A-Za-z0-9_-]{43})")]
    private static partial Regex MapLink();

    private static string Base => BadgesApiFactory.PublicBaseUrl;

    private static JsonObject Oral(JsonObject grid) =>
        grid["competences"]!.AsArray().Single(c => c!["competence"]!.GetValue<string>() == "communication_orale")!.AsObject();

    private async Task<JsonObject> ProgressAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/public/recipients/progress?lang=fr");
        request.Headers.Authorization = new("Bearer", token);
        return await Json(await Anonymous().SendAsync(request), 200);
    }

    [Test]
    public async Task A_player_becomes_a_volunteer_with_a_badge_the_evidence_of_their_experience_and_an_endorsement()
    {
        var email = SmtpServer.NewAddress("Marie");

        // 1. The game: the discovery badge, once per Idempotency-Key, with the invitation to a skills map.
        var requapass = await NewPartnerAsync("REQUAPASS");
        var discovery = await NewBadgeClassAsync(requapass, "Découverte");
        var (gameToken, _) = await PathwayTests.GameClientAsync(this, await AdminAsync(), requapass, discovery, TokenAsync);
        var game = WithToken(gameToken);
        var discoveries = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var discover = new HttpRequestMessage(HttpMethod.Post, "/api/v1/game/discoveries") { Content = JsonContent.Create(new { email, locale = "fr" }) };
            discover.Headers.Add("Idempotency-Key", "partie-42");
            discoveries.Add((await Json(await game.SendAsync(discover), 201))["id"]!.GetValue<string>());
        }
        Assert.That(discoveries.Distinct().Count(), Is.EqualTo(1), "a retried finish is the same badge");
        var awardMail = (await _smtp.WaitForAsync(email)).Single();
        Assert.That(awardMail.TextBody, Does.Contain($"{Base}/public/skills-maps/new"), "the discovery mail invites to a skills map");

        // 2. The skills map: the start page the invitation opens, the start, the private link by mail.
        Assert.That((int)(await Anonymous().GetAsync("/public/skills-maps/new")).StatusCode, Is.EqualTo(200));
        await Json(await Anonymous().PostAsJsonAsync("/public/skills-maps", new { email, locale = "fr" }), 202);
        var linkMail = (await _smtp.WaitForAsync(email, 2)).Single(m => MapLink().IsMatch(m.TextBody ?? ""));
        var token = MapLink().Match(linkMail.TextBody!).Groups[1].Value;
        var map = $"/public/skills-maps/{token}";
        var experience = await Json(await Anonymous().PostAsJsonAsync($"{map}/experiences", new
        {
            association = "Comité des fêtes de Tourcoing", role = "Responsable du stand de crêpes", contextWhat = "La fête de quartier, deux jours",
            contextForWhom = "Les habitants du quartier", startedOn = "2025-05-01", endedOn = "2025-09-30", hoursPerMonth = 10,
            narrative = "J'ai tenu le stand, accueilli les clients et expliqué les prix.",
            competences = new[] { new { competence = "communication_orale", level = 2, example = "J'ai présenté le stand aux visiteurs." } },
        }), 201);
        var experienceId = experience["id"]!.GetValue<string>();

        // 3. Roubaix requires level 1 before level 2 of oral communication: applying for level 2 is refused.
        var (roubaix, classes) = await CataloguePartnerAsync("Maison des Associations de Roubaix");
        await PathwayTests.SetRuleAsync(roubaix, classes["COM-ORAL-N2"], "strict");
        object Apply(string code, string narrative) => new { issuerId = roubaix.IssuerId, badgeClassIds = new[] { classes[code] }, experienceId, narrative };
        var refused = await AssertProblem(await Anonymous().PostAsJsonAsync($"{map}/applications", Apply("COM-ORAL-N2", "Je vise le niveau 2.")), 409);
        Assert.That(refused["type"]!.GetValue<string>(), Does.EndWith("level-required"));
        Assert.That((refused["code"]!.GetValue<string>(), refused["level"]!.GetValue<int>()), Is.EqualTo(("COM-ORAL-N1", 1)));

        // 4. Level 1 it is; the grid shows it applied for.
        var applied = await Json(await Anonymous().PostAsJsonAsync($"{map}/applications", Apply("COM-ORAL-N1", "Je commence par le niveau 1.")), 201);
        var application = applied["items"]![0]!["id"]!.GetValue<string>();
        var grid = Oral(await ProgressAsync(token));
        Assert.That(grid["levels"]![0]!["applied"]!.GetValue<bool>(), Is.True);
        Assert.That(grid["levels"]![0]!["held"]!.GetValue<bool>(), Is.False);

        // 5. Staff ask for more; the volunteer answers; staff approve.
        var queue = await Json(await roubaix.Client.GetAsync($"/api/v1/issuers/{roubaix.IssuerId}/applications?status=pending"), 200);
        Assert.That(queue["items"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()), Is.EqualTo(new[] { application }));
        await Json(await roubaix.Client.PostAsJsonAsync($"/api/v1/applications/{application}/request-info",
            new { message = "Pouvez-vous raconter un échange avec un visiteur ?" }), 200);
        var askMail = (await _smtp.WaitForAsync(email, 4)).Last();
        Assert.That(askMail.TextBody, Does.Contain("Pouvez-vous raconter un échange avec un visiteur ?"));
        await Json(await Anonymous().PostAsJsonAsync($"{map}/applications/{application}/answer",
            new { narrative = "Un visiteur ne parlait que néerlandais : je lui ai expliqué les prix avec des gestes et quelques mots." }), 200);
        var approved = await Json(await roubaix.Client.PostAsJsonAsync($"/api/v1/applications/{application}/approve", new { comment = "Bravo" }), 200);
        var assertionId = approved["assertionId"]!.GetValue<string>();

        // 6. The badge: the experience as evidence, the volunteer's words as narrative, the OB 2.0 shape, its mail.
        var text = await (await Anonymous().GetAsync($"/public/assertions/{assertionId}")).Content.ReadAsStringAsync();
        var badge = JsonNode.Parse(text)!.AsObject();
        Assert.That(badge["narrative"]!.GetValue<string>(), Does.StartWith("Un visiteur ne parlait que néerlandais"));
        var evidence = badge["evidence"]!.AsArray().Single()!;
        Assert.That(evidence["name"]!.GetValue<string>(), Does.Contain("Comité des fêtes de Tourcoing"));
        Assert.That(evidence["narrative"]!.GetValue<string>(), Does.Contain("J'ai tenu le stand"));
        using (var parsed = JsonDocument.Parse(text))
        {
            Assert.That(ObShape.Assertion(parsed.RootElement).Where(c => c.Status != CheckStatus.Pass).Select(c => c.Name + ": " + c.Message), Is.Empty);
        }
        var history = await Json(await roubaix.Client.GetAsync($"/api/v1/applications/{application}"), 200);
        Assert.That(history["history"]!.AsArray().Select(s => s!["what"]!.GetValue<string>()),
            Is.EqualTo(new[] { "submitted", "info-requested", "resubmitted", "approved" }));
        var badgeMail = (await _smtp.WaitForAsync(email, 5)).Last();
        Assert.That(badgeMail.TextBody, Does.Contain($"/public/assertions/{assertionId}"));

        // 7. The grid: level 1 held (with its badge), level 2 next; now level 2 may be applied for.
        grid = Oral(await ProgressAsync(token));
        Assert.That(grid["levels"]![0]!["held"]!.GetValue<bool>(), Is.True);
        Assert.That(grid["levels"]![0]!["assertion"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/assertions/{assertionId}"));
        Assert.That(grid["nextLevel"]!.GetValue<int>(), Is.EqualTo(2));
        await Json(await Anonymous().PostAsJsonAsync($"{map}/applications", Apply("COM-ORAL-N2", "Le niveau 2, maintenant.")), 201);

        // 8. A referent of another association endorses the badge; the endorsement and the badge verify.
        var tourcoing = await NewPartnerAsync("Maison des Associations de Tourcoing");
        var endorsement = await Json(await tourcoing.Client.PostAsJsonAsync($"/api/v1/issuers/{tourcoing.IssuerId}/endorsements", new
        {
            target = $"{Base}/public/assertions/{assertionId}", comment = "J'ai vu Marie tenir le stand et accueillir les visiteurs (Jean Dupont, référent).",
        }), 201);
        var verified = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = endorsement["url"]!.GetValue<string>() }), 200);
        Assert.That(verified["valid"]!.GetValue<bool>(), Is.True, verified.ToJsonString());
        var report = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = $"{Base}/public/assertions/{assertionId}", email }), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report.ToJsonString());
        Assert.That(report["endorsementCount"]!.GetValue<int>(), Is.EqualTo(1));
    }
}
