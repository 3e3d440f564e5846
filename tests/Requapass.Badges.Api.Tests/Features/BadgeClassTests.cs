using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class BadgeClassTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Test]
    public async Task Create_WithPng_Returns201_AndImageIsServedByteForByte()
    {
        var partner = await NewPartnerAsync();
        var png = Png(16, 99);
        var body = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody(image: PngDataUri(png))), 201);
        var image = await Anonymous().GetAsync($"/public/badges/{body["id"]}/image");
        Assert.That((int)image.StatusCode, Is.EqualTo(200));
        Assert.That(image.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        Assert.That(await image.Content.ReadAsByteArrayAsync(), Is.EqualTo(png));
    }

    [Test]
    public async Task Create_WithSvg_IsServedWithCspAndNosniff()
    {
        var partner = await NewPartnerAsync();
        var body = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody(image: SvgDataUri())), 201);
        Assert.That(body["imageFormats"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "svg" }));
        var image = await Anonymous().GetAsync($"/public/badges/{body["id"]}/image");
        Assert.That(image.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        Assert.That(image.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo("default-src 'none'; style-src 'unsafe-inline'"));
        Assert.That(image.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    public static IEnumerable<TestCaseData> NotImages()
    {
        yield return new TestCaseData("data:image/png;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("just text, named png"))).SetName("TextDeclaredAsPng");
        yield return new TestCaseData("data:image/png;base64," + Convert.ToBase64String([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46])).SetName("JpegDeclaredAsPng");
        yield return new TestCaseData("data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("<html><body>hi</body></html>"))).SetName("HtmlDeclaredAsSvg");
        yield return new TestCaseData("data:image/png;base64,@@@not-base64@@@").SetName("NotBase64");
        yield return new TestCaseData("https://example.org/badge.png").SetName("UrlNotDataUri");
        yield return new TestCaseData(PngDataUri(new byte[300 * 1024])).SetName("Over256KB");
    }

    [TestCaseSource(nameof(NotImages))]
    public async Task Create_WithNonImage_Returns400AndStoresNothing(string image)
    {
        var partner = await NewPartnerAsync();
        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody(image: image)), 400);
        Assert.That(problem["errors"]!["image"], Is.Not.Null);
        Assert.That(await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes")), Is.Empty);
    }

    [Test]
    public async Task Create_WithMissingFields_Returns400WithEveryFieldError()
    {
        var partner = await NewPartnerAsync();
        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            new { alignment = new[] { new { targetName = "x" } } }), 400);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.That(errors, Is.SupersetOf(new[] { "name", "description", "criteria", "image", "alignment[0].targetUrl" }));
    }

    [Test]
    public async Task Create_ForUnknownIssuer_Returns404()
    {
        var admin = await AdminAsync();
        await AssertProblem(await admin.PostAsJsonAsync("/api/v1/issuers/000000000000000000000000/badge-classes", BadgeClassBody()), 404);
    }

    [Test]
    public async Task PutImage_WithSvgBody_AddsSvg_AndFormatChooses()
    {
        var partner = await NewPartnerAsync();
        var id = await NewBadgeClassAsync(partner);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Svg));
        // The declared type is not trusted: the bytes decide.
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var body = await Json(await partner.Client.PutAsync($"/api/v1/badge-classes/{id}/image", content), 200);
        Assert.That(body["imageFormats"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "png", "svg" }));
        var png = await Anonymous().GetAsync($"/public/badges/{id}/image");
        var svg = await Anonymous().GetAsync($"/public/badges/{id}/image?format=svg");
        Assert.That(png.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        Assert.That(svg.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        await AssertProblem(await Anonymous().GetAsync($"/public/badges/{id}/image?format=gif"), 400);
    }

    [Test]
    public async Task PutImage_WithNonImage_Returns400()
    {
        var partner = await NewPartnerAsync();
        var id = await NewBadgeClassAsync(partner);
        await AssertProblem(await partner.Client.PutAsync($"/api/v1/badge-classes/{id}/image", new ByteArrayContent(Encoding.UTF8.GetBytes("GIF89a..."))), 400);
    }

    [Test]
    public async Task Update_ChangesTexts_AndPublicDocumentFollows()
    {
        var partner = await NewPartnerAsync();
        var id = await NewBadgeClassAsync(partner);
        await Json(await partner.Client.PutAsJsonAsync($"/api/v1/badge-classes/{id}", BadgeClassBody("Accueil – niveau confirmé")), 200);
        var document = await Json(await Anonymous().GetAsync($"/public/badges/{id}"), 200);
        Assert.That(document["name"]!.GetValue<string>(), Is.EqualTo("Accueil – niveau confirmé"));
    }

    [Test]
    public async Task Archive_HidesFromDefaultList_BlocksAwards_KeepsPublicDocument()
    {
        var partner = await NewPartnerAsync();
        var id = await NewBadgeClassAsync(partner);
        var archived = await Json(await partner.Client.PostAsync($"/api/v1/badge-classes/{id}/archive", null), 200);
        Assert.That(archived["archived"]!.GetValue<bool>(), Is.True);
        Assert.That(await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes")), Is.Empty);
        Assert.That(await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes?includeArchived=true")), Has.Count.EqualTo(1));
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{id}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" } }), 409);
        Assert.That((int)(await Anonymous().GetAsync($"/public/badges/{id}")).StatusCode, Is.EqualTo(200));
    }
}
