using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Webhooks across nodes and crashes, on one PostgreSQL database: two service nodes deliver each of
/// many events exactly once, and a service killed with SIGKILL between a change and its delivery
/// delivers the event once after a restart on the same database.
/// </summary>
[TestFixture(DatabaseProvider.Postgres)]
public sealed class WebhookNodeTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => WebhookTests.Settings();

    [Test]
    public async Task Two_nodes_on_one_database_deliver_each_of_many_events_exactly_once()
    {
        await using var second = new BadgesApiFactory(Factory.Database, WebhookTests.Settings(), ownsDatabase: false);
        second.StartServer();
        // Both test clocks stand still; put them at the same instant so both nodes find every delivery due.
        Factory.Clock.SetUtcNow(second.Clock.GetUtcNow());

        await using var receiver = WebhookReceiver.Create();
        var partner = await NewPartnerAsync();
        var created = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks",
            new { url = receiver.Url, events = new[] { "assertion.awarded", "assertion.revoked" } }), 201);
        receiver.Secret = created["secret"]!.GetValue<string>();
        var badgeClass = await NewBadgeClassAsync(partner);
        var nodes = new[] { partner.Client, WithToken(second, partner.Token) };

        const int awards = 60;
        var ids = new List<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, awards), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var response = await nodes[i % 2].PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "email", identity = $"v{i}@example.org" } });
            var id = (await Json(response, 201))["id"]!.GetValue<string>();
            lock (ids) { ids.Add(id); }
        });
        foreach (var (id, i) in ids.Take(20).Select((id, i) => (id, i)))
        {
            await Json(await nodes[i % 2].PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Erreur" }), 200);
        }
        const int events = awards + 20;

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.Accepted.Count < events && DateTime.UtcNow < deadline) { await Task.Delay(50); }
        await Task.Delay(1000); // any second delivery would arrive now
        var accepted = receiver.Accepted;
        TestContext.Out.WriteLine($"two nodes: {events} events, {receiver.Received.Count} requests received, {accepted.Count} distinct webhook-ids, "
            + $"most deliveries of one id: {accepted.Values.DefaultIfEmpty(0).Max()}");
        Assert.That(accepted, Has.Count.EqualTo(events));
        Assert.That(accepted.Values, Is.All.EqualTo(1), "no event delivered twice");
        Assert.That(receiver.Received, Has.Count.EqualTo(events));
        Assert.That(receiver.Received.All(r => r.SignatureValid), Is.True);

        await using var context = Storage.SchemaTests.Context(Factory.Database);
        var rows = await context.WebhookDeliveries.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.That(rows.Single().Key, Is.EqualTo("succeeded"));
        Assert.That(rows.Single().Count, Is.EqualTo(events), "one delivery row per event");
        Assert.That(await context.OutboxEvents.CountAsync(e => e.DispatchedAt == null), Is.Zero);
    }

    [Test]
    public async Task A_service_killed_between_the_award_and_the_delivery_delivers_once_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("rq-webhook-kill-").FullName;
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var adminSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = new Dictionary<string, string?>
        {
            ["Service:PublicBaseUrl"] = "https://badges.example.test",
            ["Service:DataDirectory"] = Path.Combine(folder, "data"),
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Auth:SigningKey"] = BadgesApiFactory.SigningKey,
            ["Auth:BootstrapAdminClientId"] = "kill-admin",
            ["Auth:BootstrapAdminClientSecret"] = adminSecret,
            ["Signing:KeyFiles:0"] = BadgesApiFactory.BadgeKeyFile,
            ["Webhooks:AllowedRanges:0"] = "127.0.0.1/32",
            ["Webhooks:PollInterval"] = "00:00:00.050",
        };
        await using var receiver = WebhookReceiver.Create();

        // First life: the dispatcher looks once at start-up, then not for an hour: the award's event waits in the outbox.
        string assertionId;
        using (var first = await ServiceProcess.StartAsync(new Dictionary<string, string?>(settings) { ["Events:DispatchInterval"] = "01:00:00" }, folder))
        {
            var admin = first.Client(await TokenAsync(first, adminSecret));
            var issuer = await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new
            {
                name = "MDA Charleroi", url = "https://mda-charleroi.example.org", email = "contact@mda-charleroi.example.org",
            }), 201);
            var issuerId = issuer["id"]!.GetValue<string>();
            var hook = await Json(await admin.PostAsJsonAsync($"/api/v1/issuers/{issuerId}/webhooks",
                new { url = receiver.Url, events = new[] { "assertion.awarded" } }), 201);
            receiver.Secret = hook["secret"]!.GetValue<string>();
            var badgeClass = await Json(await admin.PostAsJsonAsync($"/api/v1/issuers/{issuerId}/badge-classes", BadgeClassBody()), 201);
            assertionId = (await Json(await admin.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass["id"]}/assertions",
                new { recipient = new { type = "email", identity = "benevole@example.org" } }), 201))["id"]!.GetValue<string>();
            await Task.Delay(500);
            Assert.That(receiver.Received, Is.Empty, "nothing is sent before the dispatcher's next round");
            await using (var context = Storage.SchemaTests.Context(database))
            {
                Assert.That(await context.OutboxEvents.CountAsync(e => e.Subject == assertionId && e.DispatchedAt == null), Is.EqualTo(1));
            }
            first.KillHard();
        }

        // Second life, on the same database: the event is still there, and goes out once.
        using (var second = await ServiceProcess.StartAsync(new Dictionary<string, string?>(settings) { ["Events:DispatchInterval"] = "00:00:00.050" }, folder))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (receiver.Accepted.Count == 0 && DateTime.UtcNow < deadline) { await Task.Delay(50); }
            await Task.Delay(1000);
            TestContext.Out.WriteLine($"kill -9: {receiver.Received.Count} request(s) received after the restart");
            Assert.That(receiver.Received, Has.Count.EqualTo(1), second.Output);
            var received = receiver.Received.Single();
            Assert.That(received.SignatureValid, Is.True);
            Assert.That(received.Json["data"]!["assertionId"]!.GetValue<string>(), Is.EqualTo(assertionId));
        }
        Directory.Delete(folder, recursive: true);
    }

    private HttpClient WithToken(BadgesApiFactory node, string token)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> TokenAsync(RunningService service, string secret)
    {
        var response = await service.Client().PostAsJsonAsync("/api/v1/auth/token", new { clientId = "kill-admin", clientSecret = secret });
        return (await Json(response, 200))["access_token"]!.GetValue<string>();
    }
}
