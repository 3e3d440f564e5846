using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Expiry reminders (issue #12, part 4), through a real SMTP server and the test clock: a badge that
/// expires gets one reminder, on its day, in the award's language, never before and never twice; the
/// address is kept for it only when a reminder will go, and goes when the reminder is sent, the badge
/// revoked or the issuer's reminders turned off; bulk rows get theirs; staff list what expires soon.
/// The tests move this fixture's clock by days: every call after a move mints a fresh admin token.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ReminderTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    internal static Dictionary<string, string?> Settings(int smtpPort) => new(MailTests.Settings(smtpPort))
    {
        ["Events:ExpiryScanInterval"] = "00:00:00.050",
    };

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        return await BadgesApiFactory.StartAsync(Provider, Settings(_smtp.SmtpPort));
    }

    [SetUp]
    public void FreshTokens() => ForgetTokens();

    [Test]
    public async Task A_reminder_goes_once_on_its_day_in_the_awards_language_and_never_before()
    {
        var partner = await NewPartnerAsync("MDA Tourcoing");
        await PutIssuerAsync(partner, new { expiryReminderDays = 10, mailReplyTo = "accueil@mda-tourcoing.example.org" });
        var badgeClass = await NewBadgeClassAsync(partner, "Accueil du public");
        var address = SmtpServer.NewAddress("Anna");
        var expires = Now().AddDays(30);
        var assertionId = await AwardToAsync(partner, badgeClass, address, new() { ["locale"] = "nl", ["expires"] = expires });
        Assert.That(await _smtp.WaitForAsync(address), Has.Count.EqualTo(1), "the award's own mail");

        var held = await ReminderRowAsync(assertionId);
        Assert.That(held, Is.Not.Null, "the address is held for the reminder");
        Assert.That((held!.Address, held.Locale), Is.EqualTo((address.ToLowerInvariant(), "nl")));
        Assert.That(held.DueAt, Is.EqualTo(expires.UtcDateTime.AddDays(-10)).Within(TimeSpan.FromSeconds(1)), "expires less 10 days (dates are kept to the second)");

        Factory.Clock.Advance(TimeSpan.FromDays(20) - TimeSpan.FromMinutes(1));
        await Task.Delay(600); // a dozen scans
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(1), "nothing before its day");
        Assert.That(await ReminderRowAsync(assertionId), Is.Not.Null);

        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var mails = await _smtp.WaitForAsync(address, 2);
        Assert.That(mails, Has.Count.EqualTo(2));
        var reminder = mails[1];
        var badgeUrl = $"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{assertionId}";
        var date = expires.UtcDateTime.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        Assert.That(reminder.MessageId, Does.Match("^expiry-reminder\\.[0-9a-f]{24}@badges\\.example\\.test$"));
        Assert.That(reminder.Subject, Is.EqualTo($"Uw badge „Accueil du public” verloopt op {date}"));
        Assert.That(reminder.Body!.Headers[HeaderId.ContentLanguage], Is.EqualTo("nl"));
        Assert.That(reminder.From.Mailboxes.Single().Name, Is.EqualTo("MDA Tourcoing"));
        Assert.That(reminder.ReplyTo.Mailboxes.Single().Address, Is.EqualTo("accueil@mda-tourcoing.example.org"));
        Assert.That(reminder.TextBody, Does.Contain(badgeUrl).And.Contain(date).And.Contain("accueil@mda-tourcoing.example.org").And.Contain("verlengen"));
        Assert.That(reminder.HtmlBody, Does.Contain($"href=\"{badgeUrl}\"").And.Contain("<html lang=\"nl\">"));
        Assert.That(reminder.Attachments, Is.Empty, "a reminder links to the badge; it does not carry it again");

        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            Assert.That(await ReminderRowAsync(assertionId), Is.Null, "the reminder row goes when its mail is queued");
            var row = await db.AwardMails.AsNoTracking().SingleAsync(m => m.MessageId == reminder.MessageId);
            Assert.That((row.Kind, row.Status, row.Address), Is.EqualTo(("expiry-reminder", "sent", (string?)null)), "and the address once it is sent");
        }

        Factory.Clock.Advance(TimeSpan.FromDays(5));
        await Task.Delay(600);
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(2), "never twice");

        ForgetTokens(); // minted before the clock moved 25 days
        var list = await Json(await (await AdminAsync()).GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions/expiring?days=30"), 200);
        var item = list["items"]!.AsArray().Single()!;
        Assert.That(item["assertion"]!["id"]!.GetValue<string>(), Is.EqualTo(assertionId));
        Assert.That(item["reminder"]!["status"]!.GetValue<string>(), Is.EqualTo("sent"));
        Assert.That(item["reminder"]!["sentAt"]!.GetValue<DateTime>(), Is.EqualTo(expires.UtcDateTime.AddDays(-10)).Within(TimeSpan.FromMinutes(2)));
        Assert.That(list.ToJsonString(), Does.Not.Contain(address).IgnoreCase, "staff see that it went, not where");
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty, "the address is never logged");
    }

    [Test]
    public async Task A_revoked_badge_gets_no_reminder_and_its_address_goes_with_the_revocation()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var address = SmtpServer.NewAddress();
        var assertionId = await AwardToAsync(partner, badgeClass, address, new() { ["expires"] = Now().AddDays(30) });
        await _smtp.WaitForAsync(address);
        Assert.That(await ReminderRowAsync(assertionId), Is.Not.Null, "14 days by default");

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertionId}/revoke", new { reason = "Attribué par erreur" }), 200);
        Assert.That(await ReminderRowAsync(assertionId), Is.Null, "deleted in the revocation's transaction");

        Factory.Clock.Advance(TimeSpan.FromDays(20));
        await Task.Delay(600);
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(1), "the award's mail only");
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        Assert.That(await db.AwardMails.CountAsync(m => m.Kind == "expiry-reminder" && db.Assertions.Any(a => a.Id == m.AssertionId && a.PublicId == assertionId)), Is.Zero);
    }

    [Test]
    public async Task Without_a_reminder_to_send_no_address_is_kept_and_turning_reminders_off_forgets_them()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var later = Now().AddDays(60);
        var kept = await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = later });
        var none = new List<string>
        {
            await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = later, ["notify"] = false }),
            await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress()),
            await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = Now().AddDays(10) }),
            (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "url", identity = "https://example.org/marie" }, expires = later }), 201))["id"]!.GetValue<string>(),
            (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "telephone", identity = "+32 470 12 34 56" }, expires = later }), 201))["id"]!.GetValue<string>(),
        };
        Assert.That(await ReminderRowAsync(kept), Is.Not.Null);
        foreach (var id in none) { Assert.That(await ReminderRowAsync(id), Is.Null, "notify false, no expiry, expiring within the days, not an email"); }

        await PutIssuerAsync(partner, new { expiryReminderDays = 0 });
        Assert.That(await ReminderRowAsync(kept), Is.Null, "off means off: the held address goes at once");
        var off = await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = later });
        Assert.That(await ReminderRowAsync(off), Is.Null, "and none is kept while reminders are off");
        var issuer = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        Assert.That(issuer["expiryReminderDays"]!.GetValue<int>(), Is.Zero);
        await PutIssuerAsync(partner, new { defaultLocale = "en" });
        issuer = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        Assert.That(issuer["expiryReminderDays"]!.GetValue<int>(), Is.Zero, "kept when an update leaves it out");
    }

    [Test]
    public async Task Bulk_rows_get_their_reminders_in_their_languages()
    {
        var partner = await NewPartnerAsync();
        await PutIssuerAsync(partner, new { expiryReminderDays = 7 });
        var badgeClass = await NewBadgeClassAsync(partner);
        var (en, fr, quiet, open) = (SmtpServer.NewAddress(), SmtpServer.NewAddress(), SmtpServer.NewAddress(), SmtpServer.NewAddress());
        var expires = Now().AddDays(20).ToString("O", CultureInfo.InvariantCulture);
        var csv = $"recipient;notify;locale;expires\n{en};;en;{expires}\n{fr};;;{expires}\n{quiet};non;;{expires}\n{open};;;\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var job = await Json(await partner.Client.SendAsync(request), 201);
        var ids = job["assertions"]!.AsArray().OrderBy(a => a!["line"]!.GetValue<int>()).Select(a => a!["assertionId"]!.GetValue<string>()).ToList();
        Assert.That(ids, Has.Count.EqualTo(4));
        Assert.That(await ReminderRowAsync(ids[0]), Is.Not.Null);
        Assert.That(await ReminderRowAsync(ids[1]), Is.Not.Null);
        Assert.That(await ReminderRowAsync(ids[2]), Is.Null, "notify non");
        Assert.That(await ReminderRowAsync(ids[3]), Is.Null, "no expiry");
        await _smtp.WaitForAsync(en);
        await _smtp.WaitForAsync(fr);

        Factory.Clock.Advance(TimeSpan.FromDays(14));
        Assert.That((await _smtp.WaitForAsync(en, 2))[1].Subject, Does.StartWith("Your badge \"Welcoming the public\" expires on"), "the row's language, the class's name in it");
        Assert.That((await _smtp.WaitForAsync(fr, 2))[1].Subject, Does.StartWith("Votre badge «\u00a0Accueil du public\u00a0» expire le"));
        Assert.That(await _smtp.MessagesToAsync(quiet), Is.Empty);
        Assert.That(await _smtp.MessagesToAsync(open), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Staff_list_what_expires_soon_soonest_first_page_by_page_and_bad_values_are_refused()
    {
        var partner = await NewPartnerAsync();
        var other = await NewPartnerAsync("Maison des Associations de Charleroi");
        var badgeClass = await NewBadgeClassAsync(partner);
        var now = Now();
        var in40 = await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = now.AddDays(40) });
        var in5 = await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = now.AddDays(5) });
        var in20 = await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = now.AddDays(20), ["notify"] = false });
        var revoked = await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["expires"] = now.AddDays(6) });
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{revoked}/revoke", new { reason = "Erreur" }), 200);
        await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress(), new() { ["issuedOn"] = now.AddDays(-30), ["expires"] = now.AddDays(-1) });
        await AwardToAsync(partner, badgeClass, SmtpServer.NewAddress());
        await AwardToAsync(other, await NewBadgeClassAsync(other), SmtpServer.NewAddress(), new() { ["expires"] = now.AddDays(3) });
        var path = $"/api/v1/issuers/{partner.IssuerId}/assertions/expiring";

        var within30 = await Json(await partner.Client.GetAsync($"{path}?days=30"), 200);
        Assert.That(Ids(within30), Is.EqualTo(new[] { in5, in20 }), "soonest first; not revoked, expired, later, without expiry, or another issuer's");
        Assert.That(within30["items"]!.AsArray().Select(i => i!["reminder"]!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "none", "none" }),
            "within the reminder days at award, and notify false");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Json(await partner.Client.GetAsync($"{path}?days=45&limit=1" + (cursor is null ? "" : $"&cursor={cursor}")), 200);
            seen.AddRange(Ids(page));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && seen.Count < 10);
        Assert.That(seen, Is.EqualTo(new[] { in5, in20, in40 }), "each once, in order, across pages");
        var last = (await Json(await partner.Client.GetAsync($"{path}?days=45"), 200))["items"]!.AsArray()[2]!["reminder"]!;
        Assert.That(last["status"]!.GetValue<string>(), Is.EqualTo("scheduled"));
        Assert.That(last["dueAt"]!.GetValue<DateTime>(), Is.EqualTo(now.UtcDateTime.AddDays(26)).Within(TimeSpan.FromSeconds(1)));

        var forged = Convert.ToBase64String(Enumerable.Repeat((byte)0xFF, 16).ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        foreach (var query in new[] { "", "?days=0", "?days=367", "?days=-1", "?days=abc", "?days=10&limit=0", "?days=10&limit=201",
            "?days=10&cursor=nope", $"?days=10&cursor={forged}", "?days=99999999999" })
        {
            await AssertProblem(await partner.Client.GetAsync(path + query), 400);
        }
        await AssertProblem(await other.Client.GetAsync($"{path}?days=30"), 403);
        await AssertProblem(await (await AdminAsync()).GetAsync("/api/v1/issuers/0123456789abcdef01234567/assertions/expiring?days=30"), 404);
    }

    [Test]
    public async Task The_issuers_reminder_days_are_checked_and_nothing_is_half_written()
    {
        var partner = await NewPartnerAsync();
        var issuer = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        Assert.That(issuer["expiryReminderDays"]!.GetValue<int>(), Is.EqualTo(14), "the default");
        foreach (var bad in new[] { "-1", "91", "\"abc\"", "1.5", "99999999999", "true" })
        {
            var body = $$"""{"name":"Changed","url":"https://example.org","email":"contact@example.org","expiryReminderDays":{{bad}}}""";
            var response = await partner.Client.PutAsync($"/api/v1/issuers/{partner.IssuerId}", new StringContent(body, Encoding.UTF8, "application/json"));
            await AssertProblem(response, 400);
        }
        issuer = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        Assert.That((issuer["name"]!.GetValue<string>(), issuer["expiryReminderDays"]!.GetValue<int>()), Is.EqualTo(("Maison des Associations de Roubaix", 14)));
        await PutIssuerAsync(partner, new { expiryReminderDays = 90 });
        var created = await Json(await (await AdminAsync()).PostAsJsonAsync("/api/v1/issuers",
            new { name = "MDA Lille", url = "https://mda-lille.example.org", email = "contact@mda-lille.example.org", expiryReminderDays = 1 }), 201);
        Assert.That(created["expiryReminderDays"]!.GetValue<int>(), Is.EqualTo(1));
    }

    private DateTimeOffset Now() => Factory.Clock.GetUtcNow();

    private static List<string> Ids(JsonObject page) => [.. page["items"]!.AsArray().Select(i => i!["assertion"]!["id"]!.GetValue<string>())];

    private async Task<ExpiryReminderEntity?> ReminderRowAsync(string assertionId)
    {
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        return await db.ExpiryReminders.AsNoTracking().SingleOrDefaultAsync(r => db.Assertions.Any(a => a.Id == r.AssertionId && a.PublicId == assertionId));
    }

    private async Task<string> AwardToAsync(Partner partner, string badgeClass, string address, Dictionary<string, object?>? extra = null)
    {
        var body = new Dictionary<string, object?> { ["recipient"] = new { type = "email", identity = address } };
        foreach (var (key, value) in extra ?? []) { body[key] = value; }
        return (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", body), 201))["id"]!.GetValue<string>();
    }

    /// <summary>Updates the issuer's profile with <paramref name="settings"/> over the fields every update needs.</summary>
    private async Task PutIssuerAsync(Partner partner, object settings)
    {
        var current = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        var body = new JsonObject { ["name"] = current["name"]!.DeepClone(), ["url"] = current["url"]!.DeepClone(), ["email"] = current["email"]!.DeepClone() };
        foreach (var field in new[] { "mailSenderName", "mailReplyTo", "mailMessage" }) { body[field] = current[field]?.DeepClone(); }
        foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(settings))!.AsObject().ToList()) { body[key] = value?.DeepClone(); }
        await Json(await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", body), 200);
    }
}
