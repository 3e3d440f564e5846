using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Webhooks (issue #11, item 6), end to end: an award or a revocation reaches a real receiver on
/// loopback, signed with the endpoint's secret; failures and timeouts are retried; a receiver that
/// was down gets the event once it is up; the SSRF rules refuse private addresses; the secret is
/// shown once. The retry schedule is shortened to zero waits here (the test clock stands still).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class WebhookTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    internal static Dictionary<string, string?> Settings(int retries = 40)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Events:DispatchInterval"] = "00:00:00.030",
            ["Webhooks:PollInterval"] = "00:00:00.030",
            ["Webhooks:Timeout"] = "00:00:00.500",
            ["Webhooks:AllowedRanges:0"] = "127.0.0.1/32",
        };
        for (var i = 0; i < retries; i++) { settings[$"Webhooks:RetryDelays:{i}"] = "00:00:00"; }
        return settings;
    }

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => Settings();

    [Test]
    public async Task An_award_is_delivered_as_assertion_awarded_with_a_valid_signature()
    {
        await using var receiver = WebhookReceiver.Create();
        var partner = await NewPartnerAsync();
        var hook = await RegisterAsync(partner, receiver, "assertion.awarded");
        var badgeClass = await NewBadgeClassAsync(partner);
        var award = await AwardAsync(partner, badgeClass, "Marie.Dupont@example.org");

        var received = await WaitForAsync(receiver, 1);
        Assert.That(received.SignatureValid, Is.True, received.Signature);
        Assert.That(received.Signature, Does.StartWith("v1,"));
        var body = received.Json;
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("assertion.awarded"));
        Assert.That(body["id"]!.GetValue<string>(), Is.EqualTo(received.Id));
        Assert.That(body["data"]!["assertionId"]!.GetValue<string>(), Is.EqualTo(award["id"]!.GetValue<string>()));
        Assert.That(received.Body, Does.Not.Contain("dupont").IgnoreCase, "the clear recipient identity is never sent");
        var events = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events"), 200);
        Assert.That(received.Id, Is.EqualTo(events["items"]![0]!["id"]!.GetValue<string>()), "webhook-id is the event's id");

        var delivery = await OnlyDeliveryAsync(partner, hook, "succeeded");
        Assert.That(delivery["attempts"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(delivery["lastStatusCode"]!.GetValue<int>(), Is.EqualTo(204));
    }

    [Test]
    public async Task A_revocation_is_delivered_as_assertion_revoked_and_unasked_types_are_not_sent()
    {
        await using var receiver = WebhookReceiver.Create();
        var partner = await NewPartnerAsync();
        await RegisterAsync(partner, receiver, "assertion.revoked");
        var badgeClass = await NewBadgeClassAsync(partner);
        var id = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Attribué par erreur" }), 200);

        var received = await WaitForAsync(receiver, 1);
        Assert.That(received.SignatureValid, Is.True);
        Assert.That(received.Json["type"]!.GetValue<string>(), Is.EqualTo("assertion.revoked"));
        Assert.That(received.Json["data"]!["assertionId"]!.GetValue<string>(), Is.EqualTo(id));
        await Task.Delay(300);
        Assert.That(receiver.Received, Has.Count.EqualTo(1), "the award (assertion.awarded) was not asked for");
    }

    [Test]
    public async Task Answers_of_500_and_timeouts_are_retried_until_the_receiver_accepts()
    {
        await using var receiver = WebhookReceiver.Create();
        // 500, 500, too slow (the sender gives up at 0.5 s), too slow, then 200.
        receiver.Answer = call => call switch
        {
            1 or 2 => (500, TimeSpan.Zero),
            3 or 4 => (503, TimeSpan.FromSeconds(2)),
            _ => (200, TimeSpan.Zero),
        };
        var partner = await NewPartnerAsync();
        var hook = await RegisterAsync(partner, receiver, "assertion.awarded");
        await AwardAsync(partner, await NewBadgeClassAsync(partner));

        var delivery = await WaitForDeliveryAsync(partner, hook, "succeeded");
        Assert.That(delivery["attempts"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(receiver.Accepted.Values, Is.EqualTo(new[] { 1 }));
        var ids = receiver.Received.Select(r => r.Id).Distinct().ToList();
        Assert.That(ids, Has.Count.EqualTo(1), "every attempt carries the same webhook-id");
        Assert.That(receiver.Received.All(r => r.SignatureValid), Is.True);
    }

    [Test]
    public async Task A_receiver_down_for_a_while_gets_the_event_once_it_is_up()
    {
        await using var receiver = WebhookReceiver.Create(listening: false);
        var partner = await NewPartnerAsync();
        var hook = await RegisterAsync(partner, receiver, "assertion.awarded");
        await AwardAsync(partner, await NewBadgeClassAsync(partner));

        // Connection refused for a while: the delivery stays pending and says why.
        JsonObject? pending = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((pending?["attempts"]!.GetValue<int>() ?? 0) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var list = await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{hook}/deliveries"));
            pending = list.Count == 1 ? list[0]!.AsObject() : null;
        }
        Assert.That(pending, Is.Not.Null);
        Assert.That(pending!["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(pending["lastError"]!.GetValue<string>(), Does.Contain("cannot be reached"));

        receiver.Start();
        var delivered = await WaitForDeliveryAsync(partner, hook, "succeeded");
        await Task.Delay(300);
        Assert.That(receiver.Accepted.Values, Is.EqualTo(new[] { 1 }), "delivered once");
        Assert.That(delivered["attempts"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(4));
    }

    [Test]
    public async Task A_receiver_that_never_accepts_is_failed_when_the_schedule_runs_out()
    {
        await using var receiver = WebhookReceiver.Create();
        receiver.Answer = _ => (500, TimeSpan.Zero);
        var partner = await NewPartnerAsync();
        var hook = await RegisterAsync(partner, receiver, "assertion.awarded");
        await AwardAsync(partner, await NewBadgeClassAsync(partner));

        var delivery = await WaitForDeliveryAsync(partner, hook, "failed");
        Assert.That(delivery["attempts"]!.GetValue<int>(), Is.EqualTo(41), "the first attempt and the 40 retries of the schedule");
        Assert.That(delivery["lastStatusCode"]!.GetValue<int>(), Is.EqualTo(500));
        Assert.That(delivery["lastError"]!.GetValue<string>(), Does.StartWith("Gave up after 41 attempts"));

        // Redelivery starts a fresh schedule; this time the receiver accepts.
        receiver.Answer = _ => (200, TimeSpan.Zero);
        var redelivered = await Json(await partner.Client.PostAsync(
            $"/api/v1/issuers/{partner.IssuerId}/webhooks/{hook}/deliveries/{delivery["id"]!.GetValue<string>()}/redeliver", null), 202);
        Assert.That(redelivered["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        var done = await WaitForDeliveryAsync(partner, hook, "succeeded");
        Assert.That(done["attempts"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [TestCase("http://10.0.0.1:9/hook", "a private address")]
    [TestCase("http://169.254.169.254/latest/meta-data", "a link-local address")]
    [TestCase("http://127.0.0.2:9/hook", "a loopback address")]
    public async Task A_delivery_to_a_private_address_is_refused_and_failed_with_a_clear_error(string url, string reason)
    {
        var partner = await NewPartnerAsync();
        var created = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks",
            new { url, events = new[] { "assertion.awarded" } }), 201);
        var hook = created["id"]!.GetValue<string>();
        await AwardAsync(partner, await NewBadgeClassAsync(partner));

        var delivery = await WaitForDeliveryAsync(partner, hook, "failed");
        Assert.That(delivery["attempts"]!.GetValue<int>(), Is.EqualTo(1), "a refusal is not retried");
        Assert.That(delivery["lastError"]!.GetValue<string>(), Does.Contain(reason).And.Contain("SSRF"));
        Assert.That(delivery["lastStatusCode"]?.GetValue<int?>(), Is.Null);
    }

    [Test]
    public async Task The_secret_is_returned_once_and_never_again()
    {
        await using var receiver = WebhookReceiver.Create();
        var partner = await NewPartnerAsync();
        var response = await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks",
            new { url = receiver.Url, events = new[] { "assertion.awarded", "assertion.revoked" } });
        var created = await Json(response, 201);
        var secret = created["secret"]!.GetValue<string>();
        Assert.That(secret, Does.StartWith("whsec_"));
        Assert.That(Convert.FromBase64String(secret["whsec_".Length..]), Has.Length.EqualTo(32));

        var list = await partner.Client.GetStringAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks");
        Assert.That(list, Does.Contain(created["id"]!.GetValue<string>()).And.Not.Contain(secret["whsec_".Length..]).And.Not.Contain("secret"));
        var deliveries = await partner.Client.GetStringAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{created["id"]}/deliveries");
        Assert.That(deliveries, Does.Not.Contain(secret["whsec_".Length..]));

        // At rest it is sealed, not stored as is.
        await using var context = Storage.SchemaTests.Context(Factory.Database);
        var stored = context.WebhookEndpoints.Single(w => w.PublicId == created["id"]!.GetValue<string>()).SecretCipher;
        Assert.That(stored, Does.Not.Contain(secret["whsec_".Length..]).And.StartWith("v1."));
    }

    [Test]
    public async Task Another_issuers_staff_get_403_and_a_webhook_under_another_issuer_is_404()
    {
        await using var receiver = WebhookReceiver.Create();
        var partner = await NewPartnerAsync();
        var other = await NewPartnerAsync("Maison des Associations de Tourcoing");
        var hook = await RegisterAsync(partner, receiver, "assertion.awarded");
        var otherHook = await RegisterAsync(other, receiver, "assertion.awarded");

        await AssertProblem(await other.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks"), 403);
        await AssertProblem(await other.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks",
            new { url = receiver.Url, events = new[] { "assertion.awarded" } }), 403);
        await AssertProblem(await other.Client.DeleteAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{hook}"), 403);
        await AssertProblem(await other.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{hook}/deliveries"), 403);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{otherHook}/deliveries"), 404);
        await AssertProblem(await Anonymous().GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks"), 401);
    }

    [Test]
    public async Task Registration_is_validated_limited_and_a_disabled_endpoint_gets_nothing()
    {
        await using var receiver = WebhookReceiver.Create();
        var partner = await NewPartnerAsync();
        var url = $"/api/v1/issuers/{partner.IssuerId}/webhooks";
        var bad = await AssertProblem(await partner.Client.PostAsJsonAsync(url, new { url = "ftp://example.org/x", events = new[] { "assertion.sold" } }), 400);
        Assert.That(bad["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "url", "events" }));
        await AssertProblem(await partner.Client.PostAsJsonAsync(url, new { url = receiver.Url, events = Enumerable.Repeat("assertion.awarded", 11) }), 400);
        await AssertProblem(await partner.Client.PostAsJsonAsync(url, new { url = "https://example.org/" + new string('a', 2100), events = new[] { "assertion.awarded" } }), 400);

        var hooks = new List<string>();
        for (var i = 0; i < 10; i++) { hooks.Add(await RegisterAsync(partner, receiver, "assertion.awarded")); }
        await AssertProblem(await partner.Client.PostAsJsonAsync(url, new { url = receiver.Url, events = new[] { "assertion.awarded" } }), 409);

        foreach (var hook in hooks) { await Json(await partner.Client.DeleteAsync($"{url}/{hook}"), 200); }
        var listed = await JsonArray(await partner.Client.GetAsync(url));
        Assert.That(listed.Select(h => h!["active"]!.GetValue<bool>()), Is.All.False);
        await AwardAsync(partner, await NewBadgeClassAsync(partner));
        await Task.Delay(400);
        Assert.That(receiver.Received, Is.Empty);
    }

    // --- helpers

    private static async Task<string> RegisterAsync(Partner partner, WebhookReceiver receiver, params string[] events)
    {
        var created = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks", new { url = receiver.Url, events }), 201);
        receiver.Secret = created["secret"]!.GetValue<string>();
        return created["id"]!.GetValue<string>();
    }

    internal static async Task<ReceivedWebhook> WaitForAsync(WebhookReceiver receiver, int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (receiver.Received.Count < count && DateTime.UtcNow < deadline) { await Task.Delay(20); }
        Assert.That(receiver.Received, Has.Count.GreaterThanOrEqualTo(count), "the receiver did not get the webhook in time");
        return receiver.Received.First();
    }

    private static async Task<JsonObject> OnlyDeliveryAsync(Partner partner, string hook, string? status = null)
    {
        var list = await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{hook}/deliveries"));
        Assert.That(list, Has.Count.EqualTo(1), list.ToJsonString());
        var delivery = list[0]!.AsObject();
        if (status is not null) { Assert.That(delivery["status"]!.GetValue<string>(), Is.EqualTo(status), delivery.ToJsonString()); }
        return delivery;
    }

    private static async Task<JsonObject> WaitForDeliveryAsync(Partner partner, string hook, string status, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var list = await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/webhooks/{hook}/deliveries"));
            if (list.Count == 1 && list[0]!["status"]!.GetValue<string>() == status) { return list[0]!.AsObject(); }
            await Task.Delay(30);
        }
        return await OnlyDeliveryAsync(partner, hook, status);
    }
}
