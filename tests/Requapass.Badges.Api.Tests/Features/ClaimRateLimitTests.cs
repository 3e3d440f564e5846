using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The claims' rate per client address (PublicTraffic:ClaimsPerMinute): past it, a 429 problem with
/// Retry-After for programs, and the claim page again, saying so, for the form; right or wrong codes alike.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ClaimRateLimitTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?>? ExtraSettings => new Dictionary<string, string?> { ["PublicTraffic:ClaimsPerMinute"] = "3" };

    [Test]
    public async Task Claims_PastTheRate_Are429_ForJsonAndForTheForm_AndStoreNothing()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var code = (await ClaimTests.CampaignAsync(partner, badgeClass, ClaimTests.MultiUse()))["code"]!.GetValue<string>();
        for (var i = 0; i < 3; i++)
        {
            await AssertProblem(await Anonymous().PostAsJsonAsync("/public/claims", new { code = $"2222-2222-222{i + 2}", email = "guesser@example.org" }), 422);
        }
        var limited = await Anonymous().PostAsJsonAsync("/public/claims", new { code, email = "guesser@example.org" });
        var problem = await AssertProblem(limited, 429);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:too-many-requests"));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));

        var form = await Anonymous().PostAsync("/public/claims", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = code, ["email"] = "guesser@example.org", ["lang"] = "en",
        }));
        Assert.That((int)form.StatusCode, Is.EqualTo(429));
        Assert.That(form.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(await form.Content.ReadAsStringAsync(), Does.Contain("Too many attempts from your connection"));

        // The pages themselves are not rate-limited: they look no code up.
        Assert.That((int)(await Anonymous().GetAsync("/public/claims")).StatusCode, Is.EqualTo(200));
        var assertions = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Is.Empty, "the right code past the rate awarded nothing");
    }
}
