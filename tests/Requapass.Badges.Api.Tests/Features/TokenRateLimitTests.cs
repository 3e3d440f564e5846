using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
public sealed class TokenRateLimitTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Auth:TokenRequestsPerMinute"] = "3" };

    [Test]
    public async Task Token_GuessedTooOften_Returns429WithRetryAfter()
    {
        for (var i = 0; i < 3; i++)
        {
            await AssertProblem(await Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { clientId = "test-admin", clientSecret = $"guess-{i}-guess-guess-guess" }), 401);
        }
        var limited = await Anonymous().PostAsJsonAsync("/api/v1/auth/token",
            new { clientId = BadgesApiFactory.AdminClientId, clientSecret = BadgesApiFactory.AdminSecret });
        var problem = await AssertProblem(limited, 429);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:too-many-requests"));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
    }
}
