using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>The public reads are the hot paths: each runs exactly one SQL command, whatever the document holds.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class QueryCountTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    // The count reads every SQL command the service logs: the background pollers (outbox dispatcher,
    // webhook deliveries, batch jobs) must not run one while a read is being counted.
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Events:DispatchInterval"] = "01:00:00",
        ["Webhooks:PollInterval"] = "01:00:00",
        ["Batch:PollInterval"] = "00:10:00",
    };

    [Test]
    public async Task PublicReads_RunOneSqlCommandEach()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var assertion = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var revoked = (await AwardAsync(partner, badgeClass, "other@example.org"))["id"]!.GetValue<string>();
        await partner.Client.PostAsync($"/api/v1/assertions/{revoked}/revoke", System.Net.Http.Json.JsonContent.Create(new { reason = "x" }));

        foreach (var path in new[]
        {
            $"/public/assertions/{assertion}", $"/public/assertions/{revoked}", $"/public/badges/{badgeClass}",
            $"/public/badges/{badgeClass}/translations/en", $"/public/badges/{badgeClass}/image", $"/public/issuers/{partner.IssuerId}",
        })
        {
            var before = Commands();
            var response = await Anonymous().GetAsync(path);
            Assert.That((int)response.StatusCode, Is.AnyOf(200, 410), path);
            Assert.That(Commands() - before, Is.EqualTo(1), path);
        }
    }

    private int Commands() => Factory.Logs.Lines.Count(l => l.Contains("Executed DbCommand", StringComparison.Ordinal));
}
