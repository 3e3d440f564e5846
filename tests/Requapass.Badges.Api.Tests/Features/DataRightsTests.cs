using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The volunteer's data rights (issue #15, part 3a), over HTTP on both stores with real mails (smtp4dev):
/// a link by mail (the same 202 for an address that holds nothing), the JSON of everything tied to the
/// address, the ZIP of baked badges that unbake to the assertions, the page, the erasure from the link
/// (maps and applications gone, hosted badges 410 with nothing personal left in the database, signed ones
/// in the revocation list), the staff erasure limited to their issuer, the admin's everywhere, the link's
/// uses and lifetime.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed partial class DataRightsTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const int Uses = 6;
    private SmtpServer _smtp = null!;
    private readonly List<string> _answers = [];

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(_smtp.SmtpPort);
        settings["PublicTraffic:DataAccessMailsPerMinute"] = "10000";
        settings["PublicTraffic:DataAccessRequestsPerMinute"] = "10000";
        settings["PublicTraffic:SkillsMapMailsPerMinute"] = "10000";
        settings["PublicTraffic:ApplicationsPerMinute"] = "10000";
        settings["DataRights:LinkUses"] = Uses.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    [GeneratedRegex(@"https://badges\.example\.test/public/my-data/([A-Za-z0-9_-]{43})")]
    private static partial Regex Link();

    /// <summary>What a volunteer holds at two issuers (one hosted, one signed), a map and an application; and a stranger's badge.</summary>
    private sealed record Holdings(
        string Address, Partner Hosted, Partner Signed, string HostedBadge, string SignedBadge, string SignedUuid, string SignedJws,
        ApplicationTests.Map Map, string Application, string StrangersBadge);

    private async Task<HttpResponseMessage> Kept(HttpResponseMessage response)
    {
        _answers.Add(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
        _answers.Add(response.Headers.ToString() + response.Content.Headers);
        return response;
    }

    private async Task<Holdings> HoldingsAsync()
    {
        var address = SmtpServer.NewAddress("Lea.Martin");
        var hosted = await NewPartnerAsync("MDA Tourcoing");
        var hostedClass = await NewBadgeClassAsync(hosted, "Accueil du public");
        var appliedClass = await NewBadgeClassAsync(hosted, "Animation d'atelier");
        var signed = await NewPartnerAsync("MDA Charleroi");
        await Json(await signed.Client.PutAsJsonAsync($"/api/v1/issuers/{signed.IssuerId}", new
        {
            name = "MDA Charleroi", url = "https://mda-charleroi.example.org", email = "contact@mda-charleroi.example.org", defaultVerification = "signed",
        }), 200);
        var signedClass = await NewBadgeClassAsync(signed, "Tenue de stand");
        var hostedBadge = await AwardWithEvidenceAsync(hosted, hostedClass, address.ToUpperInvariant());
        var signedBadge = await AwardWithEvidenceAsync(signed, signedClass, address);
        Assert.That(signedBadge["verification"]!.GetValue<string>(), Is.EqualTo("signed"));
        var stranger = await AwardWithEvidenceAsync(hosted, hostedClass, SmtpServer.NewAddress("autre"));
        var map = await ApplicationTests.NewMapAsync(Factory.Database, "fr", address);
        var applied = await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
            new { issuerId = hosted.IssuerId, badgeClassIds = new[] { appliedClass }, experienceId = map.ExperienceId, narrative = "Je tiens l'accueil le mardi." }), 201);
        return new Holdings(address, hosted, signed, hostedBadge["id"]!.GetValue<string>(), signedBadge["id"]!.GetValue<string>(),
            signedBadge["openBadgesId"]!.GetValue<string>(), signedBadge["jws"]!.GetValue<string>(), map,
            applied["items"]![0]!["id"]!.GetValue<string>(), stranger["id"]!.GetValue<string>());
    }

    private static async Task<JsonObject> AwardWithEvidenceAsync(Partner partner, string badgeClass, string address) =>
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new
        {
            recipient = new { type = "email", identity = address }, notify = false,
            narrative = "Léa a tenu l'accueil tous les mardis pendant un an.",
            evidence = new[] { new { name = "Attestation de Léa", narrative = "Témoignage de la coordinatrice sur Léa." } },
        }), 201);

    /// <summary>Asks for the link and reads its token from the mail (the <paramref name="count"/>th link mail to the address).</summary>
    private async Task<string> LinkAsync(string address, int count = 1)
    {
        await Json(await Kept(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = address, locale = "fr" })), 202);
        var mails = (await _smtp.WaitForAsync(address, count)).Where(m => Link().IsMatch(m.TextBody ?? "")).ToList();
        Assert.That(mails, Has.Count.EqualTo(count));
        var match = Link().Match(mails[count - 1].TextBody!);
        Assert.That(mails[count - 1].HtmlBody, Does.Contain(match.Value));
        return match.Groups[1].Value;
    }

    private HttpClient JsonClient()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A data access link for <paramref name="address"/>, as the mail worker would make it; its token.</summary>
    internal static async Task<string> NewAccessAsync(TestDatabase database, string address)
    {
        var (token, hash) = Api.Features.SkillsMaps.SkillsMapTokens.New();
        var now = DateTime.UtcNow;
        await using var db = Storage.SchemaTests.Context(database);
        db.DataAccesses.Add(new Data.Entities.DataAccessEntity
        {
            PublicId = Guid.NewGuid().ToString("N")[..24], TokenHash = hash, RecipientLookup = Lookup(address), Locale = "fr", UsesLeft = 20,
            ExpiresAt = now.AddHours(24), CreatedAt = now,
        });
        await db.SaveChangesAsync();
        return token;
    }

    private static string Lookup(string address) => RecipientNormalizer.Normalize(RecipientType.Email, address).Identity!.LookupKey();

    [Test]
    public async Task AccessLink_ByMail_GivesEveryBadgeMapAndApplication_AsJsonZipAndPage_AndAnyAddressGetsTheSame202()
    {
        var h = await HoldingsAsync();
        var asked = await Json(await Kept(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = h.Address, locale = "fr" })), 202);
        var nobody = await Json(await Kept(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = SmtpServer.NewAddress("personne") })), 202);
        Assert.That(nobody.ToJsonString(), Is.EqualTo(asked.ToJsonString()), "an address that holds nothing is answered the same");

        var mail = (await _smtp.WaitForAsync(h.Address)).Single(m => Link().IsMatch(m.TextBody ?? ""));
        Assert.That(mail.Subject, Is.EqualTo("Vos données REQUAPASS"));
        Assert.That(mail.ReplyTo, Is.Empty, "the service's own mail speaks for no issuer");
        var token = Link().Match(mail.TextBody!).Groups[1].Value;
        var path = $"/public/my-data/{token}";

        var read = await Kept(await JsonClient().GetAsync(path));
        Assert.That(read.Headers.CacheControl?.NoStore, Is.True);
        var data = await Json(read, 200);
        var badges = data["badges"]!.AsArray().Select(b => b!.AsObject()).ToList();
        Assert.That(badges.Select(b => b["assertionUrl"]!.GetValue<string>()), Is.EquivalentTo(new[]
        {
            $"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{h.HostedBadge}", $"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{h.SignedBadge}",
        }), "both issuers' badges, whatever the address's case, and not the stranger's");
        Assert.That(badges.Single(b => b["verification"]!.GetValue<string>() == "signed")["id"]!.GetValue<string>(), Is.EqualTo(h.SignedUuid));
        Assert.That(badges.Select(b => b["narrative"]!.GetValue<string>()), Is.All.Contains("tous les mardis"));
        Assert.That(badges.Select(b => b["evidence"]![0]!["narrative"]!.GetValue<string>()), Is.All.EqualTo("Témoignage de la coordinatrice sur Léa."));
        var map = data["skillsMaps"]!.AsArray().Single()!;
        Assert.That(map["experiences"]![0]!["association"]!.GetValue<string>(), Is.EqualTo("Restos du Cœur Roubaix"));
        var application = data["applications"]!.AsArray().Single()!;
        Assert.That((application["id"]!.GetValue<string>(), application["narrative"]!.GetValue<string>()), Is.EqualTo((h.Application, "Je tiens l'accueil le mardi.")));
        Assert.That(data["truncated"]!.GetValue<bool>(), Is.False);
        Assert.That(data.ToJsonString(), Does.Not.Contain(h.Address).IgnoreCase.And.Not.Contain(h.StrangersBadge));

        // The ZIP: the same JSON, and each badge baked as its image route serves it (the JSON, or the JWS of the signed one).
        var zip = await Kept(await Anonymous().GetAsync($"{path}?format=zip"));
        Assert.That(zip.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/zip"));
        var package = await ExportTests.Unzip(zip);
        Assert.That(package.Keys, Is.EquivalentTo(new[] { "my-data.json", $"badges/{h.HostedBadge}.png", $"badges/{h.SignedBadge}.png" }));
        Assert.That(JsonNode.Parse(package["my-data.json"])!["badges"]!.AsArray(), Has.Count.EqualTo(2));
        var hostedBaked = PngBaker.Unbake(package[$"badges/{h.HostedBadge}.png"]);
        Assert.That(JsonNode.Parse(hostedBaked.Payload!)!["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{h.HostedBadge}"));
        var hostedServed = await (await Anonymous().GetAsync($"/public/assertions/{h.HostedBadge}/image")).Content.ReadAsByteArrayAsync();
        Assert.That(package[$"badges/{h.HostedBadge}.png"], Is.EqualTo(hostedServed), "the bytes of the badge's image route");
        Assert.That(PngBaker.Unbake(package[$"badges/{h.SignedBadge}.png"]).Payload, Is.EqualTo(h.SignedJws));

        // The page: the downloads, the erasure form, and no token (its links are relative).
        using var browser = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Accept", "text/html" } } };
        var page = await Kept(await Anonymous().SendAsync(browser));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Vos données chez REQUAPASS").And.Contain("href=\"?format=zip\"").And.Contain("name=\"confirm\" value=\"erase\"")
            .And.Contain("Accueil du public – MDA Tourcoing").And.Contain("Tenue de stand – MDA Charleroi"));
        Assert.That(_answers, Has.None.Contains(token), "the token is never in an answer");
        Assert.That(Factory.Logs.Lines, Has.None.Contains(token).And.None.Contains(h.Address), "nor in a log line, nor the address");
    }

    [Test]
    public async Task Erasure_FromTheLink_DeletesMapsAndApplications_RevokesBadgesThroughRevocation_AndLeavesNothingPersonal()
    {
        var h = await HoldingsAsync();
        var token = await LinkAsync(h.Address);
        var path = $"/public/my-data/{token}";
        var refused = await AssertProblem(await Kept(await Anonymous().PostAsJsonAsync(path, new { confirm = "oui" })), 400);
        Assert.That(refused["errors"]!["confirm"], Is.Not.Null);
        await Json(await Anonymous().GetAsync($"/public/assertions/{h.HostedBadge}"), 200);

        var erased = await Json(await Kept(await Anonymous().PostAsJsonAsync(path, new { confirm = "erase" })), 200);
        Assert.That((erased["badgesRevoked"]!.GetValue<int>(), erased["badgesCleared"]!.GetValue<int>(), erased["applications"]!.GetValue<int>(),
            erased["skillsMaps"]!.GetValue<int>()), Is.EqualTo((2, 2, 1, 1)));

        // Hosted: 410 with the reason alone (OB 2.0 HostedBadge); the page says it in the reader's language.
        var gone = await Anonymous().GetAsync($"/public/assertions/{h.HostedBadge}");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        var goneBody = await gone.Content.ReadAsStringAsync();
        Assert.That(JsonNode.Parse(goneBody)!["revocationReason"]!.GetValue<string>(), Is.EqualTo("deleted at the recipient's request"));
        Assert.That(goneBody, Does.Not.Contain("mardis").And.Not.Contain("Léa"));
        foreach (var (lang, text) in new[] { ("fr", "supprimé à la demande de son titulaire"), ("nl", "verwijderd op verzoek van de houder"), ("en", "deleted at the recipient&#x27;s request") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{h.HostedBadge}?lang={lang}") { Headers = { { "Accept", "text/html" } } };
            var html = await (await Anonymous().SendAsync(request)).Content.ReadAsStringAsync();
            Assert.That(html, Does.Contain(text).Or.Contain(text.Replace("&#x27;", "'", StringComparison.Ordinal)), lang);
        }
        // Signed: in its issuer's revocation list by its urn:uuid.
        var list = JsonNode.Parse(await (await Anonymous().GetAsync($"/public/issuers/{h.Signed.IssuerId}/revocations")).Content.ReadAsStringAsync())!;
        var entry = list["revokedAssertions"]!.AsArray().Single()!;
        Assert.That((entry["id"]!.GetValue<string>(), entry["revocationReason"]!.GetValue<string>()), Is.EqualTo((h.SignedUuid, "deleted at the recipient's request")));
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{h.SignedBadge}/image"), 410);

        // The stranger's badge is untouched; the map's and the data's links open nothing.
        await Json(await Anonymous().GetAsync($"/public/assertions/{h.StrangersBadge}"), 200);
        await AssertProblem(await JsonClient().GetAsync($"/public/skills-maps/{h.Map.Token}"), 404);
        await AssertProblem(await JsonClient().GetAsync(path), 404);

        // The issuer's export with revoked badges: the erased signed badge as its 410 body, nothing personal.
        var export = await ExportTests.Unzip(await h.Signed.Client.GetAsync($"/api/v1/issuers/{h.Signed.IssuerId}/export?includeRevoked=true"));
        var record = Encoding.UTF8.GetString(export[$"assertions/{h.SignedBadge}.json"]);
        Assert.That(JsonNode.Parse(record)!["revocationReason"]!.GetValue<string>(), Is.EqualTo("deleted at the recipient's request"));
        Assert.That(export.Values.Select(Encoding.UTF8.GetString), Has.None.Contains("mardis"));

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var rows = await db.Assertions.AsNoTracking().Where(a => a.PublicId == h.HostedBadge || a.PublicId == h.SignedBadge).ToListAsync();
        Assert.That(rows.Select(a => (a.Narrative, a.EvidenceJson, a.Jws)), Is.All.EqualTo(((string?)null, (string?)null, (string?)null)), "no narrative, evidence or signed payload left");
        Assert.That(rows.Select(a => a.RecipientLookup), Has.None.EqualTo(Lookup(h.Address)));
        Assert.That(rows.Select(a => a.RevokedAt), Has.All.Not.Null);
        Assert.That(await db.SkillsMaps.CountAsync(m => m.RecipientLookup == Lookup(h.Address)), Is.Zero);
        Assert.That(await db.SkillsMapExperiences.CountAsync(e => e.MapId == h.Map.Id), Is.Zero);
        Assert.That(await db.Applications.CountAsync(a => a.PublicId == h.Application), Is.Zero);
        Assert.That(await db.DataAccesses.CountAsync(a => a.RecipientLookup == Lookup(h.Address)), Is.Zero);
        // Through the one revocation path: an assertion.revoked event each, for webhooks and other nodes' caches.
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.Type == "assertion.revoked" && (e.Subject == h.HostedBadge || e.Subject == h.SignedBadge)).ToListAsync();
        Assert.That(events.Select(e => e.Subject), Is.EquivalentTo(new[] { h.HostedBadge, h.SignedBadge }));
        Assert.That(events.Select(e => JsonNode.Parse(e.PayloadJson)!["reason"]!.GetValue<string>()), Has.All.EqualTo("deleted at the recipient's request"));
        // In the audit as the recipient's own request, made by whoever held the link (no client, no address).
        var audit = await Json(await (await AdminAsync()).GetAsync("/api/v1/audit?action=erasure"), 200);
        Assert.That(audit["items"]!.AsArray().Select(e => (e!["targetId"]!.GetValue<string>(), e["actorRole"]!.GetValue<string>())),
            Does.Contain(("recipient-request", "public")).And.None.EqualTo(("recipient-request", "system")));
    }

    [Test]
    public async Task Erasure_FromThePagesForm_AsksForTheBox_ThenErases()
    {
        var h = await HoldingsAsync();
        var token = await LinkAsync(h.Address);
        var form = new Dictionary<string, string> { ["lang"] = "en" };
        var unticked = await Anonymous().PostAsync($"/public/my-data/{token}", new FormUrlEncodedContent(form));
        Assert.That(unticked.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await unticked.Content.ReadAsStringAsync(), Does.Contain("Tick the box to confirm the erasure."));
        await Json(await Anonymous().GetAsync($"/public/assertions/{h.HostedBadge}"), 200);
        form["confirm"] = "erase";
        var done = await Anonymous().PostAsync($"/public/my-data/{token}", new FormUrlEncodedContent(form));
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await done.Content.ReadAsStringAsync(), Does.Contain("Your data are erased"));
        Assert.That((await Anonymous().GetAsync($"/public/assertions/{h.HostedBadge}")).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/public/my-data/{token}") { Headers = { { "Accept", "text/html" } } };
        var dead = await Anonymous().SendAsync(again);
        Assert.That(dead.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await dead.Content.ReadAsStringAsync(), Does.Contain("Ce lien ne fonctionne plus"));
    }

    [Test]
    public async Task StaffErasure_TouchesOnlyTheirIssuer_AndAnAdminsTouchesEveryIssuerAndTheMaps()
    {
        var h = await HoldingsAsync();
        var body = new { email = h.Address, reference = "Ticket RGPD-2026-042" };
        await AssertProblem(await h.Hosted.Client.PostAsJsonAsync($"/api/v1/issuers/{h.Signed.IssuerId}/erasures", body), 403);
        await AssertProblem(await h.Hosted.Client.PostAsJsonAsync("/api/v1/erasures", body), 403);

        var staff = await Json(await h.Hosted.Client.PostAsJsonAsync($"/api/v1/issuers/{h.Hosted.IssuerId}/erasures", body), 200);
        Assert.That((staff["badgesRevoked"]!.GetValue<int>(), staff["applications"]!.GetValue<int>(), staff["skillsMaps"]!.GetValue<int>(),
            staff["reference"]!.GetValue<string>()), Is.EqualTo((1, 1, 0, "Ticket RGPD-2026-042")));
        Assert.That((await Anonymous().GetAsync($"/public/assertions/{h.HostedBadge}")).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        var other = await Json(await Anonymous().GetAsync($"/public/assertions/{h.SignedBadge}"), 200);
        Assert.That(other["narrative"]!.GetValue<string>(), Does.Contain("tous les mardis"), "the other issuer's badge is untouched");
        await Json(await JsonClient().GetAsync($"/public/skills-maps/{h.Map.Token}"), 200);
        await Json(await Anonymous().GetAsync($"/public/assertions/{h.StrangersBadge}"), 200);
        var again = await Json(await h.Hosted.Client.PostAsJsonAsync($"/api/v1/issuers/{h.Hosted.IssuerId}/erasures", body), 200);
        Assert.That((again["badgesRevoked"]!.GetValue<int>(), again["badgesCleared"]!.GetValue<int>()), Is.EqualTo((0, 0)), "the address finds nothing there any more");

        var admin = await Json(await (await AdminAsync()).PostAsJsonAsync("/api/v1/erasures", body), 200);
        Assert.That((admin["badgesRevoked"]!.GetValue<int>(), admin["skillsMaps"]!.GetValue<int>()), Is.EqualTo((1, 1)));
        Assert.That((await Anonymous().GetAsync($"/public/assertions/{h.SignedBadge}")).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        await AssertProblem(await JsonClient().GetAsync($"/public/skills-maps/{h.Map.Token}"), 404);
        Assert.That(Factory.Logs.Lines, Has.None.Contains(h.Address));

        // The audit: each erasure by its reference, who asked, for which issuer; its revocations beside it; no address.
        var audit = await Json(await (await AdminAsync()).GetAsync("/api/v1/audit?action=erasure"), 200);
        var erasures = audit["items"]!.AsArray().Select(e => (e!["targetId"]!.GetValue<string>(), e["actorRole"]!.GetValue<string>(),
            e["issuerId"]?.GetValue<string>())).Where(e => e.Item1 == "Ticket RGPD-2026-042").ToList();
        Assert.That(erasures, Is.EquivalentTo(new[]
        {
            ("Ticket RGPD-2026-042", "staff", h.Hosted.IssuerId), ("Ticket RGPD-2026-042", "staff", h.Hosted.IssuerId),
            ("Ticket RGPD-2026-042", "admin", (string?)null),
        }));
        var revoked = await Json(await (await AdminAsync()).GetAsync($"/api/v1/audit?action=assertion.revoke&issuerId={h.Hosted.IssuerId}"), 200);
        Assert.That(revoked["items"]!.AsArray().Select(e => e!["targetId"]!.GetValue<string>()), Does.Contain(h.HostedBadge));
        Assert.That(audit.ToJsonString() + revoked.ToJsonString(), Does.Not.Contain(h.Address));
    }

    [TestCase("{\"email\":\"a@example.org\"}", "reference")]
    [TestCase("{\"reference\":\"T-1\"}", "email")]
    [TestCase("{\"email\":\"pas-une-adresse\",\"reference\":\"T-1\"}", "email")]
    [TestCase("{\"email\":\"a@example.org\",\"reference\":\"T-1\\nX\"}", "reference")]
    public async Task StaffErasure_WithABadRequest_Is400_AndErasesNothing(string json, string field)
    {
        var partner = await NewPartnerAsync();
        var badge = (await AwardAsync(partner, await NewBadgeClassAsync(partner), "a@example.org"))["id"]!.GetValue<string>();
        var response = await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/erasures", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, 400);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        var tooLong = await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/erasures", new { email = "a@example.org", reference = new string('x', 101) });
        await AssertProblem(tooLong, 400);
        await Json(await Anonymous().GetAsync($"/public/assertions/{badge}"), 200);
    }

    [Test]
    public async Task Link_OpensABoundedNumberOfTimes_AndNotAfterItExpires()
    {
        var address = SmtpServer.NewAddress();
        var token = await LinkAsync(address);
        for (var i = 0; i < Uses; i++)
        {
            var data = await Json(await JsonClient().GetAsync($"/public/my-data/{token}?format=json"), 200);
            Assert.That(data["badges"]!.AsArray(), Is.Empty);
        }
        await AssertProblem(await JsonClient().GetAsync($"/public/my-data/{token}"), 404);

        var second = await LinkAsync(address, 2);
        await Json(await JsonClient().GetAsync($"/public/my-data/{second}"), 200);
        // 24 hours later (the row's expiry moved back, rather than the service's clock: the tests' tokens would expire with it).
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            var hash = Api.Features.SkillsMaps.SkillsMapTokens.Hash(second);
            var access = await db.DataAccesses.SingleAsync(a => a.TokenHash == hash);
            Assert.That(access.ExpiresAt - access.CreatedAt, Is.EqualTo(TimeSpan.FromHours(24)), "DataRights:LinkLifetime's default");
            access.ExpiresAt = Factory.Clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
            await db.SaveChangesAsync();
        }
        await AssertProblem(await JsonClient().GetAsync($"/public/my-data/{second}"), 404);
        await AssertProblem(await JsonClient().GetAsync($"/public/my-data/{second}?format=xml"), 400);
    }

    [Test]
    public async Task Requests_PastTheAddressesHourlyCap_Are202_AndMailNothing_AndBadInputIs4xx()
    {
        var address = SmtpServer.NewAddress();
        for (var i = 0; i < 4; i++)
        {
            await Json(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = address }), 202);
        }
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            var accesses = await db.DataAccesses.Where(a => a.RecipientLookup == Lookup(address)).Select(a => a.Id).ToListAsync();
            Assert.That(accesses, Has.Count.EqualTo(3), "the fourth request found the address over its hourly cap (3)");
            Assert.That(await db.AwardMails.CountAsync(m => m.DataAccessId != null && accesses.Contains(m.DataAccessId.Value)), Is.EqualTo(3));
        }
        Assert.That((await AssertProblem(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = "pas-une-adresse" }), 400))["errors"]!["email"], Is.Not.Null);
        await AssertProblem(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = new string('a', 250) + "@example.org" }), 400);
        await AssertProblem(await Anonymous().PostAsJsonAsync("/public/my-data", new { email = address, locale = "de" }), 400);
        await AssertProblem(await Anonymous().PostAsync("/public/my-data", new StringContent("{", Encoding.UTF8, "application/json")), 400);
        await AssertProblem(await Anonymous().PostAsync("/public/my-data", new StringContent("email", Encoding.UTF8, "text/plain")), 415);
    }

    [Test]
    public async Task StartPage_AndItsForm_SendTheLink()
    {
        var page = await Anonymous().GetAsync("/public/my-data/new?lang=nl");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Mijn gegevens ontvangen"));
        var address = SmtpServer.NewAddress();
        var sent = await Anonymous().PostAsync("/public/my-data", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = address, ["lang"] = "nl", ["locale"] = "nl" }));
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await sent.Content.ReadAsStringAsync(), Does.Contain("Kijk in uw mailbox"));
        var mail = (await _smtp.WaitForAsync(address)).Single();
        Assert.That(mail.Subject, Is.EqualTo("Uw REQUAPASS-gegevens"));
        var bad = await Anonymous().PostAsync("/public/my-data", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "niet-goed", ["lang"] = "nl" }));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
