using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Features.Retention;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The retention sweep on two service nodes over one database: each old row is deleted once, by
/// whichever node holds the lease, and neither node fails; even two sweeps that ignore the lease (as
/// after a lease that ran out mid-sweep) delete nothing twice.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RetentionNodeTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Both nodes' own loops run, every 50 ms, in batches of 3.
        ["Retention:Interval"] = "00:00:00.050",
        ["Retention:BatchSize"] = "3",
        // The rate of applications has its own fixture (ApplicationTests); here it must not get in the way.
        ["PublicTraffic:ApplicationsPerMinute"] = "10000",
    };

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => Settings;

    private async Task<List<string>> RejectedApplicationsAsync(int count)
    {
        ForgetTokens(); // another test may have moved the clock past the cached admin token
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var map = await ApplicationTests.NewMapAsync(Factory.Database);
            var id = (await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
                new { issuerId = partner.IssuerId, badgeClassIds = new[] { badgeClass }, experienceId = map.ExperienceId, narrative = "Depuis un an." }), 201))["items"]![0]!["id"]!.GetValue<string>();
            await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{id}/reject", new { reason = "Non" }), 200);
            ids.Add(id);
        }
        return ids;
    }

    [Test]
    public async Task Two_nodes_running_their_sweeps_delete_each_old_row_once_and_do_not_fail()
    {
        await using var second = new BadgesApiFactory(Factory.Database, Settings, ownsDatabase: false);
        second.StartServer();
        // One instant on both nodes (the earlier clock catches up: a fake clock never goes back).
        if (Factory.Clock.GetUtcNow() > second.Clock.GetUtcNow()) { second.Clock.SetUtcNow(Factory.Clock.GetUtcNow()); }
        else { Factory.Clock.SetUtcNow(second.Clock.GetUtcNow()); }
        var applications = await RejectedApplicationsAsync(10);
        var nodes = new[] { Factory, second };
        var logged = nodes.Select(n => n.Logs.Lines.Count).ToArray();
        var workers = nodes.Select(n => n.Services.GetRequiredService<RetentionWorker>()).ToList();

        // Both clocks pass the rule's 180 days together; both loops, and explicit sweeps on both nodes, race for the work.
        foreach (var node in nodes) { node.Clock.Advance(TimeSpan.FromDays(181)); }
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => workers[i % 2].SweepAsync(CancellationToken.None)));

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await db.Applications.CountAsync(a => applications.Contains(a.PublicId)) > 0 && DateTime.UtcNow < deadline) { await Task.Delay(100); }
        Assert.That(await db.Applications.CountAsync(a => applications.Contains(a.PublicId)), Is.Zero);
        await Task.Delay(300); // a second deletion would be logged by now
        var lines = nodes.SelectMany((n, i) => n.Logs.Lines.Skip(logged[i])).ToList();
        Assert.That(lines.Where(l => l.Contains("retention sweep failed", StringComparison.OrdinalIgnoreCase)), Is.Empty);
        // Every sweep that deleted something logged its outcome: together, each application once.
        var deleted = lines.Where(l => l.Contains("Retention sweep:", StringComparison.Ordinal))
            .Sum(l => int.Parse(System.Text.RegularExpressions.Regex.Match(l, @"ApplicationsDeleted = (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(deleted, Is.EqualTo(applications.Count));
        Assert.That(outcomes.Count(o => o.Ran), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Two_sweeps_without_the_lease_delete_nothing_twice_and_do_not_fail()
    {
        var applications = await RejectedApplicationsAsync(8);
        var settings = new RetentionOptions { BatchSize = 3 };
        var later = Factory.Clock.GetUtcNow().UtcDateTime.AddDays(181);
        var cutoff = later.AddDays(-settings.RejectedApplicationDays);
        int expected;
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            expected = await db.Applications.CountAsync(a => (a.Status == "rejected" || a.Status == "withdrawn") && a.DecidedAt < cutoff);
        }
        // The rules alone, on two connections at once: what a sweep whose lease ran out would race with.
        var deleted = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var db = Storage.SchemaTests.Context(Factory.Database);
            return (await new RetentionRules(db, settings, later).ApplyAsync(CancellationToken.None)).ApplicationsDeleted;
        }));
        await using var check = Storage.SchemaTests.Context(Factory.Database);
        Assert.That(await check.Applications.CountAsync(a => applications.Contains(a.PublicId)), Is.Zero);
        Assert.That(expected, Is.GreaterThanOrEqualTo(applications.Count));
        Assert.That(deleted.Sum(), Is.EqualTo(expected), "each row deleted by one of the two");
    }
}
