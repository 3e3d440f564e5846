using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class IssuerTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Test]
    public async Task Create_WithValidProfile_Returns201WithE164TelephoneAndPublicId()
    {
        var admin = await AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/issuers", new
        {
            name = "Maison des Associations de Charleroi", url = "https://mda-charleroi.example.be",
            email = "Info@MDA-Charleroi.example.be", telephone = "0032 71 00 00 00",
        });
        var body = await Json(response, 201);
        var id = body["id"]!.GetValue<string>();
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/issuers/{id}"));
        Assert.That(body["telephone"]!.GetValue<string>(), Is.EqualTo("+3271000000"));
        Assert.That(body["openBadgesId"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{id}"));
    }

    [TestCase("", "https://x.example.org", "a@example.org", "name")]
    [TestCase("X", "not a url", "a@example.org", "url")]
    [TestCase("X", "ftp://x.example.org", "a@example.org", "url")]
    [TestCase("X", "https://x.example.org", "not-an-email", "email")]
    public async Task Create_WithBadField_Returns400AndStoresNothing(string name, string url, string email, string field)
    {
        var admin = await AdminAsync();
        var before = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Count;
        var problem = await AssertProblem(await admin.PostAsJsonAsync("/api/v1/issuers", new { name, url, email }), 400);
        Assert.That(problem["errors"]![field], Is.Not.Null);
        Assert.That((await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Count, Is.EqualTo(before));
    }

    [Test]
    public async Task Create_WithTelephoneNotInInternationalForm_Returns400()
    {
        var admin = await AdminAsync();
        var problem = await AssertProblem(await admin.PostAsJsonAsync("/api/v1/issuers",
            new { name = "X", url = "https://x.example.org", email = "a@example.org", telephone = "06 12 34 56 78" }), 400);
        Assert.That(problem["errors"]!["telephone"], Is.Not.Null);
    }

    [Test]
    public async Task Update_ByOwnStaff_ChangesProfile_AndPublicProfileFollows()
    {
        var partner = await NewPartnerAsync();
        var updated = await Json(await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", new
        {
            name = "MDA Roubaix", url = "https://roubaix.example.org", email = "mda@roubaix.example.org", description = "Nouvelle description",
        }), 200);
        Assert.That(updated["name"]!.GetValue<string>(), Is.EqualTo("MDA Roubaix"));
        var profile = await Json(await Anonymous().GetAsync($"/public/issuers/{partner.IssuerId}"), 200);
        Assert.That(profile["description"]!.GetValue<string>(), Is.EqualTo("Nouvelle description"));
    }

    [Test]
    public async Task Staff_ListIssuers_SeesOnlyTheirOwn()
    {
        var partner = await NewPartnerAsync();
        await NewPartnerAsync("Maison des Associations de Tourcoing");
        var list = await JsonArray(await partner.Client.GetAsync("/api/v1/issuers"));
        Assert.That(list.Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { partner.IssuerId }));
    }

    [Test]
    public async Task AdoptCatalogue_Copies32Classes_AndIsIdempotent()
    {
        var partner = await NewPartnerAsync();
        var first = await Json(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/catalogue", null), 200);
        Assert.That(first["added"]!.GetValue<int>(), Is.EqualTo(32));
        var again = await Json(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/catalogue", null), 200);
        Assert.That(again["added"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(again["total"]!.GetValue<int>(), Is.EqualTo(32));
        var classes = await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes"));
        Assert.That(classes, Has.Count.EqualTo(32));
        Assert.That(classes.All(c => c!["issuerId"]!.GetValue<string>() == partner.IssuerId));
        var oneClass = await Json(await Anonymous().GetAsync($"/public/badges/{classes[0]!["id"]!.GetValue<string>()}"), 200);
        Assert.That(oneClass["issuer"]!.GetValue<string>(), Does.EndWith(partner.IssuerId));
    }

    [Test]
    public async Task Seed_CreatesRequapassIssuerWith32AlignedClasses()
    {
        var admin = await AdminAsync();
        var owner = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!;
        Assert.That(owner["name"]!.GetValue<string>(), Is.EqualTo("REQUAPASS"));
        Assert.That(owner["url"]!.GetValue<string>(), Is.EqualTo("https://www.requapass.example"));
        var classes = await JsonArray(await admin.GetAsync($"/api/v1/issuers/{owner["id"]}/badge-classes"));
        Assert.That(classes, Has.Count.EqualTo(32));
        var codes = classes.Select(c => c!["catalogueCode"]!.GetValue<string>()).ToList();
        Assert.That(codes, Is.Unique);
        Assert.That(classes.All(c => c!["alignment"]![0]!["targetFramework"]!.GetValue<string>() == "RECTEC+"));
        Assert.That(classes.All(c => c!["translations"]!["en"] is not null));
    }
}
