using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>Counters, /metrics and log lines, through HTTP on both stores (issue #11, item 7).</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class TelemetryTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private MeterCapture _meters = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Batch:ChunkSize"] = "2",
        ["Verification:RequestsPerMinute"] = "100000",
    };

    [SetUp]
    public void ListenToMeter() => _meters = new MeterCapture(Factory.Services.GetRequiredService<IMeterFactory>(), BadgeMetrics.MeterName);

    [TearDown]
    public void StopListening() => _meters.Dispose();

    [Test]
    public async Task Verifications_AreCountedByResultAndInput()
    {
        var partner = await NewPartnerAsync();
        var award = await AwardAsync(partner, await NewBadgeClassAsync(partner));
        var png = await Anonymous().GetByteArrayAsync($"/public/assertions/{award["id"]}/image");

        var byUrl = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = award["openBadgesId"]!.GetValue<string>() }), 200);
        var byPng = await Json(await Anonymous().PostAsync("/public/verify", new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } }), 200);
        var byJws = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { jws = "not.a.jws" }), 200);

        Assert.That((byUrl["valid"]!.GetValue<bool>(), byPng["valid"]!.GetValue<bool>(), byJws["valid"]!.GetValue<bool>()), Is.EqualTo((true, true, false)));
        const string name = "requapass.badges.verifications";
        Assert.That(_meters.Sum(name, ("result", "valid"), ("input", "url")), Is.EqualTo(1));
        Assert.That(_meters.Sum(name, ("result", "valid"), ("input", "png")), Is.EqualTo(1));
        Assert.That(_meters.Sum(name, ("result", "invalid"), ("input", "jws")), Is.EqualTo(1));
        Assert.That(_meters.Sum(name), Is.EqualTo(3));
    }

    [Test]
    public async Task Bakes_AreCountedByFormat_ForTheImageAndTheExport_NotFor304()
    {
        var partner = await NewPartnerAsync();
        var onPng = await AwardAsync(partner, await NewBadgeClassAsync(partner));
        var svgClass = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Travail en équipe", SvgDataUri())), 201);
        var onSvg = await AwardAsync(partner, svgClass["id"]!.GetValue<string>());

        var image = await Anonymous().GetAsync($"/public/assertions/{onPng["id"]}/image");
        Assert.That((int)image.StatusCode, Is.EqualTo(200));
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{onPng["id"]}/image");
        again.Headers.IfNoneMatch.Add(image.Headers.ETag!);
        Assert.That((int)(await Anonymous().SendAsync(again)).StatusCode, Is.EqualTo(304));
        Assert.That((int)(await Anonymous().GetAsync($"/public/assertions/{onSvg["id"]}/image")).StatusCode, Is.EqualTo(200));
        var export = await Anonymous().GetAsync($"/public/assertions/{onPng["id"]}/export");
        Assert.That((int)export.StatusCode, Is.EqualTo(200));
        await export.Content.ReadAsByteArrayAsync();

        Assert.That(_meters.Sum("requapass.badges.bakes", ("format", "png")), Is.EqualTo(2), "the image and the export; the 304 made none");
        Assert.That(_meters.Sum("requapass.badges.bakes", ("format", "svg")), Is.EqualTo(1));
    }

    [Test]
    public async Task BatchRows_AreCountedPerCommittedChunk()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var rows = new JsonArray(BatchTests.Row("t1@example.org"), BatchTests.Row("t2@example.org"), BatchTests.Row("t3@example.org"));
        var job = await Json(await BatchTests.Send(partner, badgeClass, rows.ToJsonString(), "application/json", "telemetry-batch-1"), 201);
        Assert.That(job["awarded"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(_meters.Sum("requapass.badges.batch.rows"), Is.EqualTo(3));
        Assert.That(_meters.TagSets("requapass.badges.batch.rows"), Is.EqualTo(new[] { "", "" }), "two chunks (2 + 1), no tags");
    }

    [Test]
    public async Task AwardsAndRevocations_AreCountedByTheIssuanceCore()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var one = (await AwardAsync(partner, badgeClass, "single@example.org"))["id"]!.GetValue<string>();
        var signed = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "signed@example.org" }, verification = "signed" }), 201);
        var rows = new JsonArray(BatchTests.Row("b1@example.org"), BatchTests.Row("b2@example.org"), BatchTests.Row("b3@example.org"));
        await Json(await BatchTests.Send(partner, badgeClass, rows.ToJsonString(), "application/json", "telemetry-awards"), 201);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{one}/revoke", new { reason = "Erreur" }), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{one}/revoke", new { reason = "Encore" }), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/assertions/revoke",
            new { ids = new[] { one, signed["id"]!.GetValue<string>() }, reason = "Session annulée" }), 200);

        Assert.That(_meters.Sum("requapass.badges.awarded", ("verification", "hosted"), ("source", "single")), Is.EqualTo(1));
        Assert.That(_meters.Sum("requapass.badges.awarded", ("verification", "signed"), ("source", "single")), Is.EqualTo(1));
        Assert.That(_meters.Sum("requapass.badges.awarded", ("verification", "hosted"), ("source", "batch")), Is.EqualTo(3));
        Assert.That(_meters.Sum("requapass.badges.revoked"), Is.EqualTo(2), "a second revocation of the same badge counts nothing");
    }

    [Test]
    public void TheWebhookDeliveryCounter_CarriesItsTags()
    {
        // The webhook worker calls it; here it is read through the meter directly.
        Factory.Services.GetRequiredService<BadgeMetrics>().WebhookDelivery("assertion.revoked", "succeeded");
        Assert.That(_meters.Sum("requapass.badges.webhook.deliveries", ("event", "assertion.revoked"), ("outcome", "succeeded")), Is.EqualTo(1));
    }

    [Test]
    public async Task Metrics_AnswersPrometheusText_WithTheCounters()
    {
        var partner = await NewPartnerAsync();
        await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { jws = "not.a.jws" }), 200);
        Factory.Services.GetRequiredService<BadgeMetrics>().Awarded(Requapass.Badges.Core.OpenBadges.VerificationType.Hosted, AwardSource.Single);

        var response = await Anonymous().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(text, Does.Contain("requapass_badges_verifications"));
        Assert.That(text, Does.Match("requapass_badges_verifications[a-z_]*\\{[^}]*result=\"invalid\""));
        Assert.That(text, Does.Contain("requapass_badges_awarded"));
        Assert.That(text, Does.Contain("http_server_request_duration"), "ASP.NET Core instrumentation");
        Assert.That(text, Does.Contain("service_name=\"requapass-badges\""), "target_info names the service");
        Assert.That(text, Does.Not.Contain(partner.IssuerId), "no ids in tags");
    }

    [Test]
    public async Task LogLines_AreJson_WithTheRequestsTraceId()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var partner = await NewPartnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/issuers/{partner.IssuerId}/assertions");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.That((int)(await partner.Client.SendAsync(request)).StatusCode, Is.EqualTo(200));

        var lines = Factory.ConsoleOutput.Lines.ToList();
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            Assert.That(() => JsonNode.Parse(line)!.AsObject(), Throws.Nothing, line);
        }
        // The request reads the database: EF Core's command lines (on in tests) are written under its trace.
        var traced = lines.Select(l => JsonNode.Parse(l)!).Where(l => l["Scopes"]?.AsArray().Any(s => s?["TraceId"]?.GetValue<string>() == traceId) == true).ToList();
        Assert.That(traced, Is.Not.Empty, "a line of the request carries its trace id");
        Assert.That(traced.All(l => l["Scopes"]!.AsArray().Any(s => s?["SpanId"] is not null)), Is.True);
    }

    [Test]
    public async Task Logs_NeverHoldARecipientEmailOrAClientSecret()
    {
        var email = $"secret.person.{Guid.NewGuid():N}@example.org";
        var partner = await NewPartnerAsync();
        var admin = await AdminAsync();
        var client = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "Telemetry staff", role = "staff", issuerId = partner.IssuerId }), 201);
        var secret = client["clientSecret"]!.GetValue<string>();
        await TokenAsync(client["clientId"]!.GetValue<string>(), secret);
        await AssertProblem(await Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { clientId = client["clientId"]!.GetValue<string>(), clientSecret = secret + "x" }), 401);
        var award = await AwardAsync(partner, await NewBadgeClassAsync(partner), email);
        await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?recipient={Uri.EscapeDataString(email)}"), 200);
        await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = award["openBadgesId"]!.GetValue<string>(), recipient = email }), 200);

        var everything = Factory.Logs.Lines.Concat(Factory.ConsoleOutput.Lines).ToList();
        Assert.That(everything, Is.Not.Empty);
        foreach (var forbidden in new[] { email, Uri.EscapeDataString(email), secret, BadgesApiFactory.AdminSecret, BadgesApiFactory.SigningKey })
        {
            Assert.That(everything.Where(l => l.Contains(forbidden, StringComparison.OrdinalIgnoreCase)), Is.Empty);
        }
    }
}

