using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Input an attacker or a careless client sends: over a limit, with control characters, unpaired
/// surrogates, broken multipart bodies, wrong media types, lenient values. Every one is a 4xx problem
/// that says what was wrong, on both stores alike, and nothing is stored.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class HostileInputTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static string Long(int length) => new('a', length);

    public static IEnumerable<TestCaseData> OversizedAwards()
    {
        var who = new { type = "email", identity = "a@example.org" };
        yield return new TestCaseData(new { recipient = who, narrative = Long(20_001) }, "narrative").SetName("Award narrative over 20,000");
        yield return new TestCaseData(new { recipient = new { type = "email", identity = Long(321) + "@example.org" } }, "recipient.identity").SetName("Recipient identity over 320");
        yield return new TestCaseData(new { recipient = who, evidence = new[] { new { narrative = Long(4_001) } } }, "evidence[0].narrative").SetName("Evidence narrative over 4,000");
        yield return new TestCaseData(new { recipient = who, evidence = new[] { new { narrative = "ok", name = Long(201) } } }, "evidence[0].name").SetName("Evidence name over 200");
        yield return new TestCaseData(new { recipient = who, evidence = new[] { new { narrative = "ok", genre = Long(201) } } }, "evidence[0].genre").SetName("Evidence genre over 200");
        yield return new TestCaseData(new { recipient = who, evidence = new[] { new { id = "https://example.org/" + Long(2_100) } } }, "evidence[0].id").SetName("Evidence url over 2,048");
        yield return new TestCaseData(new { recipient = who, evidence = Enumerable.Range(0, 21).Select(i => new { narrative = $"n{i}" }).ToArray() }, "evidence").SetName("21 evidence items");
    }

    [TestCaseSource(nameof(OversizedAwards))]
    public async Task An_award_over_a_limit_is_refused_naming_the_field_and_stores_nothing(object request, string field)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", request), 400);
        Assert.That(problem["errors"]?[field], Is.Not.Null, problem.ToJsonString());
        await AssertNoAssertionsAsync(partner);
    }

    public static IEnumerable<TestCaseData> OversizedBadgeClasses()
    {
        yield return new TestCaseData("name", (Action<JsonObject>)(b => b["name"] = Long(201))).SetName("Class name over 200");
        yield return new TestCaseData("description", (Action<JsonObject>)(b => b["description"] = Long(4_001))).SetName("Class description over 4,000");
        yield return new TestCaseData("criteria.narrative", (Action<JsonObject>)(b => b["criteria"]!["narrative"] = Long(20_001))).SetName("Criteria narrative over 20,000");
        yield return new TestCaseData("alignment[0].targetDescription", (Action<JsonObject>)(b => b["alignment"]![0]!["targetDescription"] = Long(4_001))).SetName("Alignment description over 4,000");
        yield return new TestCaseData("alignment[0].targetCode", (Action<JsonObject>)(b => b["alignment"]![0]!["targetCode"] = Long(101))).SetName("Alignment code over 100");
        yield return new TestCaseData("alignment", (Action<JsonObject>)(b => b["alignment"] = new JsonArray([.. Enumerable.Range(0, 21).Select(i => (JsonNode)new JsonObject { ["targetName"] = $"t{i}", ["targetUrl"] = "https://example.org" })]))).SetName("21 alignments");
        yield return new TestCaseData("tags", (Action<JsonObject>)(b => b["tags"] = new JsonArray([.. Enumerable.Range(0, 31).Select(i => (JsonNode)$"t{i}")]))).SetName("31 tags");
        yield return new TestCaseData("translations", (Action<JsonObject>)(b => b["translations"] = new JsonObject(Enumerable.Range(0, 11).Select(i =>
            new KeyValuePair<string, JsonNode?>($"x{(char)('a' + i)}", new JsonObject { ["name"] = "n", ["description"] = "d" }))))).SetName("11 translations");
        yield return new TestCaseData("translations.en.description", (Action<JsonObject>)(b => b["translations"]!["en"]!["description"] = Long(4_001))).SetName("Translated description over 4,000");
    }

    [TestCaseSource(nameof(OversizedBadgeClasses))]
    public async Task A_badge_class_over_a_limit_is_refused_naming_the_field(string field, Action<JsonObject> spoil)
    {
        var partner = await NewPartnerAsync();
        var body = System.Text.Json.JsonSerializer.SerializeToNode(BadgeClassBody())!.AsObject();
        spoil(body);
        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes", body), 400);
        Assert.That(problem["errors"]?[field], Is.Not.Null, problem.ToJsonString());
        Assert.That(await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes")), Is.Empty);
    }

    [Test]
    public async Task A_body_over_the_routes_limit_is_413_and_says_the_limit_with_or_without_a_length()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var big = Encoding.UTF8.GetBytes($"{{\"recipient\":{{\"type\":\"email\",\"identity\":\"a@example.org\"}},\"narrative\":\"{Long(600_000)}\"}}");
        var sized = new ByteArrayContent(big) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        var problem = await AssertProblem(await partner.Client.PostAsync($"/api/v1/badge-classes/{badgeClass}/assertions", sized), 413);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:too-large"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("524,288"));

        // Chunked: no Content-Length, so the limit is counted while the body is read.
        var chunked = new StreamContent(new NoLengthStream(big)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        problem = await AssertProblem(await partner.Client.PostAsync($"/api/v1/badge-classes/{badgeClass}/assertions", chunked), 413);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("524,288"));
        await AssertNoAssertionsAsync(partner);

        // A route without a limit of its own takes 64 KB.
        var revoke = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"reason\":\"{Long(70_000)}\"}}")) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        await AssertProblem(await partner.Client.PostAsync("/api/v1/assertions/none/revoke", revoke), 413);
    }

    [TestCase("{\"clientId\":\"test-admin\",\"clientSecret\":\"x\\u0000y\"}", "application/json")]
    [TestCase("client_id=test-admin&client_secret=x%00y", "application/x-www-form-urlencoded")]
    [TestCase("{\"clientId\":\"te\\u0001st\",\"clientSecret\":\"xy\"}", "application/json")]
    public async Task A_control_character_in_a_token_request_is_400(string body, string mediaType)
    {
        var response = await Anonymous().PostAsync("/api/v1/auth/token", new StringContent(body, Encoding.UTF8, mediaType));
        var problem = await AssertProblem(response, 400);
        Assert.That(problem.ToJsonString(), Does.Contain("control character").IgnoreCase);
    }

    [TestCase("\u0000")]
    [TestCase("\u001b[31m")]
    [TestCase("\u007f")]
    public async Task A_control_character_in_any_text_is_refused_and_nothing_is_stored(string control)
    {
        var admin = await AdminAsync();
        var problem = await AssertProblem(await admin.PostAsJsonAsync("/api/v1/issuers", new
        {
            name = "Maison" + control, url = "https://mda.example.org", email = "contact@mda.example.org",
        }), 400);
        Assert.That(problem["errors"]?["name"], Is.Not.Null, problem.ToJsonString());

        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" }, narrative = "Six mois" + control }), 400);
        Assert.That(problem["errors"]?["narrative"], Is.Not.Null, problem.ToJsonString());
        problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" }, evidence = new[] { new { narrative = "ok", audience = control } } }), 400);
        Assert.That(problem["errors"]?["evidence[0].audience"], Is.Not.Null, problem.ToJsonString());
        await AssertNoAssertionsAsync(partner);
    }

    // %00 in a path never reaches the service: Kestrel refuses it (400) and the test host cannot even build the request.
    [TestCase("/public/assertions/abc%1Fdef")]
    [TestCase("/public/badges/x%01")]
    [TestCase("/public/issuers/abc?lang=%00")]
    public async Task A_control_character_in_the_url_is_400(string url)
    {
        var problem = await AssertProblem(await Anonymous().GetAsync(url), 400);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:invalid-text"));
    }

    [Test]
    public async Task A_batch_with_one_control_character_row_names_its_line_and_awards_nothing([Values(1, 200)] int rows)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var bad = rows == 1 ? 1 : 150;
        var body = Enumerable.Range(1, rows).Select(i => new
        {
            recipient = new { type = "email", identity = $"v{i}@example.org" },
            narrative = i == bad ? "Accueil\u0000" : "Accueil",
        }).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", $"nul-{rows}");
        var problem = await AssertProblem(await partner.Client.SendAsync(request), 422);
        var lines = problem["rows"]!.AsArray().Select(r => r!["line"]!.GetValue<int>()).ToArray();
        Assert.That(lines, Is.EqualTo(new[] { bad }), problem.ToJsonString());
        Assert.That(problem["rows"]![0]!["errors"]!["narrative"], Is.Not.Null, problem.ToJsonString());
        await AssertNoAssertionsAsync(partner);
    }

    [Test]
    public async Task A_csv_batch_with_an_unclosed_quote_or_a_control_character_is_refused()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var unclosed = await PostCsvAsync(partner, badgeClass, "recipient;narrative\na@example.org;\"Accueil\nb@example.org;Permanence\n", "csv-quote");
        var problem = await AssertProblem(unclosed, 400);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("line 2").And.Contain("never closed"));
        var control = await PostCsvAsync(partner, badgeClass, "recipient;narrative\na@example.org;Accueil\nb@example.org;Perm\u0000anence\n", "csv-nul");
        problem = await AssertProblem(control, 422);
        Assert.That(problem["rows"]![0]!["line"]!.GetValue<int>(), Is.EqualTo(3), problem.ToJsonString());
        var zoneless = await PostCsvAsync(partner, badgeClass, "recipient;issued_on\na@example.org;2026-01-02T10:00:00\n", "csv-zone");
        problem = await AssertProblem(zoneless, 422);
        Assert.That(problem.ToJsonString(), Does.Contain("time zone"));
        await AssertNoAssertionsAsync(partner);
    }

    public static IEnumerable<TestCaseData> BrokenMultipart()
    {
        const string part = "--b1\r\nContent-Disposition: form-data; name=\"image\"; filename=\"b.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n--b1--\r\n";
        yield return new TestCaseData("multipart/form-data", part).SetName("{m}: no boundary");
        yield return new TestCaseData("multipart/form-data; boundary=other", part).SetName("{m}: another boundary");
        yield return new TestCaseData("multipart/form-data; boundary=b1", part[..60]).SetName("{m}: truncated");
    }

    [TestCaseSource(nameof(BrokenMultipart))]
    public async Task A_broken_multipart_body_is_400_on_verify_and_unbake(string contentType, string body)
    {
        HttpContent Content()
        {
            var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }
        var verify = await AssertProblem(await Anonymous().PostAsync("/public/verify", Content()), 400);
        Assert.That(verify["detail"]!.GetValue<string>(), Does.Contain("multipart").Or.Contain("image"), verify.ToJsonString());
        var admin = await AdminAsync();
        var unbake = await AssertProblem(await admin.PostAsync("/api/v1/unbake", Content()), 400);
        Assert.That(unbake["detail"]!.GetValue<string>(), Does.Contain("multipart").Or.Contain("image"), unbake.ToJsonString());
    }

    [TestCase("{\"url\":\"https://example.org/\\ud800\"}", "$.url")]
    [TestCase("{\"jws\":\"a.b\\udc00.c\"}", "$.jws")]
    [TestCase("{\"url\":\"https://example.org/a\",\"recipient\":\"\\ud800@example.org\"}", "$.recipient")]
    [TestCase("{\"assertion\":{\"type\":\"Assertion\",\"narrative\":[\"ok\",\"\\udbff\"]}}", "$.assertion.narrative[1]")]
    [TestCase("{\"assertion\":{\"\\ud800\":1}}", "$.assertion")]
    [TestCase("{\"url\":\"https://example.org/\\u0000\"}", "$.url")]
    public async Task An_unpaired_surrogate_or_control_character_in_a_verification_is_400(string json, string path)
    {
        var response = await Anonymous().PostAsync("/public/verify", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, 400);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:invalid-text"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(path));
    }

    [Test]
    public async Task A_415_says_which_media_types_the_route_takes()
    {
        var admin = await AdminAsync();
        var unbake = await AssertProblem(await admin.PostAsync("/api/v1/unbake",
            new ByteArrayContent([0x89, 0x50]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") } }), 415);
        Assert.That(unbake["detail"]!.GetValue<string>(), Does.Contain("image/png").And.Contain("application/x-www-form-urlencoded"));

        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var award = await AssertProblem(await partner.Client.PostAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new StringContent("recipient=a", Encoding.UTF8, "text/plain")), 415);
        Assert.That(award["detail"]!.GetValue<string>(), Does.Contain("application/json"));
        Assert.That(award["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:unsupported-media-type"));
        await AssertNoAssertionsAsync(partner);
    }

    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a@example.org\"},\"issuedOn\":\"2026-01-02T10:00:00\"}", "time zone")]
    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a@example.org\"},\"issuedOn\":\"2026-01-02\"}", "time zone")]
    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a@example.org\"},\"issuedOn\":\"0001-01-01T00:00:00Z\"}", "1900")]
    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a@-x-.org\"}}", "email")]
    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a@x..org\"}}", "email")]
    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a..b@x.org\"}}", "email")]
    [TestCase("{\"recipient\":{\"type\":\"url\",\"identity\":\"https://user:pass@example.org/marie\"}}", "user name or password")]
    [TestCase("{\"recipient\":{\"type\":\"email\",\"identity\":\"a@example.org\"},\"evidence\":[{\"id\":\"https://u:p@example.org/r\"}]}", "user name or password")]
    public async Task A_lenient_value_is_refused_with_a_clear_message(string json, string words)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var response = await partner.Client.PostAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, 400);
        Assert.That(problem.ToJsonString(), Does.Contain(words));
        await AssertNoAssertionsAsync(partner);
    }

    [TestCase("a@-x-.org", "https://mda.example.org")]
    [TestCase("a@x..org", "https://mda.example.org")]
    [TestCase("contact@mda.example.org", "https://admin:secret@mda.example.org")]
    public async Task An_issuer_with_a_lenient_email_or_url_is_refused(string email, string url)
    {
        var admin = await AdminAsync();
        var problem = await AssertProblem(await admin.PostAsJsonAsync("/api/v1/issuers", new { name = "Maison", url, email }), 400);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { url.Contains('@') ? "url" : "email" }));
    }

    private async Task<HttpResponseMessage> PostCsvAsync(Partner partner, string badgeClass, string csv, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await partner.Client.SendAsync(request);
    }

    private static async Task AssertNoAssertionsAsync(Partner partner)
    {
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(page["items"]!.AsArray(), Is.Empty);
    }

    /// <summary>A stream that does not tell its length, so the client sends the body chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
