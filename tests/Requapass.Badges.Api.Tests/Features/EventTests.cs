using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Domain events (issue #11): every award, revocation, expiry and finished batch writes its event in
/// the same transaction, once, and the issuer's feed lists them in order.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class EventTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Events:ExpiryScanInterval"] = "00:00:00.050",
        ["Batch:SyncThreshold"] = "5",
        ["Batch:ChunkSize"] = "3",
        ["Batch:PollInterval"] = "00:00:00.050",
    };

    [Test]
    public async Task An_award_writes_one_awarded_event_and_a_replay_or_a_refusal_writes_none()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var first = await AwardAsync(partner, badgeClass, "Marie.Dupont@example.org", idempotencyKey: "event-1");
        await AwardAsync(partner, badgeClass, "Marie.Dupont@example.org", idempotencyKey: "event-1");
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "not-an-email" } }), 400);

        var events = await EventsAsync(partner);
        Assert.That(events.Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "assertion.awarded" }));
        var awarded = events[0]!;
        Assert.That(awarded["subject"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(awarded["data"]!["openBadgesId"]!.GetValue<string>(), Is.EqualTo(first["openBadgesId"]!.GetValue<string>()));
        Assert.That(awarded["data"]!["badgeClassId"]!.GetValue<string>(), Is.EqualTo(badgeClass));
        Assert.That(awarded.ToJsonString(), Does.Not.Contain("dupont").IgnoreCase, "the clear recipient identity is never in an event");
    }

    [Test]
    public async Task A_revocation_writes_one_event_per_badge_it_revoked_single_or_bulk()
    {
        var partner = await NewPartnerAsync();
        var other = await NewPartnerAsync("Maison des Associations de Tourcoing");
        var badgeClass = await NewBadgeClassAsync(partner);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) { ids.Add((await AwardAsync(partner, badgeClass, $"v{i}@example.org"))["id"]!.GetValue<string>()); }
        var foreign = (await AwardAsync(other, await NewBadgeClassAsync(other), "x@example.org"))["id"]!.GetValue<string>();

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{ids[0]}/revoke", new { reason = "Erreur" }), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{ids[0]}/revoke", new { reason = "Encore" }), 200);
        var bulk = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/assertions/revoke",
            new { ids = new[] { ids[0], ids[1], ids[2], foreign }, reason = "Session annulée" }), 200);
        Assert.That(bulk["revoked"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EquivalentTo(ids[1..]));
        Assert.That(bulk["alreadyRevoked"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { ids[0] }));
        Assert.That(bulk["forbidden"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { foreign }));

        var revoked = (await EventsAsync(partner, "assertion.revoked")).Select(e => e!["subject"]!.GetValue<string>()).ToList();
        Assert.That(revoked, Is.EquivalentTo(ids), "one event per badge, none for a second revocation");
        var first = (await EventsAsync(partner, "assertion.revoked"))[0]!;
        Assert.That(first["data"]!["reason"]!.GetValue<string>(), Is.EqualTo("Erreur"));
        Assert.That(await EventsAsync(other, "assertion.revoked"), Is.Empty, "another issuer's badge was left alone");
    }

    [Test]
    public async Task A_batch_writes_an_awarded_event_per_row_and_one_completed_event()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var rows = new JsonArray([.. Enumerable.Range(0, 8).Select(i => (JsonNode)new JsonObject
        {
            ["recipient"] = new JsonObject { ["type"] = "email", ["identity"] = $"row{i}@example.org" },
        })]);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = new StringContent(rows.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "events-batch");
        var job = await Json(await partner.Client.SendAsync(request), 202);
        var jobId = job["id"]!.GetValue<string>();
        var completed = await WaitForAsync(partner, "batch.completed", 1);
        Assert.That(completed[0]!["subject"]!.GetValue<string>(), Is.EqualTo(jobId));
        Assert.That(completed[0]!["data"]!["awarded"]!.GetValue<int>(), Is.EqualTo(8));
        var awarded = await EventsAsync(partner, "assertion.awarded");
        Assert.That(awarded, Has.Count.EqualTo(8));
        Assert.That(awarded.Select(e => e!["data"]!["batch"]!["line"]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(1, 8)));
        Assert.That(awarded.Select(e => e!["data"]!["batch"]!["jobId"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { jobId }));
    }

    [Test]
    public async Task A_badge_whose_expiry_passes_is_announced_once_and_a_revoked_one_never()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var expires = Factory.Clock.GetUtcNow().AddMinutes(5);
        var expiring = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" }, expires }), 201);
        var revoked = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "b@example.org" }, expires }), 201);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{revoked["id"]}/revoke", new { reason = "Erreur" }), 200);
        await Task.Delay(200);
        Assert.That(await EventsAsync(partner, "assertion.expired"), Is.Empty, "not before its date");

        Factory.Clock.Advance(TimeSpan.FromMinutes(6));
        var announced = await WaitForAsync(partner, "assertion.expired", 1);
        await Task.Delay(300); // several more scans
        announced = await EventsAsync(partner, "assertion.expired");
        Assert.That(announced.Select(e => e!["subject"]!.GetValue<string>()), Is.EqualTo(new[] { expiring["id"]!.GetValue<string>() }));
        // Tokens are judged by the moved clock: this fixture's later tests mint their own.
    }

    [Test]
    public async Task The_feed_pages_with_a_cursor_filters_by_type_and_is_the_issuers_own()
    {
        var partner = await NewPartnerAsync();
        var other = await NewPartnerAsync("Maison des Associations de Charleroi");
        var badgeClass = await NewBadgeClassAsync(partner);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) { ids.Add((await AwardAsync(partner, badgeClass, $"p{i}@example.org"))["id"]!.GetValue<string>()); }

        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 3; page++)
        {
            var body = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?limit=2" + (cursor is null ? "" : $"&cursor={cursor}")), 200);
            seen.AddRange(body["items"]!.AsArray().Select(e => e!["subject"]!.GetValue<string>()));
            cursor = body["nextCursor"]!.GetValue<string>();
        }
        Assert.That(seen, Is.EqualTo(ids), "oldest first, each once");
        var empty = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?cursor={cursor}"), 200);
        Assert.That(empty["items"]!.AsArray(), Is.Empty);
        Assert.That(empty["nextCursor"]!.GetValue<string>(), Is.EqualTo(cursor), "a poller keeps its place");

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{ids[2]}/revoke", new { reason = "Erreur" }), 200);
        var later = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?cursor={cursor}"), 200);
        Assert.That(later["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "assertion.revoked" }));

        await AssertProblem(await other.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events"), 403);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?type=assertion.deleted"), 400);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?cursor=nonsense"), 400);
    }

    private static async Task<List<JsonNode?>> EventsAsync(Partner partner, string? type = null)
    {
        var body = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?limit=500" + (type is null ? "" : $"&type={type}")), 200);
        return [.. body["items"]!.AsArray()];
    }

    private static async Task<List<JsonNode?>> WaitForAsync(Partner partner, string type, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            var events = await EventsAsync(partner, type);
            if (events.Count >= count) { return events; }
            await Task.Delay(50);
        }
        Assert.Fail($"{count} {type} event(s) did not come within 10 s.");
        return [];
    }
}
