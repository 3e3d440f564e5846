using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The skills map mails' rates: per client address (a 429 past PublicTraffic:SkillsMapMailsPerMinute)
/// and per mailbox (past PublicTraffic:SkillsMapMailsPerAddressPerHour the answer stays 202 and no mail is queued).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class SkillsMapRateLimitTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        var smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(smtp.SmtpPort);
        settings["PublicTraffic:SkillsMapMailsPerMinute"] = "4";
        settings["PublicTraffic:SkillsMapMailsPerAddressPerHour"] = "2";
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    [Test]
    public async Task Starts_PastTheAddressCap_QueueNothing_AndPastTheClientRate_Are429()
    {
        var address = SmtpServer.NewAddress();
        for (var i = 0; i < 3; i++)
        {
            await Json(await Anonymous().PostAsJsonAsync("/public/skills-maps", new { email = address }), 202);
        }
        await Json(await Anonymous().PostAsJsonAsync("/public/skills-maps/links", new { email = address }), 202);
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            var lookup = Core.Recipients.RecipientNormalizer.Normalize(Core.Recipients.RecipientType.Email, address).Identity!.LookupKey();
            var maps = await db.SkillsMaps.Where(m => m.RecipientLookup == lookup).Select(m => m.Id).ToListAsync();
            Assert.That(maps, Has.Count.EqualTo(2), "the third start found the address over its hourly cap");
            Assert.That(await db.AwardMails.CountAsync(m => m.SkillsMapId != null && maps.Contains(m.SkillsMapId.Value)), Is.EqualTo(2));
        }
        var limited = await Anonymous().PostAsJsonAsync("/public/skills-maps", new { email = SmtpServer.NewAddress() });
        var problem = await AssertProblem(limited, 429);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:too-many-requests"));
        await AssertProblem(await Anonymous().PostAsJsonAsync("/public/skills-maps/links", new { email = address }), 429);
    }
}
