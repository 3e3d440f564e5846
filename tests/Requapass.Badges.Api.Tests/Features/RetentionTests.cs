using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Features.Retention;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Each retention rule (issue #15), with the test clock moved past its setting: what is too old goes,
/// what is not stays. The node's own loop is off here (Retention:Enabled=false); each test runs a sweep.
/// Each test makes and checks its own rows: the clock only moves forward, so earlier tests' rows age too.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class RetentionTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Retention:Enabled"] = "false",
        // Small batches, so that every rule runs several of them.
        ["Retention:BatchSize"] = "2",
        // The public rates have their own fixtures; here they must not get in the way.
        ["PublicTraffic:ApplicationsPerMinute"] = "10000",
        ["PublicTraffic:ClaimsPerMinute"] = "10000",
    };

    private Task<RetentionOutcome> SweepAsync() => Factory.Services.GetRequiredService<RetentionWorker>().SweepAsync(CancellationToken.None);

    private BadgesDbContext Db() => Storage.SchemaTests.Context(Factory.Database);

    private DateTime Now => Factory.Clock.GetUtcNow().UtcDateTime;

    private void Advance(double days)
    {
        Factory.Clock.Advance(TimeSpan.FromDays(days));
        ForgetTokens();
    }

    /// <summary>A fresh staff client of <paramref name="issuerId"/>: tokens do not outlive a move of the clock by days.</summary>
    private async Task<HttpClient> StaffAsync(string issuerId)
    {
        var client = await Json(await (await AdminAsync()).PostAsJsonAsync("/api/v1/clients", new { name = "Staff", role = "staff", issuerId }), 201);
        return WithToken(await TokenAsync(client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>()));
    }

    /// <summary>A skills map made "now" on the test clock.</summary>
    private async Task<ApplicationTests.Map> MapAsync()
    {
        var map = await ApplicationTests.NewMapAsync(Factory.Database);
        await using var db = Db();
        var now = Now;
        await db.SkillsMaps.Where(m => m.Id == map.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastUsedAt, now).SetProperty(m => m.CreatedAt, now).SetProperty(m => m.UpdatedAt, now));
        return map;
    }

    private async Task<string> ApplyAsync(ApplicationTests.Map map, string issuerId, string badgeClassId) =>
        (await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
            new { issuerId, badgeClassIds = new[] { badgeClassId }, experienceId = map.ExperienceId, narrative = "Depuis un an." }), 201))["items"]![0]!["id"]!.GetValue<string>();

    [Test]
    public async Task UndeliveredMails_AreGivenUp_WithTheirAddress_AfterUndeliveredMailDays()
    {
        var partner = await NewPartnerAsync();
        var assertion = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        long assertionId;
        string oldMail, youngMail, sentMail;
        await using (var db = Db())
        {
            assertionId = await db.Assertions.Where(a => a.PublicId == assertion).Select(a => a.Id).SingleAsync();
            // Queued while mail was on, never sent (mail turned off since, or a server away): pending, with the address.
            var old = Mail(assertionId, "pending", "old@example.org");
            var sent = Mail(assertionId, "sent", "lingering@example.org");
            db.AwardMails.AddRange(old, sent);
            db.AwardMailRequests.Add(new AwardMailRequestEntity { AssertionId = assertionId, Address = "request@example.org", Locale = "fr", CreatedAt = Now });
            await db.SaveChangesAsync();
            (oldMail, sentMail) = (old.PublicId, sent.PublicId);
        }
        Advance(20);
        await using (var db = Db())
        {
            var young = Mail(assertionId, "pending", "young@example.org");
            db.AwardMails.Add(young);
            await db.SaveChangesAsync();
            youngMail = young.PublicId;
        }
        Advance(11);

        var outcome = await SweepAsync();

        Assert.That(outcome.Ran, Is.True);
        await using (var db = Db())
        {
            var mails = await db.AwardMails.Where(m => m.AssertionId == assertionId).ToDictionaryAsync(m => m.PublicId);
            Assert.That((mails[oldMail].Status, mails[oldMail].Address), Is.EqualTo(("failed", (string?)null)));
            Assert.That(mails[oldMail].LastError, Does.Contain("Retention:UndeliveredMailDays"));
            Assert.That((mails[youngMail].Status, mails[youngMail].Address), Is.EqualTo(("pending", (string?)"young@example.org")), "20 days old: kept");
            Assert.That(mails[sentMail].Address, Is.Null, "a sent mail keeps no address");
            Assert.That(await db.AwardMailRequests.CountAsync(r => r.AssertionId == assertionId), Is.Zero);
        }
        Assert.That(outcome.MailsGivenUp, Is.GreaterThanOrEqualTo(1));
        // Idempotent: a second sweep finds nothing of these left to do.
        var again = await SweepAsync();
        Assert.That((again.MailsGivenUp, again.MailAddressesWiped, again.MailRequestsDeleted), Is.EqualTo((0, 0, 0)));
    }

    private AwardMailEntity Mail(long assertionId, string status, string address) => new()
    {
        PublicId = Guid.NewGuid().ToString("N")[..24], AssertionId = assertionId, Kind = "award", Address = address, Locale = "fr",
        MessageId = $"{Guid.NewGuid():N}@badges.example.test", Status = status, NextAttemptAt = Now, CreatedAt = Now, UpdatedAt = Now,
    };

    [Test]
    public async Task AbandonedSkillsMaps_AreDeleted_WithTheirData_ButNotMapsInUse()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var abandoned = await MapAsync();
        var used = await MapAsync();
        var applied = await MapAsync();
        var application = await ApplyAsync(applied, partner.IssuerId, badgeClass);
        var abandonedWithApplication = await MapAsync();
        var oldApplication = await ApplyAsync(abandonedWithApplication, partner.IssuerId, await NewBadgeClassAsync(partner, "Tenue de stand"));
        Advance(200);
        // Opened by its owner: its last use moves.
        Assert.That((int)(await Anonymous().GetAsync($"/public/skills-maps/{used.Token}")).StatusCode, Is.EqualTo(200));
        // Staff ask for more on an application: the map has news of it.
        await Json(await (await StaffAsync(partner.IssuerId)).PostAsJsonAsync($"/api/v1/applications/{application}/request-info", new { message = "Combien d'heures ?" }), 200);
        Advance(166);

        await SweepAsync();

        await using var db = Db();
        var left = await db.SkillsMaps.Where(m => new[] { abandoned.Id, used.Id, applied.Id, abandonedWithApplication.Id }.Contains(m.Id)).Select(m => m.Id).ToListAsync();
        Assert.That(left, Is.EquivalentTo(new[] { used.Id, applied.Id }));
        Assert.That(await db.SkillsMapExperiences.CountAsync(e => e.MapId == abandoned.Id || e.MapId == abandonedWithApplication.Id), Is.Zero);
        Assert.That(await db.Applications.CountAsync(a => a.PublicId == oldApplication), Is.Zero, "the abandoned map's application went with it");
        Assert.That(await db.Applications.CountAsync(a => a.PublicId == application), Is.EqualTo(1));
        Assert.That((int)(await Anonymous().GetAsync($"/public/skills-maps/{abandoned.Token}")).StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task RejectedAndWithdrawnApplications_AreDeleted_AfterRejectedApplicationDays()
    {
        var partner = await NewPartnerAsync();
        var map = await MapAsync();
        var rejected = await ApplyAsync(map, partner.IssuerId, await NewBadgeClassAsync(partner, "Accueil"));
        var withdrawn = await ApplyAsync(map, partner.IssuerId, await NewBadgeClassAsync(partner, "Stand"));
        var approved = await ApplyAsync(map, partner.IssuerId, await NewBadgeClassAsync(partner, "Animation"));
        var pending = await ApplyAsync(map, partner.IssuerId, await NewBadgeClassAsync(partner, "Trésorerie"));
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{rejected}/reject", new { reason = "Trop tôt" }), 200);
        await Json(await Anonymous().PostAsync($"/public/skills-maps/{map.Token}/applications/{withdrawn}/withdraw", null), 200);
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{approved}/approve", new { }), 200);
        Advance(179);
        await SweepAsync();
        await using (var db = Db())
        {
            Assert.That(await db.Applications.CountAsync(a => a.MapId == map.Id), Is.EqualTo(4), "179 days: all kept");
        }
        Advance(2);
        // The map stays in use (its owner opens it), so only the rule on applications applies.
        await Anonymous().GetAsync($"/public/skills-maps/{map.Token}");

        await SweepAsync();

        await using (var db = Db())
        {
            var left = await db.Applications.Where(a => a.MapId == map.Id).Select(a => a.PublicId).ToListAsync();
            Assert.That(left, Is.EquivalentTo(new[] { approved, pending }));
            Assert.That(await db.ApplicationEvents.CountAsync(e => e.Application!.MapId == map.Id && (e.Application.PublicId == rejected || e.Application.PublicId == withdrawn)), Is.Zero);
        }
    }

    [Test]
    public async Task Claims_WaitingLoseTheirAddress_AndRejectedOnesAreDeleted()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var campaign = await ClaimTests.CampaignAsync(partner, badgeClass, ClaimTests.MultiUse(review: true, endsAt: Factory.Clock.GetUtcNow().AddDays(400)));
        async Task<string> ClaimAsync(string email) =>
            (await Json(await Anonymous().PostAsJsonAsync("/public/claims", new { code = campaign["code"]!.GetValue<string>(), email }), 202))["claimId"]!.GetValue<string>();
        var waiting = await ClaimAsync("waiting@example.org");
        var rejected = await ClaimAsync("rejected@example.org");
        var approved = await ClaimAsync("approved@example.org");
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/claims/{rejected}/reject", new { comment = "Absent" }), 200);
        await Json(await partner.Client.PostAsync($"/api/v1/claims/{approved}/approve", null), 200);
        Advance(31);
        await SweepAsync();
        await using (var db = Db())
        {
            var claims = await db.Claims.Where(c => c.PublicId == waiting || c.PublicId == rejected || c.PublicId == approved).ToDictionaryAsync(c => c.PublicId);
            Assert.That((claims[waiting].Status, claims[waiting].Address), Is.EqualTo(("pending", (string?)null)), "waiting 31 days: its address goes");
            Assert.That(claims, Has.Count.EqualTo(3));
        }
        Advance(150);
        await SweepAsync();
        await using (var db = Db())
        {
            var left = await db.Claims.Where(c => c.PublicId == waiting || c.PublicId == rejected || c.PublicId == approved).Select(c => c.PublicId).ToListAsync();
            Assert.That(left, Is.EquivalentTo(new[] { waiting, approved }), "rejected 181 days ago: deleted; the award's claim stays");
        }
        // A waiting claim without an address can no longer be approved (no address), and says so.
        await AssertProblem(await (await StaffAsync(partner.IssuerId)).PostAsync($"/api/v1/claims/{waiting}/approve", null), 409);
    }

    [Test]
    public async Task FinishedBulkAwards_LoseTheirRows_AfterBatchRowsDays_AndStillRead()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var job = (await Json(await partner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = JsonContent.Create(new[] { new { recipient = new { type = "email", identity = "row1@example.org" } }, new { recipient = new { type = "email", identity = "row2@example.org" } } }),
            Headers = { { "Idempotency-Key", $"rows-{Guid.NewGuid():N}" } },
        }), 201))["id"]!.GetValue<string>();
        Advance(29);
        await SweepAsync();
        await using (var db = Db())
        {
            Assert.That(await db.BatchJobs.Where(j => j.PublicId == job).Select(j => j.RowsJson).SingleAsync(), Does.Contain("row1@example.org"));
        }
        Advance(2);

        await SweepAsync();

        await using (var db = Db())
        {
            Assert.That(await db.BatchJobs.Where(j => j.PublicId == job).Select(j => j.RowsJson).SingleAsync(), Is.EqualTo("[]"));
        }
        var read = await Json(await (await StaffAsync(partner.IssuerId)).GetAsync($"/api/v1/jobs/{job}"), 200);
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("completed"));
        Assert.That(read.ToJsonString(), Does.Not.Contain("row1@example.org"));
    }

    [Test]
    public async Task AuditEntries_AreDeleted_AfterAuditDays()
    {
        var partner = await NewPartnerAsync();
        var assertion = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        Advance(1_094);
        await SweepAsync();
        await using (var db = Db())
        {
            Assert.That(await db.AuditEntries.CountAsync(e => e.TargetId == assertion), Is.EqualTo(1));
        }
        Advance(2);
        var staff = partner with { Client = await StaffAsync(partner.IssuerId) };
        var young = (await AwardAsync(staff, await NewBadgeClassAsync(staff, "Jeune"), "young@example.org"))["id"]!.GetValue<string>();

        await SweepAsync();

        await using (var db = Db())
        {
            Assert.That(await db.AuditEntries.CountAsync(e => e.TargetId == assertion), Is.Zero);
            Assert.That(await db.AuditEntries.CountAsync(e => e.TargetId == young), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task DataLinks_AreDeleted_OnceExpired()
    {
        await using (var db = Db())
        {
            foreach (var (id, expires) in new[] { ("expiresSoon01", Now.AddHours(1)), ("expiresLater1", Now.AddHours(30)) })
            {
                db.DataAccesses.Add(new Data.Entities.DataAccessEntity
                {
                    PublicId = id, TokenHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))), RecipientLookup = "sha256:" + id, Locale = "fr", UsesLeft = 20, ExpiresAt = expires, CreatedAt = Now,
                });
            }
            await db.SaveChangesAsync();
        }
        await SweepAsync();
        Advance(1.0 / 24 + 0.001);
        var outcome = await SweepAsync();

        await using (var check = Db())
        {
            Assert.That(await check.DataAccesses.Where(a => a.PublicId == "expiresSoon01" || a.PublicId == "expiresLater1").Select(a => a.PublicId).ToListAsync(),
                Is.EqualTo(new[] { "expiresLater1" }));
        }
        Assert.That(outcome.DataAccessesDeleted, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task ASweep_WaitsForTheLeaseAnotherNodeHolds()
    {
        await using (var db = Db())
        {
            var until = Now.AddMinutes(5);
            await db.WorkerLeases.Where(l => l.Name == "retention").ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, "another-node").SetProperty(l => l.LeaseUntil, until));
        }
        Assert.That((await SweepAsync()).Ran, Is.False);
        Factory.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.That((await SweepAsync()).Ran, Is.True, "an expired lease is taken over");
        await using (var db = Db())
        {
            var lease = await db.WorkerLeases.SingleAsync(l => l.Name == "retention");
            Assert.That((lease.Holder, lease.LeaseUntil), Is.EqualTo(((string?)null, (DateTime?)null)), "given back after the sweep");
        }
    }
}
