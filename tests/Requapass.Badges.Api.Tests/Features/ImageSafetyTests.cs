using System.Net.Http.Json;
using System.Text;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Tests.Imaging;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ImageSafetyTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private Partner _partner = null!;
    private string _badgeClass = null!;

    [OneTimeSetUp]
    public async Task OnePartner()
    {
        _partner = await NewPartnerAsync();
        _badgeClass = await NewBadgeClassAsync(_partner);
    }

    public static IEnumerable<TestCaseData> Corpus() =>
        HostileImages.All().Select(c => new TestCaseData(c.Name, c.Bytes).SetName($"Upload_Refuses_{c.Name}"));

    [TestCaseSource(nameof(Corpus))]
    public async Task HostileOrMalformedUpload_Returns400_AndStoresNothing(string name, byte[] image)
    {
        var before = await _partner.Client.GetStringAsync($"/api/v1/badge-classes/{_badgeClass}");
        var response = await _partner.Client.PutAsync($"/api/v1/badge-classes/{_badgeClass}/image", new ByteArrayContent(image));
        await AssertProblem(response, 400);
        var create = await _partner.Client.PostAsJsonAsync($"/api/v1/issuers/{_partner.IssuerId}/badge-classes",
            BadgeClassBody(name, "data:image/png;base64," + Convert.ToBase64String(image)));
        await AssertProblem(create, 400);
        Assert.That(await _partner.Client.GetStringAsync($"/api/v1/badge-classes/{_badgeClass}"), Is.EqualTo(before));
        Assert.That(await JsonArray(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/badge-classes")), Has.Count.EqualTo(1));

        // The issuer image goes through the same intake.
        var issuer = await _partner.Client.GetStringAsync($"/api/v1/issuers/{_partner.IssuerId}");
        await AssertProblem(await _partner.Client.PutAsync($"/api/v1/issuers/{_partner.IssuerId}/image", new ByteArrayContent(image)), 400);
        Assert.That(await _partner.Client.GetStringAsync($"/api/v1/issuers/{_partner.IssuerId}"), Is.EqualTo(issuer));
    }

    [Test]
    public async Task Unbake_ReturnsTheHostedAssertion_FromBakedPngAndSvg()
    {
        var id = (await AwardAsync(_partner, _badgeClass))["id"]!.GetValue<string>();
        var baked = await Anonymous().GetByteArrayAsync($"/public/assertions/{id}/image");
        var body = await Json(await _partner.Client.PostAsync("/api/v1/unbake", new ByteArrayContent(baked)), 200);
        Assert.That(body["format"]!.GetValue<string>(), Is.EqualTo("png"));
        Assert.That(body["kind"]!.GetValue<string>(), Is.EqualTo("assertion"));
        Assert.That(body["assertion"]!["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}"));

        var svg = SvgBaker.BakeSigned(Encoding.UTF8.GetBytes(Svg), "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2ln");
        var form = new MultipartFormDataContent { { new ByteArrayContent(svg), "image", "badge.svg" } };
        var signed = await Json(await _partner.Client.PostAsync("/api/v1/unbake", form), 200);
        Assert.That(signed["kind"]!.GetValue<string>(), Is.EqualTo("jws"));
        Assert.That(signed["format"]!.GetValue<string>(), Is.EqualTo("svg"));
        Assert.That(signed["assertion"]!["id"]!.GetValue<string>(), Is.EqualTo("urn:uuid:1"));
    }

    [Test]
    public async Task Unbake_OfImageWithoutBadge_Returns422_AndOfGarbage_Returns400()
    {
        await AssertProblem(await _partner.Client.PostAsync("/api/v1/unbake", new ByteArrayContent(Png())), 422);
        await AssertProblem(await _partner.Client.PostAsync("/api/v1/unbake", new ByteArrayContent("hello"u8.ToArray())), 400);
        await AssertProblem(await _partner.Client.PostAsync("/api/v1/unbake",
            new ByteArrayContent(HostileImages.All().Single(c => c.Name == "svg-xxe").Bytes)), 400);
        await AssertProblem(await Anonymous().PostAsync("/api/v1/unbake", new ByteArrayContent(Png())), 401);
    }
}
