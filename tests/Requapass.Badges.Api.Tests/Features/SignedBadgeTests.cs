using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class SignedBadgeTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private async Task<(Partner Partner, string BadgeClass)> SigningPartnerAsync()
    {
        var partner = await NewPartnerAsync();
        await Json(await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", new
        {
            name = "Maison des Associations de Roubaix", url = "https://mda-roubaix.example.org", email = "contact@mda-roubaix.example.org",
            defaultVerification = "signed",
        }), 200);
        return (partner, await NewBadgeClassAsync(partner));
    }

    private async Task<JsonObject> PublicJson(string url) => await Json(await Anonymous().GetAsync(new Uri(url).PathAndQuery), 200);

    private async Task<RSA> PublishedKey(string keyUrl)
    {
        var key = await PublicJson(keyUrl);
        var rsa = RSA.Create();
        rsa.ImportFromPem(key["publicKeyPem"]!.GetValue<string>());
        return rsa;
    }

    [Test]
    public async Task CatalogueAward_IsSignedByDefault_AndVerifiesWithThePublishedKey()
    {
        var admin = await AdminAsync();
        var owner = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!;
        Assert.That(owner["defaultVerification"]!.GetValue<string>(), Is.EqualTo("signed"));
        var badgeClass = (await JsonArray(await admin.GetAsync($"/api/v1/issuers/{owner["id"]}/badge-classes")))[0]!["id"]!.GetValue<string>();
        var award = await Json(await admin.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "signed@example.org" } }), 201);
        Assert.That(award["verification"]!.GetValue<string>(), Is.EqualTo("signed"));
        Assert.That(award["openBadgesId"]!.GetValue<string>(), Does.Match("^urn:uuid:[0-9a-f-]{36}$"));
        var jws = award["jws"]!.GetValue<string>();

        var hostedJson = await (await Anonymous().GetAsync($"/public/assertions/{award["id"]}")).Content.ReadAsByteArrayAsync();
        var payload = JsonNode.Parse(hostedJson)!;
        Assert.That(hostedJson, Is.EqualTo(Base64Url.Decode(jws.Split('.')[1])), "the JSON served is exactly the signed payload");
        Assert.That(payload["id"]!.GetValue<string>(), Is.EqualTo(award["openBadgesId"]!.GetValue<string>()));
        Assert.That(payload["verification"]!["type"]!.GetValue<string>(), Is.EqualTo("SignedBadge"));
        var creator = payload["verification"]!["creator"]!.GetValue<string>();

        var profile = await PublicJson(await BadgeIssuer(payload["badge"]!.GetValue<string>()));
        Assert.That(profile["publicKey"]!.GetValue<string>(), Is.EqualTo(creator), "the profile names the signing key");
        Assert.That(profile["revocationList"]!.GetValue<string>(), Does.EndWith("/revocations"));
        var key = await PublicJson(creator);
        Assert.That(key["type"]!.GetValue<string>(), Is.EqualTo("CryptographicKey"));
        Assert.That(key["owner"]!.GetValue<string>(), Is.EqualTo(profile["id"]!.GetValue<string>()));
        using var rsa = await PublishedKey(creator);
        Assert.That(Jws.Verify(jws, rsa).Ok, Is.True);
    }

    [Test]
    public async Task Jws_IsServedAsApplicationJose_AndTamperingIsCaught()
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        var award = await AwardAsync(partner, badgeClass);
        var viaSuffix = await Anonymous().GetAsync($"/public/assertions/{award["id"]}.jws");
        Assert.That(viaSuffix.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/jose"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{award["id"]}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/jose"));
        var viaAccept = await (await Anonymous().SendAsync(request)).Content.ReadAsStringAsync();
        var jws = await viaSuffix.Content.ReadAsStringAsync();
        Assert.That(viaAccept, Is.EqualTo(jws));
        Assert.That(jws, Is.EqualTo(award["jws"]!.GetValue<string>()));

        var payload = JsonNode.Parse(Base64Url.Decode(jws.Split('.')[1]))!;
        using var rsa = await PublishedKey(payload["verification"]!["creator"]!.GetValue<string>());
        var parts = jws.Split('.');
        var forged = Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString().Replace("benevole@", "x@", StringComparison.Ordinal)));
        Assert.That(Jws.Verify($"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString() + " "))}.{parts[2]}", rsa).Code, Is.EqualTo("jws.bad_signature"));
        Assert.That(Jws.Verify($"{parts[0]}.{forged}.{parts[2]}", rsa).Ok, Is.False);
        Assert.That(Jws.Verify($"{Base64Url.Encode("""{"alg":"none"}"""u8)}.{parts[1]}.", rsa).Code, Is.EqualTo("jws.alg_not_allowed"));
        Assert.That(Jws.Verify(Jws.Sign(Encoding.UTF8.GetBytes(payload.ToJsonString()), SigningKey.Generate().Key), rsa).Code, Is.EqualTo("jws.bad_signature"));

        var hostedPartner = await NewPartnerAsync();
        var hosted = await AwardAsync(hostedPartner, await NewBadgeClassAsync(hostedPartner));
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{hosted["id"]}.jws"), 404);
    }

    [Test]
    public async Task PerAwardChoice_OverridesTheIssuerDefault()
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        var hosted = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" }, verification = "hosted" }), 201);
        Assert.That(hosted["verification"]!.GetValue<string>(), Is.EqualTo("hosted"));
        Assert.That(hosted["jws"], Is.Null);
        var other = await NewPartnerAsync();
        var signed = await Json(await other.Client.PostAsJsonAsync($"/api/v1/badge-classes/{await NewBadgeClassAsync(other)}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" }, verification = "signed" }), 201);
        Assert.That(signed["verification"]!.GetValue<string>(), Is.EqualTo("signed"));
        await AssertProblem(await other.Client.PostAsJsonAsync($"/api/v1/badge-classes/{await NewBadgeClassAsync(other)}/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" }, verification = "notarised" }), 400);
    }

    [Test]
    public async Task BakedSignedBadge_CarriesTheJws_InPngAndSvg()
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        await partner.Client.PutAsync($"/api/v1/badge-classes/{badgeClass}/image", new ByteArrayContent(Encoding.UTF8.GetBytes(Svg)));
        var award = await AwardAsync(partner, badgeClass);
        var jws = award["jws"]!.GetValue<string>();
        Assert.That(PngBaker.Unbake(await Anonymous().GetByteArrayAsync($"/public/assertions/{award["id"]}/image")).Payload, Is.EqualTo(jws));
        var svg = await Anonymous().GetByteArrayAsync($"/public/assertions/{award["id"]}/image?format=svg");
        Assert.That(SvgBaker.Unbake(svg).Payload, Is.EqualTo(jws));
        Assert.That(Encoding.UTF8.GetString(svg), Does.Contain($"verify=\"{jws}\""));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public async Task RevocationList_ListsEveryRevokedAssertion_AsAnArray(int count)
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        var revoked = new List<string>();
        for (var i = 0; i < count + 1; i++)
        {
            var award = await AwardAsync(partner, badgeClass, $"v{i}@example.org");
            if (i < count)
            {
                await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{award["id"]}/revoke", new { reason = $"raison {i}" }), 200);
                revoked.Add(award["openBadgesId"]!.GetValue<string>());
            }
        }
        var text = await (await Anonymous().GetAsync($"/public/issuers/{partner.IssuerId}/revocations")).Content.ReadAsStringAsync();
        var list = JsonNode.Parse(text)!;
        Assert.That(list["type"]!.GetValue<string>(), Is.EqualTo("RevocationList"));
        Assert.That(list["revokedAssertions"], Is.InstanceOf<JsonArray>(), text);
        var entries = list["revokedAssertions"]!.AsArray();
        Assert.That(entries.Select(e => e!["id"]!.GetValue<string>()), Is.EqualTo(revoked));
        Assert.That(entries.Select(e => e!["revocationReason"]!.GetValue<string>()), Is.EqualTo(Enumerable.Range(0, count).Select(i => $"raison {i}")));
    }

    [Test]
    public async Task Rotation_KeepsOlderBadgesVerifiable_AndJwksListsBothKeys()
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        var before = await AwardAsync(partner, badgeClass, "old@example.org");
        var oldCreator = JsonNode.Parse(Base64Url.Decode(before["jws"]!.GetValue<string>().Split('.')[1]))!["verification"]!["creator"]!.GetValue<string>();

        var rotated = await Json(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/keys/rotate", null), 200);
        var after = await AwardAsync(partner, badgeClass, "new@example.org");
        var newCreator = JsonNode.Parse(Base64Url.Decode(after["jws"]!.GetValue<string>().Split('.')[1]))!["verification"]!["creator"]!.GetValue<string>();
        Assert.That(newCreator, Is.EqualTo(rotated["keyUrl"]!.GetValue<string>()).And.Not.EqualTo(oldCreator));
        Assert.That((await PublicJson($"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{partner.IssuerId}"))["publicKey"]!.GetValue<string>(), Is.EqualTo(newCreator));

        using (var oldKey = await PublishedKey(oldCreator)) { Assert.That(Jws.Verify(before["jws"]!.GetValue<string>(), oldKey).Ok, Is.True, "old badge, old key"); }
        using (var newKey = await PublishedKey(newCreator)) { Assert.That(Jws.Verify(after["jws"]!.GetValue<string>(), newKey).Ok, Is.True); }

        var jwks = await Json(await Anonymous().GetAsync($"/public/issuers/{partner.IssuerId}/jwks.json"), 200);
        Assert.That(jwks["keys"]!.AsArray(), Has.Count.EqualTo(2));
        var listed = await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/keys"));
        Assert.That(listed.Select(k => k!["current"]!.GetValue<bool>()), Is.EqualTo(new[] { true, false }));
        Assert.That(jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()), Is.EquivalentTo(listed.Select(k => k!["thumbprint"]!.GetValue<string>())));
        // Only two keys are configured: a third rotation has nowhere to go.
        await AssertProblem(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/keys/rotate", null), 409);
        var stranger = await NewPartnerAsync("Maison des Associations de Tourcoing");
        await AssertProblem(await stranger.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/keys/rotate", null), 403);
    }

    [Test]
    public async Task PrivateKey_NeverAppearsInResponsesOrLogs()
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        var award = await AwardAsync(partner, badgeClass);
        var secrets = new[] { BadgesApiFactory.BadgeKeyFile, BadgesApiFactory.NextBadgeKeyFile }
            .SelectMany(f => File.ReadAllLines(f).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            .Append(BadgesApiFactory.SigningKey).Append(BadgesApiFactory.AdminSecret).ToList();
        var bodies = new List<string>();
        foreach (var path in new[]
        {
            $"/public/assertions/{award["id"]}", $"/public/assertions/{award["id"]}.jws", $"/public/issuers/{partner.IssuerId}",
            $"/public/issuers/{partner.IssuerId}/jwks.json", $"/public/issuers/{partner.IssuerId}/revocations", "/openapi/v1.json",
        })
        {
            bodies.Add(await (await Anonymous().GetAsync(path)).Content.ReadAsStringAsync());
        }
        bodies.Add(await (await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/keys")).Content.ReadAsStringAsync());
        bodies.Add(await (await partner.Client.GetAsync($"/api/v1/assertions/{award["id"]}")).Content.ReadAsStringAsync());
        bodies.Add(Encoding.Latin1.GetString(await Anonymous().GetByteArrayAsync($"/public/assertions/{award["id"]}/image")));
        var everything = string.Join("\n", bodies.Concat(Factory.Logs.Lines));
        Assert.That(secrets.Where(s => everything.Contains(s, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Jws_VerifiesWithStandardJoseTooling_AgainstTheJwks()
    {
        var (partner, badgeClass) = await SigningPartnerAsync();
        var jws = (await AwardAsync(partner, badgeClass))["jws"]!.GetValue<string>();
        var jwksJson = await (await Anonymous().GetAsync($"/public/issuers/{partner.IssuerId}/jwks.json")).Content.ReadAsStringAsync();
        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwksJson).GetSigningKeys();
        var parameters = new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            IssuerSigningKeys = keys, ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false,
            RequireExpirationTime = false, RequireSignedTokens = true, ValidAlgorithms = ["RS256"],
            TryAllIssuerSigningKeys = true,
        };
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var result = await handler.ValidateTokenAsync(jws, parameters);
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        var tampered = jws[..^4] + (jws[^4] == 'A' ? "B" : "A") + jws[^3..];
        Assert.That((await handler.ValidateTokenAsync(tampered, parameters)).IsValid, Is.False);
    }

    private async Task<string> BadgeIssuer(string badgeUrl) => (await PublicJson(badgeUrl))["issuer"]!.GetValue<string>();
}
