using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The audit of staff actions (issue #15): an entry for each action, in the action's transaction (none
/// for an action that failed or lost a race), public ids only, read by platform admins alone.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class AuditTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    // The public rates have their own fixtures; here they must not get in the way.
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["PublicTraffic:ApplicationsPerMinute"] = "10000",
        ["PublicTraffic:ClaimsPerMinute"] = "10000",
    };

    private async Task<JsonArray> EntriesAsync(string query)
    {
        var page = await Json(await (await AdminAsync()).GetAsync($"/api/v1/audit?{query}"), 200);
        return page["items"]!.AsArray();
    }

    private static JsonObject Single(JsonArray entries, string action, string targetId)
    {
        var matching = entries.Select(e => e!.AsObject()).Where(e => e["action"]!.GetValue<string>() == action && e["targetId"]!.GetValue<string>() == targetId).ToList();
        Assert.That(matching, Has.Count.EqualTo(1), $"one {action} entry for {targetId}");
        return matching[0];
    }

    private static string ClientIdOf(Partner partner) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(partner.Token).Subject;

    [Test]
    public async Task Award_Revoke_AndBulkAward_AreEachAuditedOnce_WithTheStaffClient_AndNoAddress()
    {
        var partner = await NewPartnerAsync("MDA Tourcoing audit");
        var badgeClass = await NewBadgeClassAsync(partner);
        var email = $"audit.{Guid.NewGuid():N}@example.org";
        var assertion = (await AwardAsync(partner, badgeClass, email))["id"]!.GetValue<string>();
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertion}/revoke", new { reason = "Erreur de saisie" }), 200);
        // Revoking again changes nothing, and logs nothing.
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertion}/revoke", new { reason = "Encore" });
        var batch = await Json(await partner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = JsonContent.Create(new[] { new { recipient = new { type = "email", identity = email } } }),
            Headers = { { "Idempotency-Key", $"audit-{Guid.NewGuid():N}" } },
        }), 201);

        var response = await (await AdminAsync()).GetAsync($"/api/v1/audit?issuerId={partner.IssuerId}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Not.Contain(email).IgnoreCase, "no clear recipient identity in the audit");
        var entries = (await Json(response, 200))["items"]!.AsArray();
        var award = Single(entries, "assertion.award", assertion);
        Assert.That(award["actorClientId"]!.GetValue<string>(), Is.EqualTo(ClientIdOf(partner)));
        Assert.That(award["actorName"]!.GetValue<string>(), Is.EqualTo("MDA Tourcoing audit staff"));
        Assert.That(award["actorRole"]!.GetValue<string>(), Is.EqualTo("staff"));
        Assert.That(award["targetType"]!.GetValue<string>(), Is.EqualTo("assertion"));
        Assert.That(award["issuerId"]!.GetValue<string>(), Is.EqualTo(partner.IssuerId));
        Single(entries, "assertion.revoke", assertion);
        Single(entries, "batch.start", batch["id"]!.GetValue<string>());
        Assert.That(entries.Select(e => e!["action"]!.GetValue<string>()), Is.EquivalentTo(new[] { "client.create", "assertion.award", "assertion.revoke", "batch.start" }));
        // Newest first.
        Assert.That(entries[0]!["action"]!.GetValue<string>(), Is.EqualTo("batch.start"));
    }

    [Test]
    public async Task FailedAndLosingActions_LeaveNoEntry()
    {
        var partner = await NewPartnerAsync("MDA Roubaix audit");
        var badgeClass = await NewBadgeClassAsync(partner);
        // Refused before anything is written.
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new { recipient = new { type = "email", identity = "not an address" } }), 400);
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks", new { url = "ftp://nowhere", events = new[] { "assertion.awarded" } }), 400);
        // Eight identical awards under one Idempotency-Key: the losers' transactions roll back (unique key), their entries with them.
        var key = $"race-{Guid.NewGuid():N}";
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions")
            {
                Content = JsonContent.Create(new { recipient = new { type = "email", identity = "race@example.org" } }),
                Headers = { { "Idempotency-Key", key } },
            };
            var response = await partner.Client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        var ids = results.Where(r => r.Item1 == 201).Select(r => JsonNode.Parse(r.Item2)!["id"]!.GetValue<string>()).Distinct().ToList();
        Assert.That(ids, Has.Count.EqualTo(1), string.Join("\n", results.Select(r => r.ToString())));
        // Two decisions on one claim, together: one wins; the loser rolls back.
        var campaign = await ClaimTests.CampaignAsync(partner, badgeClass, ClaimTests.MultiUse(review: true));
        var claim = (await Json(await Anonymous().PostAsJsonAsync("/public/claims", new { code = campaign["code"]!.GetValue<string>(), email = "claim.race@example.org" }), 202))["claimId"]!.GetValue<string>();
        var decisions = await Task.WhenAll(
            partner.Client.PostAsync($"/api/v1/claims/{claim}/approve", null),
            partner.Client.PostAsJsonAsync($"/api/v1/claims/{claim}/reject", new { comment = "Non" }));
        Assert.That(decisions.Select(d => (int)d.StatusCode), Is.EquivalentTo(new[] { 200, 409 }));

        var entries = await EntriesAsync($"issuerId={partner.IssuerId}&limit=500");
        Assert.That(entries.Select(e => e!["action"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "client.create", "assertion.award", "claim-campaign.create", (int)decisions[0].StatusCode == 200 ? "claim.approve" : "claim.reject" }));
        Single(entries, "assertion.award", ids[0]);
    }

    [Test]
    public async Task ReviewDecisions_AreAudited()
    {
        var partner = await NewPartnerAsync("MDA Charleroi audit");
        var badgeClass = await NewBadgeClassAsync(partner);
        var campaign = await ClaimTests.CampaignAsync(partner, badgeClass, ClaimTests.MultiUse(review: true));
        async Task<string> ClaimAsync(string email) =>
            (await Json(await Anonymous().PostAsJsonAsync("/public/claims", new { code = campaign["code"]!.GetValue<string>(), email }), 202))["claimId"]!.GetValue<string>();
        var approved = await ClaimAsync("approved@example.org");
        var rejected = await ClaimAsync("rejected@example.org");
        await Json(await partner.Client.PostAsync($"/api/v1/claims/{approved}/approve", null), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/claims/{rejected}/reject", new { comment = "Pas présent au forum" }), 200);

        var applications = new List<string>();
        foreach (var name in new[] { "Accueil", "Tenue de stand", "Animation" })
        {
            var cls = await NewBadgeClassAsync(partner, name);
            var map = await ApplicationTests.NewMapAsync(Factory.Database);
            var created = await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
                new { issuerId = partner.IssuerId, badgeClassIds = new[] { cls }, experienceId = map.ExperienceId, narrative = "Depuis un an." }), 201);
            applications.Add(created["items"]![0]!["id"]!.GetValue<string>());
        }
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{applications[0]}/approve", new { comment = "Bravo" }), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{applications[1]}/reject", new { reason = "Trop tôt" }), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{applications[2]}/request-info", new { message = "Combien d'heures ?" }), 200);

        var entries = await EntriesAsync($"issuerId={partner.IssuerId}");
        Single(entries, "claim.approve", approved);
        Single(entries, "claim.reject", rejected);
        Single(entries, "application.approve", applications[0]);
        Single(entries, "application.reject", applications[1]);
        Assert.That(Single(entries, "application.request-info", applications[2])["targetType"]!.GetValue<string>(), Is.EqualTo("application"));
        // The volunteers' own steps (claiming, applying) are not staff actions.
        Assert.That(entries.Select(e => e!["actorRole"]!.GetValue<string>()), Is.All.EqualTo("staff").Or.EqualTo("admin"));
    }

    [Test]
    public async Task ClientKeyCatalogueAndWebhookManagement_AreAudited()
    {
        var partner = await NewPartnerAsync("MDA Lille audit");
        var admin = await AdminAsync();
        var client = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "Second poste", role = "staff", issuerId = partner.IssuerId }), 201);
        var clientId = client["clientId"]!.GetValue<string>();
        await Json(await admin.PostAsync($"/api/v1/clients/{clientId}/disable", null), 200);
        await Json(await admin.PostAsync($"/api/v1/clients/{clientId}/disable", null), 200);
        var key = await Json(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/keys/rotate", null), 200);
        await Json(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/catalogue", null), 200);
        var webhook = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks",
            new { url = "https://hooks.example.org/badges", events = new[] { "assertion.awarded" } }), 201);
        var webhookId = webhook["id"]!.GetValue<string>();
        await Json(await partner.Client.DeleteAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{webhookId}"), 200);

        var entries = await EntriesAsync($"issuerId={partner.IssuerId}");
        var created = Single(entries, "client.create", clientId);
        Assert.That(created["actorClientId"]!.GetValue<string>(), Is.EqualTo(BadgesApiFactory.AdminClientId));
        Assert.That(created["actorRole"]!.GetValue<string>(), Is.EqualTo("admin"));
        Single(entries, "client.disable", clientId);
        Single(entries, "signing-key.rotate", key["id"]!.GetValue<string>());
        Single(entries, "catalogue.adopt", partner.IssuerId);
        Single(entries, "webhook.create", webhookId);
        Single(entries, "webhook.disable", webhookId);
    }

    [Test]
    public async Task EndorsementsAndCampaigns_AreAudited_AndACatalogueVersionAppliedAtStart_ByTheSystem()
    {
        var partner = await NewPartnerAsync("MDA Tournai audit");
        var other = await NewPartnerAsync("MDA Mons audit");
        var badgeClass = await NewBadgeClassAsync(partner);
        var endorsement = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/endorsements",
            new { target = $"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{other.IssuerId}", comment = "Un partenaire fiable." }), 201))["id"]!.GetValue<string>();
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{endorsement}/revoke", new { reason = "Fin du partenariat" }), 200);
        var campaign = (await ClaimTests.CampaignAsync(partner, badgeClass, ClaimTests.MultiUse()))["id"]!.GetValue<string>();
        await Json(await partner.Client.PostAsync($"/api/v1/claim-campaigns/{campaign}/close", null), 200);
        await Json(await partner.Client.PostAsync($"/api/v1/claim-campaigns/{campaign}/close", null), 200);

        var entries = await EntriesAsync($"issuerId={partner.IssuerId}");
        Single(entries, "endorsement.issue", endorsement);
        Single(entries, "endorsement.revoke", endorsement);
        Single(entries, "claim-campaign.create", campaign);
        Single(entries, "claim-campaign.close", campaign);

        var catalogue = await EntriesAsync("action=catalogue.update");
        Assert.That(catalogue, Is.Not.Empty, "the fresh database got its catalogue version at start");
        Assert.That(catalogue.Select(e => (e!["actorRole"]!.GetValue<string>(), e["targetType"]!.GetValue<string>(), e["issuerId"]?.GetValue<string>())),
            Is.All.EqualTo(("system", "catalogue", (string?)null)));
    }

    [Test]
    public async Task Read_IsForAdminsOnly()
    {
        var partner = await NewPartnerAsync("MDA Mouscron audit");
        await AssertProblem(await partner.Client.GetAsync("/api/v1/audit"), 403);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/audit?issuerId={partner.IssuerId}"), 403);
        await AssertProblem(await Anonymous().GetAsync("/api/v1/audit"), 401);
    }

    [Test]
    public async Task Read_FiltersByIssuerActionAndTime_AndPagesWithACursor()
    {
        var partner = await NewPartnerAsync("MDA Lens audit");
        var other = await NewPartnerAsync("MDA Arras audit");
        var badgeClass = await NewBadgeClassAsync(partner);
        var start = Factory.Clock.GetUtcNow();
        var awarded = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            Factory.Clock.Advance(TimeSpan.FromSeconds(10));
            awarded.Add((await AwardAsync(partner, badgeClass, $"page{i}@example.org"))["id"]!.GetValue<string>());
        }
        await AwardAsync(other, await NewBadgeClassAsync(other), "other@example.org");

        // action and issuer together, two by two, newest first.
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Json(await (await AdminAsync()).GetAsync(
                $"/api/v1/audit?issuerId={partner.IssuerId}&action=assertion.award&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"), 200);
            var items = page["items"]!.AsArray();
            Assert.That(items, Has.Count.LessThanOrEqualTo(2));
            seen.AddRange(items.Select(e => e!["targetId"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(awarded).ToList()));
        Assert.That(pages, Is.EqualTo(3));

        // from inclusive, to exclusive: the second and third awards (at start + 20 s and + 30 s).
        var from = Uri.EscapeDataString(start.AddSeconds(20).ToString("o"));
        var to = Uri.EscapeDataString(start.AddSeconds(31).ToString("o"));
        var window = await EntriesAsync($"action=assertion.award&issuerId={partner.IssuerId}&from={from}&to={to}");
        Assert.That(window.Select(e => e!["targetId"]!.GetValue<string>()), Is.EqualTo(new[] { awarded[2], awarded[1] }));

        // Every platform action of every issuer, for an admin without a filter.
        var all = await EntriesAsync("action=assertion.award&limit=500");
        Assert.That(all.Select(e => e!["issuerId"]!.GetValue<string>()), Does.Contain(other.IssuerId).And.Contain(partner.IssuerId));
    }

    [TestCase("limit=0")]
    [TestCase("limit=501")]
    [TestCase("action=assertion.awarded")]
    [TestCase("cursor=not-a-cursor")]
    [TestCase("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")]
    [TestCase("from=yesterday")]
    public async Task Read_WithABadFilter_Answers400(string query)
    {
        await AssertProblem(await (await AdminAsync()).GetAsync($"/api/v1/audit?{query}"), 400);
    }

    [Test]
    public async Task Read_ForAnUnknownIssuer_Answers404()
    {
        await AssertProblem(await (await AdminAsync()).GetAsync("/api/v1/audit?issuerId=abcdefghijklmnopqrstuvwx"), 404);
    }
}
