using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>Staff of one issuer can never read or change another issuer's data: every admin route.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class IsolationTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private Partner _owner = null!;
    private Partner _intruder = null!;
    private string _badgeClassId = null!;
    private string _assertionId = null!;

    [SetUp]
    public async Task TwoPartners()
    {
        _owner = await NewPartnerAsync("Maison des Associations de Tourcoing");
        _intruder = await NewPartnerAsync("Maison des Associations de Charleroi");
        _badgeClassId = await NewBadgeClassAsync(_owner);
        _assertionId = (await AwardAsync(_owner, _badgeClassId))["id"]!.GetValue<string>();
    }

    public static IEnumerable<TestCaseData> Routes()
    {
        // (method, path template, body kind). {issuer}, {class}, {assertion} belong to the owner.
        yield return new TestCaseData("GET", "/api/v1/issuers/{issuer}", "none");
        yield return new TestCaseData("PUT", "/api/v1/issuers/{issuer}", "issuer");
        yield return new TestCaseData("PUT", "/api/v1/issuers/{issuer}/image", "png");
        yield return new TestCaseData("POST", "/api/v1/issuers/{issuer}/catalogue", "none");
        yield return new TestCaseData("GET", "/api/v1/issuers/{issuer}/badge-classes", "none");
        yield return new TestCaseData("POST", "/api/v1/issuers/{issuer}/badge-classes", "class");
        yield return new TestCaseData("GET", "/api/v1/issuers/{issuer}/assertions", "none");
        yield return new TestCaseData("GET", "/api/v1/badge-classes/{class}", "none");
        yield return new TestCaseData("PUT", "/api/v1/badge-classes/{class}", "class");
        yield return new TestCaseData("POST", "/api/v1/badge-classes/{class}/archive", "none");
        yield return new TestCaseData("PUT", "/api/v1/badge-classes/{class}/image", "png");
        yield return new TestCaseData("POST", "/api/v1/badge-classes/{class}/assertions", "award");
        yield return new TestCaseData("GET", "/api/v1/assertions/{assertion}", "none");
        yield return new TestCaseData("POST", "/api/v1/assertions/{assertion}/revoke", "revoke");
    }

    [TestCaseSource(nameof(Routes))]
    public async Task OtherIssuersStaff_IsForbidden_AndChangesNothing(string method, string template, string body)
    {
        var path = template.Replace("{issuer}", _owner.IssuerId).Replace("{class}", _badgeClassId).Replace("{assertion}", _assertionId);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(body) };
        await AssertProblem(await _intruder.Client.SendAsync(request), 403);

        // The owner's data is as it was.
        var issuer = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}"), 200);
        Assert.That(issuer["name"]!.GetValue<string>(), Is.EqualTo("Maison des Associations de Tourcoing"));
        Assert.That(issuer["imageUrl"], Is.Null);
        var classes = await JsonArray(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/badge-classes"));
        Assert.That(classes, Has.Count.EqualTo(1));
        Assert.That(classes[0]!["archived"]!.GetValue<bool>(), Is.False);
        var assertions = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(assertions["items"]![0]!["revoked"]!.GetValue<bool>(), Is.False);
    }

    private static HttpContent? Body(string kind) => kind switch
    {
        "issuer" => JsonContent.Create(new { name = "Hijacked", url = "https://evil.example.org", email = "evil@example.org" }),
        "class" => JsonContent.Create(BadgeClassBody("Hijacked")),
        "award" => JsonContent.Create(new { recipient = new { type = "email", identity = "intruder@example.org" } }),
        "revoke" => JsonContent.Create(new { reason = "Hijacked" }),
        "png" => new ByteArrayContent(Png()),
        _ => null,
    };
}
