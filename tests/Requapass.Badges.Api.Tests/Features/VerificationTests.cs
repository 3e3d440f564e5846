using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Core.Tests.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// POST /public/verify through HTTP on a real database: the foreign corpus (served from 127.0.0.1,
/// the one address the test configuration allows), our own hosted and signed badges in every form
/// (read from the database, never over the network), and requests the verifier cannot read.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public class VerificationTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Verification:AllowedRanges:0"] = "127.0.0.1/32",
        ["Verification:RequestsPerMinute"] = "100000",
    };

    private static IEnumerable<TestCaseData> Corpus() =>
        VerificationCorpus.Cases().Select(c => new TestCaseData(c.Name).SetName("Corpus: " + c.Name));

    [TestCaseSource(nameof(Corpus))]
    public async Task Foreign_corpus_verdict(string name)
    {
        var corpusCase = VerificationCorpus.Cases().Single(c => c.Name == name);
        await using var foreign = new ForeignIssuer();
        var report = await Json(await Anonymous().SendAsync(Request(corpusCase.Arrange(foreign))), 200);
        AssertVerdict(report, corpusCase.Expect);
    }

    [Test]
    public async Task Own_hosted_badge_verifies_as_url_json_png_and_svg_from_the_database()
    {
        var partner = await NewPartnerAsync();
        var pngClass = await NewBadgeClassAsync(partner);
        var svgClass = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Travail en équipe", SvgDataUri())), 201);
        var onPng = await AwardAsync(partner, pngClass);
        var onSvg = await AwardAsync(partner, svgClass["id"]!.GetValue<string>());
        var connects = Fetcher.Connects;
        var url = onPng["openBadgesId"]!.GetValue<string>();
        var hostedJson = await Json(await Anonymous().GetAsync(new Uri(url).PathAndQuery), 200);
        var png = await Anonymous().GetByteArrayAsync($"/public/assertions/{onPng["id"]}/image");
        var svg = await Anonymous().GetByteArrayAsync($"/public/assertions/{onSvg["id"]}/image");

        foreach (var (input, request) in new[]
        {
            ("url", Request(CorpusInput.Url(url, "benevole@example.org"))),
            ("assertion", Request(CorpusInput.Json(hostedJson, "benevole@example.org"))),
            ("png", Request(CorpusInput.Png(png, "benevole@example.org"))),
            ("svg", Request(CorpusInput.Svg(svg, "benevole@example.org"))),
        })
        {
            var report = await Json(await Anonymous().SendAsync(request), 200);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, $"{input}: {report}");
            Assert.That(report["input"]!.GetValue<string>(), Is.EqualTo(input));
            Assert.That(report["verificationType"]!.GetValue<string>(), Is.EqualTo("hosted"));
            Assert.That(report["recipientMatches"]!.GetValue<bool>(), Is.True);
            Assert.That(report["issuer"]!["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{partner.IssuerId}"));
            Assert.That(report["badgeClass"]!["type"]!.GetValue<string>(), Is.EqualTo("BadgeClass"));
            Assert.That(Checks(report, "pass"), Is.SupersetOf(new[] { "hosted.id", "hosted.scope", "issuer.id", "badgeclass.id", "time.issuedOn", "recipient.match" }));
        }
        Assert.That(Fetcher.Connects, Is.EqualTo(connects), "our own badges are read from the database, with no HTTP call");
    }

    [Test]
    public async Task Own_signed_badge_verifies_as_jws_png_and_url_then_reports_its_revocation()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var award = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "benevole@example.org" }, verification = "signed" }), 201);
        var id = award["id"]!.GetValue<string>();
        var jws = award["jws"]!.GetValue<string>();
        var png = await Anonymous().GetByteArrayAsync($"/public/assertions/{id}/image");
        var connects = Fetcher.Connects;

        foreach (var request in new[]
        {
            Request(CorpusInput.Jws(jws, "benevole@example.org")),
            Request(CorpusInput.Png(png, "benevole@example.org")),
            Request(CorpusInput.Url($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}", "benevole@example.org")),
        })
        {
            var report = await Json(await Anonymous().SendAsync(request), 200);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report.ToJsonString());
            Assert.That(report["verificationType"]!.GetValue<string>(), Is.EqualTo("signed"));
            Assert.That(report["recipientMatches"]!.GetValue<bool>(), Is.True);
            Assert.That(Checks(report, "pass"), Is.SupersetOf(new[] { "signed.alg", "signed.key", "signed.signature", "revocation" }));
        }

        var revoke = await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Attribué par erreur" });
        Assert.That((int)revoke.StatusCode, Is.EqualTo(200), await revoke.Content.ReadAsStringAsync());
        var revoked = await Json(await Anonymous().SendAsync(Request(CorpusInput.Png(png))), 200);
        Assert.That((revoked["valid"]!.GetValue<bool>(), revoked["revoked"]!.GetValue<bool>()), Is.EqualTo((false, true)), revoked.ToJsonString());
        Assert.That(revoked["revocationReason"]!.GetValue<string>(), Is.EqualTo("Attribué par erreur"));
        Assert.That(Fetcher.Connects, Is.EqualTo(connects));
    }

    [Test]
    public async Task Own_signed_badge_still_verifies_after_its_issuer_rotates_keys()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        async Task<string> SignedAsync() => (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "benevole@example.org" }, verification = "signed" }), 201))["jws"]!.GetValue<string>();
        var before = await SignedAsync();
        var rotated = await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/keys/rotate", null);
        Assert.That((int)rotated.StatusCode, Is.EqualTo(200), await rotated.Content.ReadAsStringAsync());
        var after = await SignedAsync();

        foreach (var jws in new[] { before, after })
        {
            var report = await Json(await Anonymous().SendAsync(Request(CorpusInput.Jws(jws))), 200);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report["checks"]!.ToJsonString());
        }
        // The profile names the new key only; the older badge's key is still the issuer's (README: rotation).
        var profile = await Json(await Anonymous().GetAsync($"/public/issuers/{partner.IssuerId}"), 200);
        var oldCreator = System.Text.Json.JsonDocument.Parse(Core.Signing.Base64Url.Decode(before.Split('.')[1])).RootElement
            .GetProperty("verification").GetProperty("creator").GetString();
        Assert.That(profile["publicKey"]!.GetValue<string>(), Is.Not.EqualTo(oldCreator));
    }

    [Test]
    public async Task Own_hosted_badge_once_revoked_is_reported_revoked()
    {
        var partner = await NewPartnerAsync();
        var award = await AwardAsync(partner, await NewBadgeClassAsync(partner));
        var png = await Anonymous().GetByteArrayAsync($"/public/assertions/{award["id"]}/image");
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{award["id"]}/revoke", new { reason = "Doublon" });
        var report = await Json(await Anonymous().SendAsync(Request(CorpusInput.Png(png))), 200);
        Assert.That((report["valid"]!.GetValue<bool>(), report["revoked"]!.GetValue<bool>()), Is.EqualTo((false, true)), report.ToJsonString());
        Assert.That(report["revocationReason"]!.GetValue<string>(), Is.EqualTo("Doublon"));
    }

    [Test]
    public async Task Own_badge_for_someone_else_does_not_match_the_recipient()
    {
        var partner = await NewPartnerAsync();
        var award = await AwardAsync(partner, await NewBadgeClassAsync(partner), email: "alice@example.org");
        var report = await Json(await Anonymous().SendAsync(Request(CorpusInput.Url(award["openBadgesId"]!.GetValue<string>(), "bob@example.org"))), 200);
        Assert.That((report["valid"]!.GetValue<bool>(), report["recipientMatches"]!.GetValue<bool>()), Is.EqualTo((false, false)), report.ToJsonString());
    }

    [Test]
    public async Task An_unknown_id_under_our_base_is_a_failed_check_without_a_network_call()
    {
        var connects = Fetcher.Connects;
        var report = await Json(await Anonymous().SendAsync(Request(CorpusInput.Url($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/nope123456789012"))), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(Checks(report, "fail"), Does.Contain("hosted.fetch"));
        Assert.That(Fetcher.Connects, Is.EqualTo(connects));
    }

    [Test]
    public async Task A_png_without_a_badge_is_a_report_not_an_error()
    {
        var report = await Json(await Anonymous().SendAsync(Request(CorpusInput.Png(Png()))), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(Checks(report, "fail"), Is.EqualTo(new[] { "input.baked" }));
    }

    [TestCase("not json", "application/json", 400, TestName = "Unreadable: invalid JSON")]
    [TestCase("[1,2]", "application/json", 400, TestName = "Unreadable: a JSON array")]
    [TestCase("{}", "application/json", 400, TestName = "Unreadable: none of url, assertion, jws")]
    [TestCase("{\"url\":\"https://a.example/1\",\"jws\":\"a.b.c\"}", "application/json", 400, TestName = "Unreadable: two inputs at once")]
    [TestCase("{\"assertion\":\"https://a.example/1\"}", "application/json", 400, TestName = "Unreadable: assertion as a string")]
    [TestCase("{\"url\":42}", "application/json", 400, TestName = "Unreadable: url as a number")]
    [TestCase("{\"jws\":\"a.b.c\",\"recipient\":{\"email\":\"x\"}}", "application/json", 400, TestName = "Unreadable: recipient as an object")]
    [TestCase("hello", "text/plain", 415, TestName = "Unreadable: text/plain")]
    [TestCase("GIF89a\u0001\u0000", "image/png", 400, TestName = "Unreadable: a GIF sent as image/png")]
    [TestCase("GIF89a\u0001\u0000", "image/gif", 415, TestName = "Unreadable: image/gif")]
    [TestCase("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>", "image/svg+xml", 400, TestName = "Unreadable: an SVG with a DTD")]
    public async Task Requests_the_verifier_cannot_read_get_a_problem(string body, string contentType, int status)
    {
        var response = await Anonymous().PostAsync("/public/verify", new StringContent(body, Encoding.UTF8, contentType));
        await AssertProblem(response, status);
    }

    [Test]
    public async Task A_png_with_a_broken_chunk_gets_a_problem()
    {
        var png = ForeignIssuer.Png("https://example.org/a");
        png[^5] ^= 0xFF; // the IEND CRC
        await AssertProblem(await Anonymous().SendAsync(Request(CorpusInput.Png(png))), 400);
    }

    [Test]
    public async Task An_upload_over_2_MB_gets_413()
    {
        var big = new byte[2 * 1024 * 1024 + 100_000];
        await AssertProblem(await Anonymous().PostAsync("/public/verify", new ByteArrayContent(big) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }), 413);
        var json = "{\"jws\":\"" + new string('a', 2 * 1024 * 1024 + 10) + "\"}";
        await AssertProblem(await Anonymous().PostAsync("/public/verify", new StringContent(json, Encoding.UTF8, "application/json")), 413);
    }

    [Test]
    public async Task A_failed_verification_is_a_200_with_plain_messages_for_every_check()
    {
        var report = await Json(await Anonymous().SendAsync(Request(CorpusInput.Jws("eyJhbGciOiJub25lIn0.e30."))), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.False);
        foreach (var check in report["checks"]!.AsArray())
        {
            Assert.That(check!["status"]!.GetValue<string>(), Is.AnyOf("pass", "fail", "warning"));
            Assert.That(check["message"]!.GetValue<string>(), Is.Not.Empty);
        }
    }

    private GuardedFetcher Fetcher => Factory.Services.GetRequiredService<GuardedFetcher>();

    internal static HttpRequestMessage Request(CorpusInput input)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/public/verify");
        if (input.Image is { } image)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue(input.Kind == "png" ? "image/png" : "image/svg+xml");
            form.Add(file, "image", "badge." + input.Kind);
            if (input.Recipient is not null) { form.Add(new StringContent(input.Recipient), "recipient"); }
            request.Content = form;
            return request;
        }
        var body = new JsonObject { ["recipient"] = input.Recipient };
        switch (input.Kind)
        {
            case "url": body["url"] = input.Text; break;
            case "jws": body["jws"] = input.Text; break;
            default: body["assertion"] = input.Assertion!.DeepClone(); break;
        }
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return request;
    }

    internal static List<string> Checks(JsonObject report, string status) =>
        [.. report["checks"]!.AsArray().Where(c => c!["status"]!.GetValue<string>() == status).Select(c => c!["name"]!.GetValue<string>())];

    internal static void AssertVerdict(JsonObject report, CorpusExpectation expect)
    {
        var text = report["checks"]!.ToJsonString();
        Assert.Multiple(() =>
        {
            Assert.That(report["valid"]!.GetValue<bool>(), Is.EqualTo(expect.Valid), text);
            Assert.That(report["revoked"]!.GetValue<bool>(), Is.EqualTo(expect.Revoked), "revoked; " + text);
            Assert.That(report["expired"]!.GetValue<bool>(), Is.EqualTo(expect.Expired), "expired; " + text);
            Assert.That(report["recipientMatches"]?.GetValue<bool>(), Is.EqualTo(expect.RecipientMatches), "recipientMatches; " + text);
            if (expect.Failed is { } failed) { Assert.That(Checks(report, "fail"), Has.Some.StartsWith(failed), text); }
        });
    }
}

/// <summary>The SSRF guard through the endpoint, with the production policy (no allow-list).</summary>
[TestFixture(DatabaseProvider.Sqlite)]
public class VerificationSsrfTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Verification:RequestsPerMinute"] = "100000" };

    [TestCase("http://127.0.0.1/assertions/1", TestName = "SSRF through the endpoint: 127.0.0.1")]
    [TestCase("http://10.0.0.1/assertions/1", TestName = "SSRF through the endpoint: 10.x")]
    [TestCase("http://169.254.169.254/latest/meta-data/iam/", TestName = "SSRF through the endpoint: 169.254.169.254")]
    [TestCase("http://[::1]:8080/assertions/1", TestName = "SSRF through the endpoint: [::1]")]
    [TestCase("http://localhost:5432/", TestName = "SSRF through the endpoint: a name that resolves to loopback")]
    [TestCase("http://192.168.1.1/", TestName = "SSRF through the endpoint: 192.168.x")]
    [TestCase("gopher://example.org/", TestName = "SSRF through the endpoint: another scheme")]
    public async Task Forbidden_targets_are_refused_before_any_connection(string url)
    {
        var fetcher = Factory.Services.GetRequiredService<GuardedFetcher>();
        var connects = fetcher.Connects;
        var report = await Json(await Anonymous().SendAsync(VerificationTests.Request(CorpusInput.Url(url))), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(VerificationTests.Checks(report, "fail"), Has.Some.EqualTo("hosted.fetch").Or.Some.EqualTo("input.url"), report.ToJsonString());
        Assert.That(fetcher.Connects, Is.EqualTo(connects), "no connection was opened");
    }

    [Test]
    public async Task A_foreign_server_on_127_0_0_1_is_refused_without_the_test_allow_list()
    {
        await using var foreign = new ForeignIssuer();
        var report = await Json(await Anonymous().SendAsync(VerificationTests.Request(CorpusInput.Url(foreign.AssertionUrl))), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(foreign.Server.Requests, Is.EqualTo(0), "the server was never reached");
    }
}

/// <summary>The anonymous endpoint is rate-limited per client address.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
public class VerificationRateLimitTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Verification:RequestsPerMinute"] = "3" };

    [Test]
    public async Task The_fourth_verification_in_a_minute_gets_429()
    {
        for (var i = 0; i < 3; i++)
        {
            var ok = await Anonymous().SendAsync(VerificationTests.Request(CorpusInput.Jws("a.b.c")));
            Assert.That((int)ok.StatusCode, Is.EqualTo(200));
        }
        var refused = await Anonymous().SendAsync(VerificationTests.Request(CorpusInput.Jws("a.b.c")));
        var problem = await AssertProblem(refused, 429);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("verification"));
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
    }
}