/// <summary>The settings: OTLP on (traces recorded), /metrics off.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed class TelemetrySettingsTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        // Nothing listens there: the exporter drops its batches quietly. Tracing is on because it is set.
        ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9",
        ["Telemetry:PrometheusEndpoint"] = "false",
    };

    [Test]
    public async Task Metrics_IsNotServed_WhenTurnedOff() =>
        Assert.That((int)(await Anonymous().GetAsync("/metrics")).StatusCode, Is.EqualTo(404));

    [Test]
    public async Task ServerSpans_RecordNoQueryString()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var email = $"span.person.{Guid.NewGuid():N}@example.org";
        var partner = await NewPartnerAsync();
        var path = $"/api/v1/issuers/{partner.IssuerId}/assertions";
        await Json(await partner.Client.GetAsync($"{path}?recipient={Uri.EscapeDataString(email)}"), 200);

        // The server stops its activity once the response is sent, which may be just after the client has it.
        Activity? span = null;
        for (var i = 0; i < 100 && span is null; i++)
        {
            span = stopped.FirstOrDefault(a => a.GetTagItem("url.path") as string == path);
            if (span is null) { await Task.Delay(50); }
        }
        Assert.That(span, Is.Not.Null, "the OpenTelemetry instrumentation tagged the request");
        Assert.That(span!.GetTagItem("url.query"), Is.Null);
        Assert.That(span.TagObjects.Where(t => t.Value?.ToString()?.Contains("recipient", StringComparison.Ordinal) == true), Is.Empty);
        Assert.That(span.DisplayName, Does.Not.Contain(email));
    }
}
