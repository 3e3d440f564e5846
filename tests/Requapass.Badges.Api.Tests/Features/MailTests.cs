using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Award emails (issue #12), end to end through a real SMTP server (smtp4dev, started once per run):
/// an award to an email address sends one multipart mail in the award's language, from the issuer's
/// sender name, with the baked badge attached (the very bytes of the public image), the badge's link,
/// and the issuer's message escaped; opting out sends nothing and keeps no address; bulk rows mail too;
/// the address is dropped once sent and never logged; staff can resend to the matching address only.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class MailTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    internal static Dictionary<string, string?> Settings(int smtpPort) => new()
    {
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Security"] = "None",
        ["Mail:From"] = "badges@requapass.example",
        ["Mail:Timeout"] = "00:00:05",
        ["Mail:PollInterval"] = "00:00:00.050",
        ["Events:DispatchInterval"] = "00:00:00.030",
    };

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        return await BadgesApiFactory.StartAsync(Provider, Settings(_smtp.SmtpPort));
    }

    [Test]
    public async Task An_award_sends_one_mail_in_its_language_with_the_baked_badge_the_link_and_the_issuers_words()
    {
        using var meters = new MeterCapture(Factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Requapass.Badges");
        var partner = await NewPartnerAsync("MDA Roubaix");
        await PutMailSettingsAsync(partner, new
        {
            mailSenderName = "Accueil <MDA> Roubaix", mailReplyTo = "Accueil@MDA-Roubaix.example.org",
            mailMessage = "Merci <b>pour</b> tout & à bientôt !\nL'équipe",
        });
        var badgeClass = await NewBadgeClassAsync(partner, "Accueil du public");
        var address = SmtpServer.NewAddress("Marie.Dupont");
        var assertionId = await AwardToAsync(partner, badgeClass, address, new() { ["locale"] = "nl" });

        var messages = await _smtp.WaitForAsync(address);
        Assert.That(messages, Has.Count.EqualTo(1), "one mail");
        var mail = messages[0];
        Assert.That(mail.From.Mailboxes.Single().Address, Is.EqualTo("badges@requapass.example"));
        Assert.That(mail.From.Mailboxes.Single().Name, Is.EqualTo("Accueil <MDA> Roubaix"));
        Assert.That(mail.ReplyTo.Mailboxes.Single().Address, Is.EqualTo("accueil@mda-roubaix.example.org"));
        Assert.That(mail.To.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { address.ToLowerInvariant() }));
        Assert.That(mail.MessageId, Does.Match("^award-mail\\.[0-9a-f]{24}@badges\\.example\\.test$"), "RFC 5322 msg-id, on the public host");
        Assert.That(mail.Headers["Auto-Submitted"], Is.EqualTo("auto-generated"));
        Assert.That(mail.Body!.Headers[HeaderId.ContentLanguage], Is.EqualTo("nl"));
        Assert.That(mail.Subject, Is.EqualTo("Uw badge „Accueil du public” van MDA Roubaix"), "the class has no Dutch name: its own");

        var badgeUrl = $"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{assertionId}";
        var text = mail.TextBody;
        var html = mail.HtmlBody;
        Assert.That(text, Does.Contain(badgeUrl).And.Contain("Wat is een Open Badge?").And.Contain("LinkedIn").And.Contain("Merci <b>pour</b> tout & à bientôt !"));
        Assert.That(html, Does.Contain($"href=\"{badgeUrl}\"").And.Contain("<html lang=\"nl\">").And.Contain("Wat is een Open Badge?"));
        Assert.That(html, Does.Contain("Merci &lt;b&gt;pour&lt;/b&gt; tout &amp; à bientôt !<br>L&#x27;équipe"), "the issuer's message is escaped, its lines kept");
        Assert.That(html, Does.Not.Contain("<b>pour</b>"));

        var attachment = mail.Attachments.OfType<MimePart>().Single();
        Assert.That(attachment.ContentType.MimeType, Is.EqualTo("image/png"));
        Assert.That(attachment.FileName, Is.EqualTo("accueil-du-public.png"));
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        var served = await Anonymous().GetByteArrayAsync($"/public/assertions/{assertionId}/image?format=png");
        Assert.That(bytes.ToArray(), Is.EqualTo(served), "the attachment is the baked image the public route serves");
        var baked = PngBaker.Unbake(bytes.ToArray());
        Assert.That(baked.Ok, Is.True, baked.Message);
        Assert.That(baked.Payload, Does.Contain(badgeUrl), "the PNG carries the assertion");

        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            var row = await db.AwardMails.AsNoTracking().SingleAsync(m => m.MessageId == mail.MessageId);
            Assert.That((row.Status, row.Attempts, row.Address), Is.EqualTo(("sent", 1, (string?)null)), "the address is dropped once sent");
            Assert.That(await db.AwardMailRequests.CountAsync(r => r.Assertion!.PublicId == assertionId), Is.Zero);
        }
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty, "the address is never logged");
        Assert.That(meters.Sum("requapass.badges.mails", ("outcome", "sent")), Is.EqualTo(1));
        Assert.That(await Anonymous().GetStringAsync("/metrics"), Does.Contain("requapass_badges_mails_total"));
    }

    [Test]
    public async Task Opting_out_on_the_award_or_the_issuer_sends_nothing_and_keeps_no_address()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var declined = SmtpServer.NewAddress();
        var declinedId = await AwardToAsync(partner, badgeClass, declined, new() { ["notify"] = false });
        var url = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "url", identity = "https://example.org/marie" } }), 201);

        await PutMailSettingsAsync(partner, new { notifyRecipients = false, defaultLocale = "en" });
        var quiet = SmtpServer.NewAddress();
        var quietId = await AwardToAsync(partner, badgeClass, quiet);
        var asked = SmtpServer.NewAddress();
        await AwardToAsync(partner, badgeClass, asked, new() { ["notify"] = true });

        var sent = await _smtp.WaitForAsync(asked);
        Assert.That(sent, Has.Count.EqualTo(1), "notify: true on the award wins over the issuer's default");
        Assert.That(sent[0].Subject, Does.StartWith("Your badge"), "the issuer's default locale");
        await WaitDispatchedAsync(declinedId, quietId, url["id"]!.GetValue<string>());
        Assert.That(await _smtp.MessagesToAsync(declined), Is.Empty);
        Assert.That(await _smtp.MessagesToAsync(quiet), Is.Empty);
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var assertions = new[] { declinedId, quietId, url["id"]!.GetValue<string>() };
        var ids = await db.Assertions.Where(a => assertions.Contains(a.PublicId)).Select(a => a.Id).ToListAsync();
        Assert.That(await db.AwardMailRequests.CountAsync(r => ids.Contains(r.AssertionId)), Is.Zero, "no address kept for a mail that will not go");
        Assert.That(await db.AwardMails.CountAsync(m => m.AssertionId != null && ids.Contains(m.AssertionId.Value)), Is.Zero);
    }

    [Test]
    public async Task A_bulk_award_mails_each_row_that_asks_in_the_rows_language()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var (en, no, nl, fr) = (SmtpServer.NewAddress(), SmtpServer.NewAddress(), SmtpServer.NewAddress(), SmtpServer.NewAddress());
        var csv = $"recipient;notify;locale\n{en};oui;en\n{no};non;\n{nl};;NL\n{fr};;\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var job = await Json(await partner.Client.SendAsync(request), 201);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("completed"));

        Assert.That((await _smtp.WaitForAsync(en)).Single().Subject, Is.EqualTo("Your badge \"Welcoming the public\" from Maison des Associations de Roubaix"),
            "the class's English name");
        Assert.That((await _smtp.WaitForAsync(nl)).Single().Subject, Does.StartWith("Uw badge"));
        Assert.That((await _smtp.WaitForAsync(fr)).Single().Subject, Does.StartWith("Votre badge"), "French by default");
        Assert.That(await _smtp.MessagesToAsync(no), Is.Empty);

        var bad = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = new StringContent($"recipient;notify;locale\n{no};peut-être;\n{no};;de\n", Encoding.UTF8, "text/csv"),
        };
        bad.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var refused = await AssertProblem(await partner.Client.SendAsync(bad), 422);
        Assert.That(refused.ToJsonString(), Does.Contain("notify must be true or false").And.Contain("locale must be fr, nl or en"));
    }

    [Test]
    public async Task Header_values_stay_one_line_whatever_the_badge_name_holds()
    {
        var partner = await NewPartnerAsync();
        var created = await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Accueil\r\nBcc: intrus@example.org\r\nX-Injected: yes"));
        var badgeClass = (await Json(created, 201))["id"]!.GetValue<string>();
        var address = SmtpServer.NewAddress();
        // French, the class's own language: the subject holds its (unsafe) name.
        await AwardToAsync(partner, badgeClass, address, new() { ["locale"] = "fr" });

        var mail = (await _smtp.WaitForAsync(address)).Single();
        Assert.That(mail.Headers.Contains("X-Injected"), Is.False);
        Assert.That(mail.Bcc, Is.Empty);
        Assert.That(mail.Subject, Does.Not.Contain("\n").And.Contain("Bcc: intrus@example.org X-Injected: yes"), "kept as text, on one line");
        Assert.That(await _smtp.MessagesToAsync("intrus@example.org"), Is.Empty);
    }

    [Test]
    public async Task Issuer_mail_settings_and_award_locales_are_checked_and_nothing_is_half_written()
    {
        var partner = await NewPartnerAsync();
        var cases = new (object Body, string Field)[]
        {
            (new { mailReplyTo = "pas une adresse" }, "mailReplyTo"),
            (new { mailReplyTo = "a@example.org\r\nBcc: b@example.org" }, "mailReplyTo"),
            (new { mailSenderName = "MDA\r\nBcc: b@example.org" }, "mailSenderName"),
            (new { mailSenderName = new string('x', 101) }, "mailSenderName"),
            (new { mailMessage = new string('x', 1001) }, "mailMessage"),
            (new { defaultLocale = "de" }, "defaultLocale"),
        };
        foreach (var (body, field) in cases)
        {
            var problem = await AssertProblem(await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", IssuerBody(body)), 400);
            Assert.That(problem["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
        }
        var issuer = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        Assert.That(issuer["mailSenderName"], Is.Null);
        Assert.That((issuer["notifyRecipients"]!.GetValue<bool>(), issuer["defaultLocale"]!.GetValue<string>()), Is.EqualTo((true, "fr")));

        var badgeClass = await NewBadgeClassAsync(partner);
        var award = await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = SmtpServer.NewAddress() }, locale = "de" });
        var refused = await AssertProblem(award, 400);
        Assert.That(refused["errors"]!.AsObject().ContainsKey("locale"), Is.True);
        var list = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(list["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Staff_resend_to_the_recipients_address_only_and_never_for_a_revoked_badge()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var address = SmtpServer.NewAddress("Jean");
        var assertionId = await AwardToAsync(partner, badgeClass, address);
        var first = (await _smtp.WaitForAsync(address)).Single();
        var resend = $"/api/v1/assertions/{assertionId}/resend-email";

        var mismatch = await AssertProblem(await partner.Client.PostAsJsonAsync(resend, new { email = SmtpServer.NewAddress() }), 422);
        Assert.That(mismatch["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:recipient-mismatch"));
        await AssertProblem(await partner.Client.PostAsJsonAsync(resend, new { email = "pas une adresse" }), 400);
        await AssertProblem(await partner.Client.PostAsJsonAsync(resend, new { email = address, locale = "de" }), 400);
        await AssertProblem(await partner.Client.PostAsJsonAsync("/api/v1/assertions/0123456789abcdef01234567/resend-email", new { email = address }), 404);

        var queued = await Json(await partner.Client.PostAsJsonAsync(resend, new { email = $"  {address.ToUpperInvariant()} ", locale = "en" }), 202);
        Assert.That(queued["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(queued.ToJsonString(), Does.Not.Contain(address).IgnoreCase, "the address is not echoed");
        var both = await _smtp.WaitForAsync(address, 2);
        Assert.That(both, Has.Count.EqualTo(2));
        Assert.That(both[1].MessageId, Is.Not.EqualTo(first.MessageId), "a new mail, with its own Message-ID");
        Assert.That(both[1].Subject, Does.StartWith("Your badge"));

        var url = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "url", identity = "https://example.org/jean" } }), 201))["id"]!.GetValue<string>();
        var notEmail = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{url}/resend-email", new { email = address }), 409);
        Assert.That(notEmail["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:not-an-email-recipient"));

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertionId}/revoke", new { reason = "Attribué par erreur" }), 200);
        var revoked = await AssertProblem(await partner.Client.PostAsJsonAsync(resend, new { email = address }), 409);
        Assert.That(revoked["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:assertion-revoked"));
        await Task.Delay(300);
        Assert.That(await _smtp.MessagesToAsync(address), Has.Count.EqualTo(2));
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty, "the address is never logged");
    }

    private async Task<string> AwardToAsync(Partner partner, string badgeClass, string address, Dictionary<string, object?>? extra = null)
    {
        var body = new Dictionary<string, object?> { ["recipient"] = new { type = "email", identity = address }, ["narrative"] = "A tenu l'accueil." };
        foreach (var (key, value) in extra ?? []) { body[key] = value; }
        return (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", body), 201))["id"]!.GetValue<string>();
    }

    private static object IssuerBody(object mail)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new
        {
            name = "MDA Roubaix", url = "https://mda-roubaix.example.org", email = "contact@mda-roubaix.example.org",
        }))!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(mail))!.AsObject().ToList())
        {
            body[key] = value?.DeepClone();
        }
        return body;
    }

    private static async Task PutMailSettingsAsync(Partner partner, object mail) =>
        await Json(await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", IssuerBody(mail)), 200);

    private async Task WaitDispatchedAsync(params string[] assertionIds)
    {
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await db.OutboxEvents.CountAsync(e => assertionIds.Contains(e.Subject) && e.DispatchedAt == null) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await Task.Delay(300);
    }
}
