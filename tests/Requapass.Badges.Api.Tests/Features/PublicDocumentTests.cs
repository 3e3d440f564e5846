using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed partial class PublicDocumentTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Base = BadgesApiFactory.PublicBaseUrl;

    [Test]
    public async Task Assertion_IsOpenBadges2JsonLd_WithAbsoluteIdsAndUtcDates()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var id = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var response = await Anonymous().GetAsync($"/public/assertions/{id}");
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/ld+json"));
        var doc = await Json(response, 200);
        Assert.That(doc["@context"]!.GetValue<string>(), Is.EqualTo("https://w3id.org/openbadges/v2"));
        Assert.That(doc["type"]!.GetValue<string>(), Is.EqualTo("Assertion"));
        Assert.That(doc["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/assertions/{id}"));
        Assert.That(doc["badge"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}"));
        Assert.That(doc["verification"]!["type"]!.GetValue<string>(), Is.EqualTo("HostedBadge"));
        Assert.That(doc["recipient"]!["identity"]!.GetValue<string>(), Does.Match("^sha256\\$[0-9a-f]{64}$"));
        Assert.That(doc["issuedOn"]!.GetValue<string>(), Does.Match(UtcDate()));
        Assert.That(doc.ContainsKey("expires"), Is.False, "absent optional fields are omitted, not null");
    }

    [Test]
    public async Task BadgeClass_AndIssuer_AreOpenBadges2JsonLd()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var doc = await Json(await Anonymous().GetAsync($"/public/badges/{badgeClass}"), 200);
        Assert.That(doc["type"]!.GetValue<string>(), Is.EqualTo("BadgeClass"));
        Assert.That(doc["issuer"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{partner.IssuerId}"));
        Assert.That(doc["image"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/image"));
        Assert.That(doc["criteria"]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/criteria"));
        Assert.That(doc["criteria"]!["narrative"]!.GetValue<string>(), Does.Contain("Accueille le public"));
        Assert.That(doc["alignment"]![0]!["targetUrl"]!.GetValue<string>(), Does.StartWith("https://"));
        Assert.That(doc["@language"]!.GetValue<string>(), Is.EqualTo("fr"));
        Assert.That(doc["related"]![0]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/translations/en"));

        var english = await Json(await Anonymous().GetAsync($"/public/badges/{badgeClass}/translations/en"), 200);
        Assert.That(english["name"]!.GetValue<string>(), Is.EqualTo("Welcoming the public"));
        Assert.That(english["@language"]!.GetValue<string>(), Is.EqualTo("en"));
        await AssertProblem(await Anonymous().GetAsync($"/public/badges/{badgeClass}/translations/nl"), 404);

        var issuer = await Json(await Anonymous().GetAsync($"/public/issuers/{partner.IssuerId}"), 200);
        Assert.That(issuer["type"]!.GetValue<string>(), Is.EqualTo("Issuer"));
        Assert.That(issuer["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{partner.IssuerId}"));
        Assert.That(issuer["telephone"]!.GetValue<string>(), Is.EqualTo("+33320000000"));
    }

    [Test]
    public async Task CatalogueClass_PointsToFrameworkAndCriteriaPages_ThatExist()
    {
        var admin = await AdminAsync();
        var owner = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!;
        var first = (await JsonArray(await admin.GetAsync($"/api/v1/issuers/{owner["id"]}/badge-classes")))[0]!;
        var doc = await Json(await Anonymous().GetAsync($"/public/badges/{first["id"]}"), 200);
        foreach (var url in new[] { doc["alignment"]![0]!["targetUrl"]!.GetValue<string>(), doc["criteria"]!["id"]!.GetValue<string>() })
        {
            var page = await Anonymous().GetAsync(new Uri(url).PathAndQuery);
            Assert.That((int)page.StatusCode, Is.EqualTo(200), url);
            Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Communication orale"));
        }
        var image = await Anonymous().GetAsync($"/public/badges/{first["id"]}/image");
        Assert.That(image.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
    }

    [Test]
    public async Task Documents_AnswerPlainJson_WhenThatIsWhatIsAsked()
    {
        var partner = await NewPartnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/public/issuers/{partner.IssuerId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await Anonymous().SendAsync(request);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task ETag_AnswersNotModified_UntilTheAssertionChanges()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var first = await Anonymous().GetAsync($"/public/assertions/{id}");
        var etag = first.Headers.ETag!;
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{id}"))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            var notModified = await Anonymous().SendAsync(conditional);
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        }
        await Json(await partner.Client.PostAsync($"/api/v1/assertions/{id}/revoke", System.Net.Http.Json.JsonContent.Create(new { reason = "Erreur" })), 200);
        using (var after = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{id}"))
        {
            after.Headers.IfNoneMatch.Add(etag);
            var gone = await Anonymous().SendAsync(after);
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
            Assert.That(gone.Headers.ETag, Is.Not.EqualTo(etag));
        }
    }

    [Test]
    public async Task PublicGet_IsOpenToAnyOrigin()
    {
        var partner = await NewPartnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/public/issuers/{partner.IssuerId}");
        request.Headers.Add("Origin", "https://portfolio.example.net");
        var response = await Anonymous().SendAsync(request);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("ETag"));
    }

    [TestCase("/public/assertions/0123456789abcdef01234567")]
    [TestCase("/public/badges/0123456789abcdef01234567")]
    [TestCase("/public/issuers/0123456789abcdef01234567")]
    [TestCase("/public/badges/0123456789abcdef01234567/image")]
    [TestCase("/public/assertions/%3Cscript%3E")]
    [TestCase("/public/frameworks/rectec-plus/NOPE-N9")]
    public async Task UnknownId_Returns404Problem(string path)
    {
        await AssertProblem(await Anonymous().GetAsync(path), 404);
    }

    [Test]
    public async Task HostedDocuments_CarryNoInternalKeys()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var text = await (await Anonymous().GetAsync($"/public/assertions/{id}")).Content.ReadAsStringAsync();
        var doc = JsonNode.Parse(text)!.AsObject();
        Assert.That(doc.Select(p => p.Key), Is.SubsetOf(new[] { "@context", "type", "id", "recipient", "badge", "verification", "issuedOn", "expires", "image", "evidence", "narrative" }));
        Assert.That(text, Does.Not.Contain("lookup").IgnoreCase);
    }

    [GeneratedRegex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$")]
    private static partial Regex UtcDateRegex();

    private static string UtcDate() => UtcDateRegex().ToString();
}
