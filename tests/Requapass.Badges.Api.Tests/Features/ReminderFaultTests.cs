using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// An expiry reminder when the SMTP server is away on its day, for real: the service reaches the server
/// through a TCP relay that the test stops (connections refused) and starts again. The reminder waits,
/// pending with its address, and goes once when the server is back.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ReminderFaultTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;
    private TcpForwarder _relay = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        _relay = new TcpForwarder("127.0.0.1", _smtp.SmtpPort).Start();
        return await BadgesApiFactory.StartAsync(Provider, ReminderTests.Settings(_relay.Port));
    }

    [OneTimeTearDown]
    public async Task StopRelay() => await _relay.DisposeAsync();

    [Test]
    public async Task A_reminder_due_while_the_smtp_server_is_away_goes_once_when_it_is_back()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var address = SmtpServer.NewAddress();
        var assertionId = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = address }, expires = Factory.Clock.GetUtcNow().AddDays(30), locale = "en" }), 201))["id"]!.GetValue<string>();
        Assert.That(await _smtp.WaitForAsync(address), Has.Count.EqualTo(1), "the award's mail, while the server is there");

        await _relay.StopAsync();
        Factory.Clock.Advance(TimeSpan.FromDays(16) + TimeSpan.FromMinutes(1));
        var first = await WaitForReminderAsync(assertionId, m => m.Attempts >= 1);
        Assert.That((first.Status, first.Address), Is.EqualTo(("pending", (string?)address.ToLowerInvariant())), "kept, to try again");
        Assert.That(first.LastError, Is.Not.Null.And.Not.Contain(address).IgnoreCase);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await WaitForReminderAsync(assertionId, m => m.Attempts >= 2);
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(1));

        _relay.Start();
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var mails = await _smtp.WaitForAsync(address, 2);
        Assert.That(mails, Has.Count.EqualTo(2));
        Assert.That(mails[1].Subject, Does.StartWith("Your badge \"Welcoming the public\" expires on"));
        var sent = await WaitForReminderAsync(assertionId, m => m.Status != "pending");
        Assert.That((sent.Status, sent.Attempts, sent.Address), Is.EqualTo(("sent", 3, (string?)null)));
        Assert.That(mails[1].MessageId, Is.EqualTo(sent.MessageId));

        Factory.Clock.Advance(TimeSpan.FromHours(6));
        await Task.Delay(600);
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(2), "sent once");
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        Assert.That(await db.ExpiryReminders.CountAsync(r => db.Assertions.Any(a => a.Id == r.AssertionId && a.PublicId == assertionId)), Is.Zero);
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    private async Task<AwardMailEntity> WaitForReminderAsync(string assertionId, Func<AwardMailEntity, bool> done, int seconds = 20)
    {
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        AwardMailEntity? mail = null;
        while (DateTime.UtcNow < deadline)
        {
            mail = await db.AwardMails.AsNoTracking()
                .Where(m => m.Kind == "expiry-reminder" && db.Assertions.Any(a => a.Id == m.AssertionId && a.PublicId == assertionId)).SingleOrDefaultAsync();
            if (mail is not null && done(mail)) { return mail; }
            await Task.Delay(50);
        }
        Assert.Fail($"The reminder of {assertionId} did not get there in {seconds} s: {(mail is null ? "no mail" : $"{mail.Status}, {mail.Attempts} attempts, {mail.LastError}")}");
        return null!;
    }
}
