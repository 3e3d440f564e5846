using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Expiry reminders on two service nodes over one PostgreSQL database, both scanning every 50 ms: each
/// reminder is queued by one of them and sent once.
/// </summary>
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ReminderNodeTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        return await BadgesApiFactory.StartAsync(Provider, ReminderTests.Settings(_smtp.SmtpPort));
    }

    [Test]
    public async Task Two_nodes_on_one_database_send_each_reminder_exactly_once()
    {
        await using var second = new BadgesApiFactory(Factory.Database, ReminderTests.Settings(_smtp.SmtpPort), ownsDatabase: false);
        second.StartServer();
        Factory.Clock.SetUtcNow(second.Clock.GetUtcNow());
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        const int awards = 30;
        var tag = $"r{Guid.NewGuid():N}";
        var expires = Factory.Clock.GetUtcNow().AddDays(30);
        await Parallel.ForEachAsync(Enumerable.Range(0, awards), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "email", identity = $"v{i}.{tag}@example.org" }, expires }), 201));
        await WaitForMailsAsync(tag, awards);

        // Both nodes' clocks reach the reminders' day together.
        var day = TimeSpan.FromDays(16) + TimeSpan.FromMinutes(1);
        Factory.Clock.Advance(day);
        second.Clock.Advance(day);
        var received = await WaitForMailsAsync(tag, 2 * awards);
        await Task.Delay(1000); // a second copy would arrive now
        received = await _smtp.RecipientsAsync(tag);
        TestContext.Out.WriteLine($"two nodes: {awards} reminders due, {received.Count - awards} reminder mails received");
        Assert.That(received, Has.Count.EqualTo(2 * awards), "the award mail and one reminder each");
        Assert.That(received.GroupBy(r => r).Select(g => g.Count()).Distinct(), Is.EqualTo(new[] { 2 }));

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var reminders = await db.AwardMails.Where(m => m.Kind == "expiry-reminder").Select(m => new { m.AssertionId, m.Status }).ToListAsync();
        Assert.That(reminders, Has.Count.EqualTo(awards), "one reminder mail row per badge");
        Assert.That(reminders.Select(r => r.AssertionId).Distinct().Count(), Is.EqualTo(awards));
        Assert.That(reminders.Select(r => r.Status).Distinct(), Is.EqualTo(new[] { "sent" }));
        Assert.That(await db.ExpiryReminders.CountAsync(), Is.Zero);
    }

    private async Task<List<string>> WaitForMailsAsync(string tag, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<string> received;
        while ((received = await _smtp.RecipientsAsync(tag)).Count < count && DateTime.UtcNow < deadline) { await Task.Delay(200); }
        return received;
    }
}
