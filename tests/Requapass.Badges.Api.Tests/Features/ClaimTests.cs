using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Claim codes (issue #12, part 3), over HTTP on both stores: campaigns and their limits, a claim
/// awarded through the issuance core with its event and its mail (read from smtp4dev), claiming again,
/// one winner among parallel claims of one single-use code, every refusal, review with its mails, QR
/// codes, and hostile input that stores nothing.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ClaimTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(_smtp.SmtpPort);
        // The rate has its own fixture (ClaimRateLimitTests); here it must not get in the way.
        settings["PublicTraffic:ClaimsPerMinute"] = "10000";
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    internal static object MultiUse(int maxClaims = 100, bool review = false, string[]? domains = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) => new
    {
        kind = "multi-use", name = "Forum des associations 2026", startsAt, endsAt = endsAt ?? DateTimeOffset.UtcNow.AddDays(30), maxClaims,
        allowedDomains = domains, review,
    };

    internal static async Task<JsonObject> CampaignAsync(Partner partner, string badgeClassId, object body) =>
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClassId}/claim-campaigns", body), 201);

    private async Task<HttpResponseMessage> ClaimAsync(string code, string email, string? narrative = null, string? locale = null) =>
        await Anonymous().PostAsJsonAsync("/public/claims", new { code, email, narrative, locale });

    [Test]
    public async Task Campaigns_AreCreatedListedReadAndClosed_AndAClosedCampaignRefusesClaims()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var created = await CampaignAsync(partner, badgeClass, MultiUse(maxClaims: 50, domains: ["MDA-Roubaix.example.org", "@example.org"]));
        var id = created["id"]!.GetValue<string>();
        var code = created["code"]!.GetValue<string>();
        Assert.That(code, Does.Match("^[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}$"));
        Assert.That(created["status"]!.GetValue<string>(), Is.EqualTo("open"));
        Assert.That(created["allowedDomains"]!.AsArray().Select(d => d!.GetValue<string>()), Is.EqualTo(new[] { "mda-roubaix.example.org", "example.org" }));
        Assert.That(created["claimUrl"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/claims/{id}?code={code}"));

        var read = await Json(await partner.Client.GetAsync($"/api/v1/claim-campaigns/{id}"), 200);
        Assert.That((read["code"]!.GetValue<string>(), read["maxClaims"]!.GetValue<int>()), Is.EqualTo((code, 50)));
        var list = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/claim-campaigns"), 200);
        Assert.That(list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));

        var closed = await Json(await partner.Client.PostAsync($"/api/v1/claim-campaigns/{id}/close", null), 200);
        Assert.That(closed["status"]!.GetValue<string>(), Is.EqualTo("closed"));
        var refused = await AssertProblem(await ClaimAsync(code, SmtpServer.NewAddress()), 409);
        Assert.That(refused["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:claim-campaign-closed"));
    }

    [TestCase("kind", "\"kind\":\"forever\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"maxClaims\":1")]
    [TestCase("codes", "\"kind\":\"single-use\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"codes\":10001")]
    [TestCase("maxClaims", "\"kind\":\"single-use\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"codes\":5,\"maxClaims\":6")]
    [TestCase("maxClaims", "\"kind\":\"multi-use\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\"")]
    [TestCase("endsAt", "\"kind\":\"multi-use\",\"name\":\"x\",\"maxClaims\":5")]
    [TestCase("endsAt", "\"kind\":\"multi-use\",\"name\":\"x\",\"startsAt\":\"2030-01-02T00:00:00Z\",\"endsAt\":\"2030-01-01T00:00:00Z\",\"maxClaims\":5")]
    [TestCase("allowedDomains[0]", "\"kind\":\"multi-use\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"maxClaims\":5,\"allowedDomains\":[\"not a domain\"]")]
    [TestCase("allowedDomains", "\"kind\":\"multi-use\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"maxClaims\":5,\"allowedDomains\":[DOMAINS]")]
    [TestCase("name", "\"kind\":\"multi-use\",\"name\":\"LONGNAME\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"maxClaims\":5")]
    [TestCase("name", "\"kind\":\"multi-use\",\"name\":\"a\\u0007b\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"maxClaims\":5")]
    [TestCase("locale", "\"kind\":\"multi-use\",\"name\":\"x\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"maxClaims\":5,\"locale\":\"de\"")]
    public async Task Campaign_OverALimitOrInvalid_Is400_AndNothingIsStored(string field, string json)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        json = json.Replace("LONGNAME", new string('n', 201)).Replace("DOMAINS", string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"d{i}.example.org\"")));
        var response = await partner.Client.PostAsync($"/api/v1/badge-classes/{badgeClass}/claim-campaigns",
            new StringContent("{" + json + "}", System.Text.Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, 400);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field));
        var list = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/claim-campaigns"), 200);
        Assert.That(list["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task A_claim_awards_through_the_core_with_its_event_and_mail_and_claiming_again_gives_the_same_badge()
    {
        var partner = await NewPartnerAsync("MDA Tourcoing");
        var badgeClass = await NewBadgeClassAsync(partner, "Accueil du public");
        var campaign = await CampaignAsync(partner, badgeClass, MultiUse(maxClaims: 5));
        var code = campaign["code"]!.GetValue<string>();
        var address = SmtpServer.NewAddress("Claire.Martin");

        // Any case, dashes or spaces: the same code.
        var typed = " " + code.ToLowerInvariant().Replace("-", " ") + " ";
        var first = await Json(await ClaimAsync(typed, address, "J'ai tenu le stand tout le week-end.", "en"), 201);
        Assert.That(first["status"]!.GetValue<string>(), Is.EqualTo("awarded"));
        Assert.That(first["replayed"]!.GetValue<bool>(), Is.False);
        var assertionId = first["assertionId"]!.GetValue<string>();

        var assertion = await Json(await partner.Client.GetAsync($"/api/v1/assertions/{assertionId}"), 200);
        Assert.That(assertion["badgeClassId"]!.GetValue<string>(), Is.EqualTo(badgeClass));
        Assert.That(assertion["narrative"]!.GetValue<string>(), Is.EqualTo("J'ai tenu le stand tout le week-end."));
        var byRecipient = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?recipient={Uri.EscapeDataString(address)}"), 200);
        Assert.That(byRecipient["items"]!.AsArray(), Has.Count.EqualTo(1), "the recipient's hash is the address's");

        var mails = await _smtp.WaitForAsync(address);
        Assert.That(mails, Has.Count.EqualTo(1));
        Assert.That(mails[0].Subject, Is.EqualTo("Your badge \"Welcoming the public\" from MDA Tourcoing"), "the claim's locale, and the class's English name");
        Assert.That(mails[0].TextBody, Does.Contain($"/public/assertions/{assertionId}"));

        var events = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events?type=assertion.awarded"), 200);
        Assert.That(events["items"]!.AsArray().Select(e => e!["subject"]!.GetValue<string>()), Is.EqualTo(new[] { assertionId }));

        var again = await Json(await ClaimAsync(code, address.ToUpperInvariant()), 200);
        Assert.That((again["assertionId"]!.GetValue<string>(), again["replayed"]!.GetValue<bool>()), Is.EqualTo((assertionId, true)));
        var read = await Json(await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}"), 200);
        Assert.That(read["claims"]!.GetValue<int>(), Is.EqualTo(1), "claiming again counts nothing");

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var claim = await db.Claims.AsNoTracking().SingleAsync(c => c.PublicId == first["claimId"]!.GetValue<string>());
        Assert.That(claim.Address, Is.Null, "an awarded claim keeps no address");
        Assert.That(claim.RecipientLookup, Does.Not.Contain("@"));
        Assert.That(await db.ClaimCodes.AsNoTracking().Where(c => c.CampaignId == claim.CampaignId).Select(c => c.CodeHash + c.SealedCode).SingleAsync(),
            Does.Not.Contain(code).And.Not.Contain(code.Replace("-", "")), "the code is not stored in clear");
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public async Task Twenty_parallel_claims_of_one_single_use_code_award_exactly_one_badge()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var campaign = await CampaignAsync(partner, badgeClass, new { kind = "single-use", name = "Stand", endsAt = DateTimeOffset.UtcNow.AddDays(1), codes = 3 });
        var codes = campaign["codes"]!.AsArray();
        Assert.That(codes.Select(c => c!["number"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2, 3 }));
        var code = codes[1]!["code"]!.GetValue<string>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ClaimAsync(code, $"racer{i}.{Guid.NewGuid():N}@example.org")));
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == 201), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Count(s => s == 409), Is.EqualTo(19), string.Join(",", statuses));
        foreach (var loser in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.That((await AssertProblem(loser, 409))["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:claim-code-used"));
        }
        var assertions = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Has.Count.EqualTo(1));

        var listed = await Json(await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}/codes"), 200);
        Assert.That(listed["items"]!.AsArray().Select(c => (c!["code"]!.GetValue<string>(), c["used"]!.GetValue<bool>())),
            Is.EqualTo(codes.Select(c => (c!["code"]!.GetValue<string>(), c["number"]!.GetValue<int>() == 2))));
        var csv = await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}/codes?format=csv");
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("number,code,used,used_at"));
        Assert.That(lines[2], Does.StartWith($"2,{code},yes,20"));
        Assert.That(lines[1], Is.EqualTo($"1,{codes[0]!["code"]},no,"));
        var read = await Json(await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}"), 200);
        Assert.That(read["claims"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Claims_are_refused_for_unknown_codes_early_late_full_campaigns_and_other_domains_and_store_nothing()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var now = Factory.Clock.GetUtcNow();
        var early = (await CampaignAsync(partner, badgeClass, MultiUse(startsAt: now.AddDays(2), endsAt: now.AddDays(3))))["code"]!.GetValue<string>();
        var late = await CampaignAsync(partner, badgeClass, MultiUse(endsAt: now.AddHours(1)));
        var full = (await CampaignAsync(partner, badgeClass, MultiUse(maxClaims: 1)))["code"]!.GetValue<string>();
        var domain = (await CampaignAsync(partner, badgeClass, MultiUse(domains: ["mda-roubaix.example.org"])))["code"]!.GetValue<string>();

        async Task Refused(HttpResponseMessage response, int status, string type) =>
            Assert.That((await AssertProblem(response, status))["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:" + type));
        await Refused(await ClaimAsync("2222-2222-2222", SmtpServer.NewAddress()), 422, "claim-code-unknown");
        await Refused(await ClaimAsync("not a code at all", SmtpServer.NewAddress()), 422, "claim-code-unknown");
        await Refused(await ClaimAsync(early, SmtpServer.NewAddress()), 409, "claim-campaign-not-started");
        await Json(await ClaimAsync(full, SmtpServer.NewAddress()), 201);
        await Refused(await ClaimAsync(full, SmtpServer.NewAddress()), 409, "claim-campaign-exhausted");
        await Refused(await ClaimAsync(domain, "marie@example.org"), 422, "claim-email-domain");
        await Json(await ClaimAsync(domain, "marie@MDA-Roubaix.example.org"), 201);
        await Refused(await ClaimAsync(full, "no-at-sign"), 400, "validation");

        Factory.Clock.Advance(TimeSpan.FromHours(2));
        ForgetTokens();
        await Refused(await ClaimAsync(late["code"]!.GetValue<string>(), SmtpServer.NewAddress()), 409, "claim-campaign-ended");
        var assertions = await Json(await (await AdminAsync()).GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Has.Count.EqualTo(2), "the two accepted claims, nothing else");
    }

    [Test]
    public async Task Review_approves_with_the_award_mail_and_rejects_with_a_mail_carrying_the_comment_then_forgets_the_address()
    {
        var partner = await NewPartnerAsync("MDA Charleroi");
        var badgeClass = await NewBadgeClassAsync(partner, "Accueil du public");
        var campaign = await CampaignAsync(partner, badgeClass, MultiUse(review: true));
        var code = campaign["code"]!.GetValue<string>();
        var (approved, rejected) = (SmtpServer.NewAddress("approved"), SmtpServer.NewAddress("rejected"));
        var pendingA = await Json(await ClaimAsync(code, approved, locale: "fr"), 202);
        var pendingR = await Json(await ClaimAsync(code, rejected, locale: "nl"), 202);
        Assert.That((pendingA["status"]!.GetValue<string>(), pendingA["assertionId"]), Is.EqualTo(("pending", (JsonNode?)null)));
        Assert.That((await Json(await ClaimAsync(code, approved), 200))["status"]!.GetValue<string>(), Is.EqualTo("pending"));

        var queue = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/claims?status=pending"), 200);
        Assert.That(queue["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { pendingA["claimId"]!.GetValue<string>(), pendingR["claimId"]!.GetValue<string>() }));
        Assert.That(queue.ToJsonString(), Does.Not.Contain("approved.").And.Not.Contain("@example.org"), "staff never see the address");

        var done = await Json(await partner.Client.PostAsync($"/api/v1/claims/{pendingA["claimId"]}/approve", null), 200);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("awarded"));
        var assertionId = done["assertionId"]!.GetValue<string>();
        var awardMail = (await _smtp.WaitForAsync(approved)).Single();
        Assert.That(awardMail.Subject, Does.StartWith("Votre badge"));
        Assert.That(awardMail.TextBody, Does.Contain($"/public/assertions/{assertionId}"));
        await AssertProblem(await partner.Client.PostAsync($"/api/v1/claims/{pendingA["claimId"]}/approve", null), 409);

        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/claims/{pendingR["claimId"]}/reject", new { comment = "  " }), 400);
        var no = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/claims/{pendingR["claimId"]}/reject",
            new { comment = "Vous n'étiez pas <inscrit> au stand.\nÀ bientôt !" }), 200);
        Assert.That(no["status"]!.GetValue<string>(), Is.EqualTo("rejected"));
        var rejection = (await _smtp.WaitForAsync(rejected)).Single();
        Assert.That(rejection.Subject, Is.EqualTo("Uw aanvraag voor de badge „Accueil du public” van MDA Charleroi"));
        Assert.That(rejection.TextBody, Does.Contain("Vous n'étiez pas <inscrit> au stand."));
        Assert.That(rejection.HtmlBody, Does.Contain("Vous n&#x27;étiez pas &lt;inscrit&gt; au stand.<br>À bientôt !"));
        Assert.That(rejection.MessageId, Does.StartWith("claim-rejected."));
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/claims/{pendingR["claimId"]}/reject", new { comment = "again" }), 409);
        Assert.That((await Json(await ClaimAsync(code, rejected), 200))["status"]!.GetValue<string>(), Is.EqualTo("rejected"));

        var events = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events"), 200);
        Assert.That(events["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()),
            Is.EqualTo(new[] { "claim.received", "claim.received", "assertion.awarded", "claim.approved", "claim.rejected" }));
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        Assert.That(await db.Claims.AsNoTracking().Where(c => c.IssuerId == db.Issuers.Single(i => i.PublicId == partner.IssuerId).Id).Select(c => c.Address).ToListAsync(),
            Is.All.Null, "decided claims keep no address");
        await WaitUntilAsync(async () => await db.AwardMails.AsNoTracking().AnyAsync(m => m.Kind == "claim-rejected" && m.Status == "sent" && m.Address == null
            && m.ClaimId == db.Claims.Single(c => c.PublicId == pendingR["claimId"]!.GetValue<string>()).Id));
    }

    [Test]
    public async Task Qr_codes_are_a_png_and_a_well_formed_svg_of_the_claim_url()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var campaign = await CampaignAsync(partner, badgeClass, MultiUse());
        var png = await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}/qr");
        Assert.That(png.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(QrCheck.Matches(bytes, campaign["claimUrl"]!.GetValue<string>()), Is.True, "the PNG's modules are those of the claim URL");
        Assert.That(QrCheck.Matches(bytes, campaign["claimUrl"]!.GetValue<string>() + "x"), Is.False, "and of no other text");

        var svg = await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}/qr?format=svg");
        Assert.That(svg.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        var document = System.Xml.Linq.XDocument.Parse(await svg.Content.ReadAsStringAsync());
        Assert.That(document.Root!.Name.LocalName, Is.EqualTo("svg"));
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}/qr?format=gif"), 400);
    }

    [Test]
    public async Task Hostile_claims_are_4xx_problems_and_store_nothing()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var code = (await CampaignAsync(partner, badgeClass, MultiUse()))["code"]!.GetValue<string>();
        await AssertProblem(await ClaimAsync(code, "a\u0000b@example.org"), 400);
        await AssertProblem(await ClaimAsync(code, SmtpServer.NewAddress(), "x\u001bnarrative"), 400);
        await AssertProblem(await ClaimAsync(code, SmtpServer.NewAddress(), new string('n', 2001)), 400);
        await AssertProblem(await ClaimAsync(code + "\u0007", SmtpServer.NewAddress()), 400);
        await AssertProblem(await Anonymous().PostAsync("/public/claims", new StringContent("{\"code\":", System.Text.Encoding.UTF8, "application/json")), 400);
        await AssertProblem(await Anonymous().PostAsync("/public/claims", new StringContent(new string('x', 70_000), System.Text.Encoding.UTF8, "application/json")), 413);
        await AssertProblem(await Anonymous().PostAsync("/public/claims", new StringContent("code=x", System.Text.Encoding.UTF8, "text/plain")), 415);
        var form = await Anonymous().PostAsync("/public/claims", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = code, ["email"] = "x\u0001@example.org", ["lang"] = "en",
        }));
        Assert.That((int)form.StatusCode, Is.EqualTo(400));
        Assert.That(form.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        var assertions = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Is.Empty);
        var claims = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/claims"), 200);
        Assert.That(claims["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task The_claim_page_works_as_a_plain_form_and_answers_with_a_page()
    {
        var partner = await NewPartnerAsync("MDA Roubaix");
        var badgeClass = await NewBadgeClassAsync(partner, "Accueil du public");
        var campaign = await CampaignAsync(partner, badgeClass, MultiUse());
        var (id, code) = (campaign["id"]!.GetValue<string>(), campaign["code"]!.GetValue<string>());
        var page = await Anonymous().GetAsync($"/public/claims/{id}?code={code}&lang=nl");
        var html = await page.Content.ReadAsStringAsync();
        Assert.That((int)page.StatusCode, Is.EqualTo(200));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("'self'"));
        Assert.That(html, Does.Contain("<html lang=\"nl\">").And.Contain($"value=\"{code}\"").And.Contain("Accueil du public")
            .And.Contain("action=\"/public/claims\"").And.Contain("method=\"post\""));
        Assert.That((int)(await Anonymous().GetAsync("/public/claims/000000000000000000000000")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await Anonymous().GetAsync("/public/claims")).StatusCode, Is.EqualTo(200));

        var address = SmtpServer.NewAddress();
        var answer = await Anonymous().PostAsync("/public/claims", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = code, ["email"] = address, ["narrative"] = "", ["lang"] = "nl", ["campaign"] = id,
        }));
        var result = await answer.Content.ReadAsStringAsync();
        Assert.That((int)answer.StatusCode, Is.EqualTo(200), result);
        var assertionId = (await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200))["items"]![0]!["id"]!.GetValue<string>();
        Assert.That(result, Does.Contain("Uw badge is toegekend").And.Contain($"href=\"/public/assertions/{assertionId}?lang=nl\""));
        Assert.That((await _smtp.WaitForAsync(address)).Single().Subject, Does.StartWith("Uw badge"), "the page's language is the mail's");

        var wrong = await Anonymous().PostAsync("/public/claims", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = "2222-3333-4444", ["email"] = SmtpServer.NewAddress(), ["lang"] = "fr",
        }));
        var wrongHtml = await wrong.Content.ReadAsStringAsync();
        Assert.That((int)wrong.StatusCode, Is.EqualTo(422));
        Assert.That(wrongHtml, Does.Contain("Ce code n&#x27;est pas reconnu").And.Contain("Vérifiez les champs signalés").And.Contain("value=\"2222-3333-4444\"").And.Contain("aria-invalid=\"true\""));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the condition did not come true in 30 s");
            await Task.Delay(100);
        }
    }
}
