using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Award emails across nodes and crashes, on one PostgreSQL database: two service nodes send each of
/// many mails exactly once, and a service killed with SIGKILL between an award and its mail sends the
/// mail once after a restart on the same database.
/// </summary>
[TestFixture(DatabaseProvider.Postgres)]
public sealed class MailNodeTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        return await BadgesApiFactory.StartAsync(Provider, MailTests.Settings(_smtp.SmtpPort));
    }

    [Test]
    public async Task Two_nodes_on_one_database_send_each_of_many_mails_exactly_once()
    {
        await using var second = new BadgesApiFactory(Factory.Database, MailTests.Settings(_smtp.SmtpPort), ownsDatabase: false);
        second.StartServer();
        Factory.Clock.SetUtcNow(second.Clock.GetUtcNow());
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var nodes = new[] { partner.Client, second.CreateClient() };
        nodes[1].DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", partner.Token);

        const int awards = 40;
        var tag = $"n{Guid.NewGuid():N}";
        await Parallel.ForEachAsync(Enumerable.Range(0, awards), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var response = await nodes[i % 2].PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "email", identity = $"v{i}.{tag}@example.org" } });
            await Json(response, 201);
        });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<string> received;
        while ((received = await _smtp.RecipientsAsync(tag)).Count < awards && DateTime.UtcNow < deadline) { await Task.Delay(200); }
        await Task.Delay(1000); // a second copy would arrive now
        received = await _smtp.RecipientsAsync(tag);
        TestContext.Out.WriteLine($"two nodes: {awards} awards, {received.Count} mails received, {received.Distinct().Count()} distinct recipients");
        Assert.That(received, Has.Count.EqualTo(awards), "one mail per award, none twice");
        Assert.That(received.Distinct().Count(), Is.EqualTo(awards));

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var rows = await db.AwardMails.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.That(rows.Single().Key, Is.EqualTo("sent"));
        Assert.That(rows.Single().Count, Is.EqualTo(awards), "one mail row per award");
        Assert.That(await db.AwardMails.CountAsync(m => m.Address != null), Is.Zero);
        Assert.That(await db.AwardMailRequests.CountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_service_killed_between_the_award_and_the_mail_sends_it_once_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("rq-mail-kill-").FullName;
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        // A port nothing listens on: the first life's attempts are refused.
        var closed = new TcpForwarder("127.0.0.1", _smtp.SmtpPort).Start();
        await closed.StopAsync();
        var adminSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = new Dictionary<string, string?>(MailTests.Settings(closed.Port))
        {
            ["Service:PublicBaseUrl"] = "https://badges.example.test",
            ["Service:DataDirectory"] = Path.Combine(folder, "data"),
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Auth:SigningKey"] = BadgesApiFactory.SigningKey,
            ["Auth:BootstrapAdminClientId"] = "kill-admin",
            ["Auth:BootstrapAdminClientSecret"] = adminSecret,
            ["Signing:KeyFiles:0"] = BadgesApiFactory.BadgeKeyFile,
            ["Mail:FirstRetryDelay"] = "00:00:00.200",
        };
        var address = SmtpServer.NewAddress();

        // First life: the award's mail is queued, its attempts are refused; then SIGKILL.
        string assertionId;
        using (var first = await ServiceProcess.StartAsync(settings, folder))
        {
            var admin = first.Client(await TokenAsync(first, adminSecret));
            var issuer = await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new
            {
                name = "MDA Charleroi", url = "https://mda-charleroi.example.org", email = "contact@mda-charleroi.example.org",
            }), 201);
            var badgeClass = await Json(await admin.PostAsJsonAsync($"/api/v1/issuers/{issuer["id"]}/badge-classes", BadgeClassBody()), 201);
            assertionId = (await Json(await admin.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass["id"]}/assertions",
                new { recipient = new { type = "email", identity = address } }), 201))["id"]!.GetValue<string>();
            await using (var context = Storage.SchemaTests.Context(database))
            {
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (!await context.AwardMails.AnyAsync(m => m.Attempts >= 1 && m.Status == "pending") && DateTime.UtcNow < deadline) { await Task.Delay(50); }
                Assert.That(await context.AwardMails.CountAsync(m => m.Attempts >= 1 && m.Status == "pending" && m.Address != null), Is.EqualTo(1), first.Output);
            }
            first.KillHard();
        }
        Assert.That(await _smtp.MessagesToAsync(address), Is.Empty);

        // Second life, on the same database, with the server reachable: the mail goes out once.
        settings["Mail:Port"] = _smtp.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var second = await ServiceProcess.StartAsync(settings, folder))
        {
            var received = await _smtp.WaitForAsync(address);
            await Task.Delay(1000);
            received = await _smtp.MessagesToAsync(address);
            TestContext.Out.WriteLine($"kill -9: {received.Count} mail(s) received after the restart");
            Assert.That(received, Has.Count.EqualTo(1), second.Output);
            Assert.That(received[0].TextBody, Does.Contain($"/public/assertions/{assertionId}"));
            Assert.That(second.Output, Does.Not.Contain(address).IgnoreCase, "the address is not logged");
        }
        await using (var context = Storage.SchemaTests.Context(database))
        {
            var mail = await context.AwardMails.SingleAsync();
            Assert.That((mail.Status, mail.Address), Is.EqualTo(("sent", (string?)null)));
        }
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<string> TokenAsync(RunningService service, string secret)
    {
        var response = await service.Client().PostAsJsonAsync("/api/v1/auth/token", new { clientId = "kill-admin", clientSecret = secret });
        return (await Json(response, 200))["access_token"]!.GetValue<string>();
    }
}
