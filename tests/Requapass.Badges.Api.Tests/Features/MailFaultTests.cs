using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Award emails when the SMTP server is away, for real: the service reaches it through a TCP relay
/// that the tests stop (connections refused) and start again. Retries wait 1 minute, doubling, on the
/// test clock, which stands still unless a test moves it. A server back in time gets the mail once;
/// a server away for a day, or a badge revoked meanwhile, fails the mail and drops its address.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class MailFaultTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;
    private TcpForwarder _relay = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        _relay = new TcpForwarder("127.0.0.1", _smtp.SmtpPort).Start();
        return await BadgesApiFactory.StartAsync(Provider, MailTests.Settings(_relay.Port));
    }

    [OneTimeTearDown]
    public async Task StopRelay() => await _relay.DisposeAsync();

    // The tests move the clock by minutes and hours: tokens minted before would have expired.
    [SetUp]
    public void FreshTokens() => ForgetTokens();

    [Test]
    public async Task An_smtp_server_away_for_a_while_gets_the_mail_once_it_is_back()
    {
        using var meters = new MeterCapture(Factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Requapass.Badges");
        await _relay.StopAsync();
        var partner = await NewPartnerAsync();
        var address = SmtpServer.NewAddress();
        var assertionId = (await AwardAsync(partner, await NewBadgeClassAsync(partner), address))["id"]!.GetValue<string>();

        var first = await WaitForMailAsync(assertionId, m => m.Attempts >= 1);
        Assert.That((first.Status, first.Address), Is.EqualTo(("pending", (string?)address.ToLowerInvariant())), "kept, to try again");
        Assert.That(first.LastError, Is.Not.Null.And.Not.Contain(address).IgnoreCase);
        Assert.That(first.NextAttemptAt, Is.EqualTo(Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(1)).Within(TimeSpan.FromSeconds(1)), "the first wait is a minute");
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await WaitForMailAsync(assertionId, m => m.Attempts >= 2);
        Assert.That(second.NextAttemptAt, Is.EqualTo(Factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(2)).Within(TimeSpan.FromSeconds(1)), "then it doubles");
        Assert.That(await _smtp.MessagesToAsync(address), Is.Empty);

        _relay.Start();
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var received = await _smtp.WaitForAsync(address);
        await Task.Delay(500);
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(1), "sent once");
        var sent = await WaitForMailAsync(assertionId, m => m.Status != "pending");
        Assert.That((sent.Status, sent.Attempts, sent.Address), Is.EqualTo(("sent", 3, (string?)null)));
        Assert.That(received.Single().MessageId, Is.EqualTo(sent.MessageId));
        Assert.That(meters.Sum("requapass.badges.mails", ("outcome", "retrying")), Is.EqualTo(2));
        Assert.That(meters.Sum("requapass.badges.mails", ("outcome", "sent")), Is.EqualTo(1));
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public async Task A_server_away_for_a_day_fails_the_mail_and_drops_the_address()
    {
        using var meters = new MeterCapture(Factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Requapass.Badges");
        await _relay.StopAsync();
        var partner = await NewPartnerAsync();
        var address = SmtpServer.NewAddress();
        var assertionId = (await AwardAsync(partner, await NewBadgeClassAsync(partner), address))["id"]!.GetValue<string>();

        var mail = await WaitForMailAsync(assertionId, m => m.Attempts >= 1);
        for (var round = 2; mail.Status == "pending" && round <= 10; round++)
        {
            Factory.Clock.Advance(TimeSpan.FromHours(4));
            mail = await WaitForMailAsync(assertionId, m => m.Attempts >= round);
        }
        // Attempts at 0, 4 h, ..., 24 h: the next wait (64 min) would pass the day.
        Assert.That((mail.Status, mail.Attempts, mail.Address), Is.EqualTo(("failed", 7, (string?)null)));
        Assert.That(mail.LastError, Does.StartWith("Gave up after 7 attempts"));
        Assert.That(mail.CompletedAt, Is.Not.Null);
        Assert.That(meters.Sum("requapass.badges.mails", ("outcome", "failed")), Is.EqualTo(1));
        _relay.Start();
        Factory.Clock.Advance(TimeSpan.FromHours(4));
        await Task.Delay(500);
        Assert.That(await _smtp.MessagesToAsync(address), Is.Empty, "a failed mail is not sent later");
    }

    [Test]
    public async Task A_badge_revoked_before_its_mail_went_out_is_not_mailed_and_its_address_is_dropped()
    {
        await _relay.StopAsync();
        var partner = await NewPartnerAsync();
        var address = SmtpServer.NewAddress();
        var assertionId = (await AwardAsync(partner, await NewBadgeClassAsync(partner), address))["id"]!.GetValue<string>();
        await WaitForMailAsync(assertionId, m => m.Attempts >= 1);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertionId}/revoke", new { reason = "Attribué par erreur" }), 200);

        _relay.Start();
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var mail = await WaitForMailAsync(assertionId, m => m.Status != "pending");
        Assert.That((mail.Status, mail.Address), Is.EqualTo(("failed", (string?)null)));
        Assert.That(mail.LastError, Does.Contain("revoked"));
        await Task.Delay(300);
        Assert.That(await _smtp.MessagesToAsync(address), Is.Empty);
    }

    private async Task<AwardMailEntity> WaitForMailAsync(string assertionId, Func<AwardMailEntity, bool> done, int seconds = 20)
    {
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        AwardMailEntity? mail = null;
        while (DateTime.UtcNow < deadline)
        {
            mail = await db.AwardMails.AsNoTracking().Where(m => db.Assertions.Any(a => a.Id == m.AssertionId && a.PublicId == assertionId)).SingleOrDefaultAsync();
            if (mail is not null && done(mail)) { return mail; }
            await Task.Delay(50);
        }
        Assert.Fail($"The mail of {assertionId} did not get there in {seconds} s: {(mail is null ? "no mail" : $"{mail.Status}, {mail.Attempts} attempts, {mail.LastError}")}");
        return null!;
    }
}
