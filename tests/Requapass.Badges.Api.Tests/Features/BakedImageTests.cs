using System.IO.Hashing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Xml.Linq;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class BakedImageTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Test]
    public async Task BakedPng_CarriesTheHostedAssertion_AndKeepsTheClassImageBytes()
    {
        var partner = await NewPartnerAsync();
        var classPng = Png(32, 10);
        var badgeClass = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Accueil du public", PngDataUri(classPng))), 201))["id"]!.GetValue<string>();
        var id = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();

        var hosted = await (await Anonymous().GetAsync($"/public/assertions/{id}")).Content.ReadAsStringAsync();
        Assert.That(hosted, Does.Contain($"\"image\":\"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}/image\""));
        var response = await Anonymous().GetAsync($"/public/assertions/{id}/image");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("accueil-du-public.png"));
        var baked = await response.Content.ReadAsByteArrayAsync();

        var (payload, rest) = TestPng.TakeOpenBadgesChunk(baked);
        Assert.That(PngBaker.Unbake(baked).Payload, Is.EqualTo(hosted), "the service's own unbaker agrees");
        Assert.That(payload, Is.EqualTo(hosted), "the baked text is the hosted assertion JSON");
        Assert.That(rest, Is.EqualTo(classPng), "every other byte is the class image's");
    }

    [Test]
    public async Task BakedSvg_CarriesVerifyUrlAndJson_AndIsServedSafely()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        await partner.Client.PutAsync($"/api/v1/badge-classes/{badgeClass}/image", new ByteArrayContent(Encoding.UTF8.GetBytes(Svg)));
        var id = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var hosted = await (await Anonymous().GetAsync($"/public/assertions/{id}")).Content.ReadAsStringAsync();

        var response = await Anonymous().GetAsync($"/public/assertions/{id}/image?format=svg");
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'"));
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var element = svg.Root!.Element(XName.Get("assertion", "http://openbadges.org"))!;
        Assert.That(element.Attribute("verify")!.Value, Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}"));
        Assert.That(element.Value, Is.EqualTo(hosted));
        Assert.That((await Anonymous().GetAsync($"/public/assertions/{id}/image")).Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
    }

    [Test]
    public async Task BakedImage_HasETag_AndRevokedAnswers410()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var first = await Anonymous().GetAsync($"/public/assertions/{id}/image");
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{id}/image"))
        {
            conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            Assert.That((await Anonymous().SendAsync(conditional)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        }
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Erreur" });
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{id}/image"), 410);
        await AssertProblem(await Anonymous().GetAsync("/public/assertions/0123456789abcdef01234567/image"), 404);
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{id}/image?format=jpeg"), 400);
    }
}

/// <summary>Test-side PNG reading, independent of the service's baker.</summary>
internal static class TestPng
{
    /// <summary>Removes the one iTXt "openbadges" chunk; returns its text and the PNG without it.</summary>
    public static (string Payload, byte[] Others) TakeOpenBadgesChunk(byte[] png)
    {
        var rest = new List<byte>(png[..8]);
        string? payload = null;
        var pos = 8;
        while (pos < png.Length)
        {
            var length = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            if (type == "iTXt" && data.StartsWith("openbadges\0"u8))
            {
                Assert.That(payload, Is.Null, "one openbadges chunk, never two");
                Assert.That(Crc32.HashToUInt32(png.AsSpan(pos + 4, length + 4)), Is.EqualTo(
                    (uint)((png[pos + 8 + length] << 24) | (png[pos + 9 + length] << 16) | (png[pos + 10 + length] << 8) | png[pos + 11 + length])));
                // keyword \0, compression flag 0, method 0, empty language \0, empty translated keyword \0
                Assert.That(data[11..15].ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 0 }));
                payload = Encoding.UTF8.GetString(data[15..]);
            }
            else
            {
                rest.AddRange(png.AsSpan(pos, length + 12).ToArray());
            }
            pos += length + 12;
        }
        return (payload ?? throw new AssertionException("no openbadges iTXt chunk"), rest.ToArray());
    }
}
