using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Without Mail:Host (the README's first command), the service runs as before: awards keep no address
/// for a mail, queue none, and the resend route says mail is off.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class MailOffTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Test]
    public async Task Without_an_smtp_host_awards_keep_no_address_and_resend_answers_409()
    {
        var partner = await NewPartnerAsync();
        var assertionId = (await AwardAsync(partner, await NewBadgeClassAsync(partner), "marie.off@example.org"))["id"]!.GetValue<string>();

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await db.OutboxEvents.AnyAsync(e => e.Subject == assertionId && e.DispatchedAt == null) && DateTime.UtcNow < deadline) { await Task.Delay(50); }
        Assert.That(await db.OutboxEvents.AnyAsync(e => e.Subject == assertionId && e.DispatchedAt != null), Is.True, "the event was dispatched");
        Assert.That(await db.AwardMailRequests.CountAsync(), Is.Zero);
        Assert.That(await db.AwardMails.CountAsync(), Is.Zero);

        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertionId}/resend-email",
            new { email = "marie.off@example.org" }), 409);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:mail-not-configured"));
    }
}
