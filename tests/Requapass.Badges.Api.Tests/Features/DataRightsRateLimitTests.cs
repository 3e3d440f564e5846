using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The data rights' rates per client address: link requests past PublicTraffic:DataAccessMailsPerMinute,
/// and the link's routes past PublicTraffic:DataAccessRequestsPerMinute (which also makes guessing tokens hopeless), are 429.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class DataRightsRateLimitTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        var smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(smtp.SmtpPort);
        settings["PublicTraffic:DataAccessMailsPerMinute"] = "2";
        settings["PublicTraffic:DataAccessRequestsPerMinute"] = "3";
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    [Test]
    public async Task Requests_PastTheClientRate_Are429()
    {
        for (var i = 0; i < 2; i++)
        {
            await Json(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = SmtpServer.NewAddress() }), 202);
        }
        var problem = await AssertProblem(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = SmtpServer.NewAddress() }), 429);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:too-many-requests"));

        var guess = new string('A', 43);
        for (var i = 0; i < 3; i++)
        {
            await AssertProblem(await Anonymous().GetAsync($"/public/my-data/{guess}?format=json"), 404);
        }
        await AssertProblem(await Anonymous().GetAsync($"/public/my-data/{guess}?format=json"), 429);
        await AssertProblem(await Anonymous().PostAsJsonAsync($"/public/my-data/{guess}", new { confirm = "erase" }), 429);
    }
}
