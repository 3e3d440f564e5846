using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The anonymous heavy routes under load: a rate per client address (429) and a cap on how many run
/// at once (503 busy), both with Retry-After, never a 500.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class PublicTrafficTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["PublicTraffic:ConcurrentExports"] = "2",
        ["PublicTraffic:ExportsPerMinute"] = "1000",
        ["PublicTraffic:ImagesPerMinute"] = "3",
    };

    [Test]
    public async Task Parallel_anonymous_exports_beyond_the_cap_get_503_busy_and_the_others_complete()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var id = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Anonymous().GetAsync($"/public/assertions/{id}/export")));
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.That(statuses, Is.All.AnyOf(200, 503), string.Join(", ", statuses));
        Assert.That(statuses, Has.Some.EqualTo(200));
        foreach (var busy in responses.Where(r => (int)r.StatusCode == 503))
        {
            var problem = await AssertProblem(busy, 503);
            Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:busy"));
            Assert.That(busy.Headers.RetryAfter, Is.Not.Null);
        }
        foreach (var ok in responses.Where(r => (int)r.StatusCode == 200))
        {
            var zip = await ok.Content.ReadAsByteArrayAsync();
            Assert.That(zip[..4], Is.EqualTo(new byte[] { 0x50, 0x4B, 0x03, 0x04 }), "a complete ZIP");
        }
    }

    [Test]
    public async Task Baked_images_are_rate_limited_per_client_address()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var id = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var client = Anonymous();
        for (var i = 0; i < 3; i++)
        {
            Assert.That((int)(await client.GetAsync($"/public/assertions/{id}/image")).StatusCode, Is.EqualTo(200));
        }
        var refused = await client.GetAsync($"/public/assertions/{id}/image");
        var problem = await AssertProblem(refused, 429);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("images"));
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
    }

    [Test]
    public async Task Responses_carry_the_hardening_headers()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var json = await Anonymous().GetAsync($"/public/badges/{badgeClass}");
        Assert.That(json.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(json.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'"));

        var page = await Anonymous().GetAsync($"/public/badges/{badgeClass}/criteria");
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'").And.Contain("style-src 'self'").And.Not.Contain("unsafe-inline"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));

        var problem = await Anonymous().GetAsync("/public/badges/nope");
        Assert.That(problem.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }

    [Test]
    public async Task Swagger_ui_is_not_served_in_production_but_the_openapi_document_is()
    {
        Assert.That((int)(await Anonymous().GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await Anonymous().GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(200));
    }
}

/// <summary>
/// Behind a reverse proxy: on a real socket (Kestrel on 127.0.0.1), X-Forwarded-For is believed only
/// from a configured trusted proxy. Then each client has its own rate-limit bucket; otherwise the
/// header changes nothing and a caller cannot pick a fresh bucket for each request.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite, true)]
[TestFixture(DatabaseProvider.Sqlite, false)]
[TestFixture(DatabaseProvider.Postgres, true)]
[TestFixture(DatabaseProvider.Postgres, false)]
public sealed class TrustedProxyTests(DatabaseProvider provider, bool trusted) : ApiTestBase(provider)
{
    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        var settings = new Dictionary<string, string?> { ["Auth:TokenRequestsPerMinute"] = "3" };
        if (trusted) { settings["PublicTraffic:TrustedProxies:0"] = "127.0.0.1"; }
        var factory = new BadgesApiFactory(database, settings);
        factory.UseKestrel();
        factory.StartServer();
        return factory;
    }

    [Test]
    public async Task Forwarded_clients_get_their_own_token_bucket_only_behind_a_trusted_proxy()
    {
        var statuses = new List<int>();
        for (var i = 1; i <= 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
            {
                Content = JsonContent.Create(new { clientId = "nobody", clientSecret = "wrong" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            statuses.Add((int)(await Anonymous().SendAsync(request)).StatusCode);
        }
        Assert.That(statuses, trusted ? Is.All.EqualTo(401) : Is.EqualTo(new[] { 401, 401, 401, 429 }));

        if (trusted)
        {
            // One forwarded client still has one bucket.
            var same = new List<int>();
            for (var i = 0; i < 4; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
                {
                    Content = JsonContent.Create(new { clientId = "nobody", clientSecret = "wrong" }),
                };
                request.Headers.Add("X-Forwarded-For", "198.51.100.7");
                same.Add((int)(await Anonymous().SendAsync(request)).StatusCode);
            }
            Assert.That(same, Is.EqualTo(new[] { 401, 401, 401, 429 }));
        }
    }
}
