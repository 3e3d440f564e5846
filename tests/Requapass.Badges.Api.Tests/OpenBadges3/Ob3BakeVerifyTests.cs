using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Features;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Core.Tests.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.OpenBadges3;

/// <summary>
/// Issue #16, part 2: a 3.0 credential baked into PNG and SVG (OB 3.0 docformat.md), unbaked and verified
/// (verification.md), ours from the database and a foreign issuer's on a loopback server, and the export's 3.0 files.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class Ob3BakeVerifyTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Email = "benevole@example.org";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Verification:AllowedRanges:0"] = "127.0.0.1/32",
        ["Verification:RequestsPerMinute"] = "100000",
    };

    private GuardedFetcher Fetcher => Factory.Services.GetRequiredService<GuardedFetcher>();

    private async Task<string> TokenAsync(string assertionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{assertionId}/ob3");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(VcJwt.MediaType));
        var response = await Anonymous().SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonObject> VerifyAsync(JsonObject body, string? recipient = Email)
    {
        body["recipient"] = recipient;
        return await Json(await Anonymous().PostAsync("/public/verify", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")), 200);
    }

    private static List<string> Checks(JsonObject report, string status) => VerificationTests.Checks(report, status);

    [Test]
    public async Task Baked_ob3_png_and_svg_round_trip_bake_unbake_verify()
    {
        var partner = await NewPartnerAsync();
        var pngClass = await NewBadgeClassAsync(partner);
        var svgClass = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Travail en équipe", SvgDataUri())), 201))["id"]!.GetValue<string>();
        var onPng = (await AwardAsync(partner, pngClass))["id"]!.GetValue<string>();
        var onSvg = (await AwardAsync(partner, svgClass))["id"]!.GetValue<string>();

        foreach (var (id, kind) in new[] { (onPng, "png"), (onSvg, "svg") })
        {
            var token = await TokenAsync(id);
            var v2Response = await Anonymous().GetAsync($"/public/assertions/{id}/image");
            var v3Response = await Anonymous().GetAsync($"/public/assertions/{id}/image?version=3");
            Assert.That((int)v3Response.StatusCode, Is.EqualTo(200), await v3Response.Content.ReadAsStringAsync());
            Assert.That(v3Response.Content.Headers.ContentType!.MediaType, Is.EqualTo(kind == "png" ? "image/png" : "image/svg+xml"));
            Assert.That(v3Response.Headers.ETag, Is.Not.EqualTo(v2Response.Headers.ETag), "each version has its own ETag");
            var v2 = await v2Response.Content.ReadAsByteArrayAsync();
            var v3 = await v3Response.Content.ReadAsByteArrayAsync();
            // The 2.0 answer is still the 2.0 bake after a 3.0 one was kept (distinct cache keys), and vice versa.
            Assert.That(await Anonymous().GetByteArrayAsync($"/public/assertions/{id}/image"), Is.EqualTo(v2));
            Assert.That(await Anonymous().GetByteArrayAsync($"/public/assertions/{id}/image?version=3"), Is.EqualTo(v3));

            var unbaked = kind == "png" ? PngBaker.Unbake(v3) : SvgBaker.Unbake(v3);
            Assert.That((unbaked.Ok, unbaked.Version, unbaked.Payload), Is.EqualTo((true, 3, token)), "the image carries the VC-JWT /ob3 serves");
            Assert.That((kind == "png" ? PngBaker.Unbake(v2) : SvgBaker.Unbake(v2)).Version, Is.EqualTo(2));
            var text = Encoding.Latin1.GetString(v3);
            if (kind == "png")
            {
                // docformat.md "PNG: Baking": one iTXt openbadgecredential, uncompressed, and no 2.0 chunk beside it.
                Assert.That(text.Split("iTXtopenbadgecredential\0\0\0\0\0").Length - 1, Is.EqualTo(1));
                Assert.That(text, Does.Not.Contain("openbadges\0"));
            }
            else
            {
                // docformat.md "SVG: Baking": the 3.0 namespace and an openbadges:credential whose verify is the VC-JWT.
                Assert.That(text, Does.Contain("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"").And.Contain($"<openbadges:credential verify=\"{token}\""));
                Assert.That(text, Does.Not.Contain("openbadges:assertion"));
            }

            var unbake = new ByteArrayContent(v3);
            unbake.Headers.ContentType = new MediaTypeHeaderValue(kind == "png" ? "image/png" : "image/svg+xml");
            var read = await Json(await partner.Client.PostAsync("/api/v1/unbake", unbake), 200);
            Assert.That((read["version"]!.GetValue<int>(), read["kind"]!.GetValue<string>(), read["payload"]!.GetValue<string>()), Is.EqualTo((3, "vc-jwt", token)));
            Assert.That(read["assertion"]!["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}/ob3"));

            var connects = Fetcher.Connects;
            var input = kind == "png" ? CorpusInput.Png(v3, Email) : CorpusInput.Svg(v3, Email);
            var report = await Json(await Anonymous().SendAsync(VerificationTests.Request(input)), 200);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report["checks"]!.ToJsonString());
            Assert.That((report["openBadgesVersion"]!.GetValue<int>(), report["input"]!.GetValue<string>(), report["recipientMatches"]!.GetValue<bool>()), Is.EqualTo((3, kind, true)));
            Assert.That(Checks(report, "pass"), Is.SupersetOf(new[] { "credential.jwt", "signed.key", "signed.signature", "credential.claims", "revocation", "time.validFrom", "recipient.match", "issuer.id" }));
            Assert.That(Fetcher.Connects, Is.EqualTo(connects), "our own credentials are verified from the database");
        }
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{onPng}/image?version=4"), 400);
    }

    [Test]
    public async Task Own_credential_verifies_as_jwt_json_and_url_and_fails_tampered_wrong_recipient_then_revoked()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var token = await TokenAsync(id);
        var json = await Json(await Anonymous().GetAsync($"/public/assertions/{id}/ob3"), 200);
        var url = $"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}/ob3";

        foreach (var (input, body) in new[]
        {
            ("credential", new JsonObject { ["credential"] = token }),
            ("credential", new JsonObject { ["credential"] = json.DeepClone() }),
            ("jws", new JsonObject { ["jws"] = token }),
            ("url", new JsonObject { ["url"] = url }),
        })
        {
            var report = await VerifyAsync(body);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, $"{body.First().Key}: {report["checks"]!.ToJsonString()}");
            Assert.That((report["input"]!.GetValue<string>(), report["openBadgesVersion"]!.GetValue<int>(), report["recipientMatches"]!.GetValue<bool>()), Is.EqualTo((input, 3, true)));
            Assert.That(report["assertion"]!["id"]!.GetValue<string>(), Is.EqualTo(url));
            Assert.That(report["issuer"]!["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{partner.IssuerId}/ob3"));
        }

        var wrong = await VerifyAsync(new JsonObject { ["credential"] = token }, "autre@example.org");
        Assert.That((wrong["valid"]!.GetValue<bool>(), wrong["recipientMatches"]!.GetValue<bool>()), Is.EqualTo((false, false)));
        Assert.That(Checks(wrong, "fail"), Is.EqualTo(new[] { "recipient.match" }));

        // Tampered: another name in the payload, the issuer's signature kept.
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64Url.Decode(parts[1]))!.AsObject();
        payload["name"] = "Un autre badge";
        var tampered = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        var bad = await VerifyAsync(new JsonObject { ["credential"] = tampered });
        Assert.That(bad["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(Checks(bad, "fail"), Does.Contain("signed.signature"));

        var revoke = await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Attribué par erreur" });
        Assert.That((int)revoke.StatusCode, Is.EqualTo(200));
        foreach (var body in new[] { new JsonObject { ["credential"] = token }, new JsonObject { ["credential"] = json.DeepClone() } })
        {
            var revoked = await VerifyAsync(body);
            Assert.That((revoked["valid"]!.GetValue<bool>(), revoked["revoked"]!.GetValue<bool>()), Is.EqualTo((false, true)), revoked["checks"]!.ToJsonString());
            Assert.That(revoked["revocationReason"]!.GetValue<string>(), Is.EqualTo("Attribué par erreur"));
            Assert.That(Checks(revoked, "fail"), Is.EqualTo(new[] { "revocation" }));
        }
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{id}/image?version=3"), 410);
    }

    /// <summary>Another issuer's OB 3.0 documents on the loopback server: a Profile listing its key, the JWK at the kid, a revocation list.</summary>
    private static string ForeignCredential(ForeignIssuer foreign, Action<JsonObject>? change = null, SigningKey? key = null, string? kid = null)
    {
        var salt = "s3l-ob3";
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
            ["id"] = foreign.Base + "/ob3/credentials/1",
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["issuer"] = new JsonObject { ["id"] = foreign.Base + "/ob3/issuer", ["type"] = new JsonArray("Profile"), ["name"] = "Association Exemple" },
            ["validFrom"] = "2026-03-01T10:00:00Z",
            ["name"] = "Accueil du public",
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = "did:example:volunteer-1",
                ["type"] = new JsonArray("AchievementSubject"),
                ["identifier"] = new JsonArray(new JsonObject
                {
                    ["type"] = "IdentityObject", ["identityType"] = "emailAddress", ["hashed"] = true, ["salt"] = salt,
                    ["identityHash"] = "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Email + salt))),
                }),
                ["achievement"] = new JsonObject
                {
                    ["id"] = foreign.Base + "/ob3/achievement", ["type"] = new JsonArray("Achievement"), ["name"] = "Accueil du public",
                    ["description"] = "Accueillir le public.", ["criteria"] = new JsonObject { ["narrative"] = "Six mois d'accueil." },
                },
            },
            ["credentialStatus"] = new JsonObject { ["id"] = foreign.Base + "/ob3/revocations", ["type"] = "1EdTechRevocationList" },
        };
        change?.Invoke(credential);
        // integrity.md, "JWT Payload Format": iss, sub, jti, nbf (and exp) mapped from the credential.
        var claims = credential.DeepClone().AsObject();
        claims["iss"] = credential["issuer"]!["id"]!.GetValue<string>();
        claims["sub"] = credential["credentialSubject"]!["id"]!.GetValue<string>();
        claims["jti"] = credential["id"]!.GetValue<string>();
        claims["nbf"] = DateTimeOffset.Parse(credential["validFrom"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        if (credential["validUntil"] is { } until) { claims["exp"] = DateTimeOffset.Parse(until.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(); }
        return Jws.SignWithHeader(VcJwt.Header(kid ?? foreign.Base + "/ob3/jwk"), Encoding.UTF8.GetBytes(claims.ToJsonString()), key ?? ForeignIssuer.Key);
    }

    private static void ServeOb3(ForeignIssuer foreign, params string[] revoked)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(ForeignIssuer.Key.PublicKeyPem);
        var p = rsa.ExportParameters(false);
        var kid = foreign.Base + "/ob3/jwk";
        foreign.ServeJson("/ob3/issuer", () => new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
            ["id"] = foreign.Base + "/ob3/issuer", ["type"] = new JsonArray("Profile"), ["name"] = "Association Exemple",
            // The key listed by id only: the verifier must dereference the kid through the guarded fetcher.
            ["verificationMethod"] = new JsonArray(new JsonObject { ["id"] = kid, ["type"] = "JsonWebKey" }),
        });
        var jwk = new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["alg"] = "RS256", ["n"] = Base64Url.Encode(p.Modulus), ["e"] = Base64Url.Encode(p.Exponent) };
        foreign.ServeJson("/ob3/jwk", () => jwk);
        foreign.ServeJson("/ob3/revocations", () => new JsonObject
        {
            ["id"] = foreign.Base + "/ob3/revocations", ["issuer"] = foreign.Base + "/ob3/issuer",
            ["revokedCredentials"] = new JsonArray([.. revoked.Select(r => (JsonNode)new JsonObject { ["id"] = r, ["revocationReason"] = "Retiré" })]),
        });
    }

    [Test]
    public async Task Foreign_ob3_credential_on_a_local_server_valid_revoked_expired_tampered_and_unlinked_key()
    {
        await using var foreign = new ForeignIssuer();
        ServeOb3(foreign);
        var connects = Fetcher.Connects;
        var valid = await VerifyAsync(new JsonObject { ["credential"] = ForeignCredential(foreign) });
        Assert.That(valid["valid"]!.GetValue<bool>(), Is.True, valid["checks"]!.ToJsonString());
        Assert.That(valid["recipientMatches"]!.GetValue<bool>(), Is.True);
        Assert.That(Checks(valid, "pass"), Is.SupersetOf(new[] { "signed.key", "signed.signature", "credential.claims", "revocation", "issuer.id", "time.validFrom" }));
        Assert.That(Fetcher.Connects, Is.GreaterThan(connects), "a foreign issuer's documents come through the guarded fetcher");

        // Baked into a PNG by the foreign issuer: the same verdict.
        var png = PngBaker.Bake(Png(), ForeignCredential(foreign), credential: true);
        var baked = await Json(await Anonymous().SendAsync(VerificationTests.Request(CorpusInput.Png(png, Email))), 200);
        Assert.That((baked["valid"]!.GetValue<bool>(), baked["openBadgesVersion"]!.GetValue<int>()), Is.EqualTo((true, 3)), baked["checks"]!.ToJsonString());

        var wrong = await VerifyAsync(new JsonObject { ["credential"] = ForeignCredential(foreign) }, "autre@example.org");
        Assert.That((wrong["valid"]!.GetValue<bool>(), wrong["recipientMatches"]!.GetValue<bool>()), Is.EqualTo((false, false)));

        var expired = await VerifyAsync(new JsonObject { ["credential"] = ForeignCredential(foreign, c => { c["validFrom"] = "2025-01-01T00:00:00Z"; c["validUntil"] = "2025-06-01T00:00:00Z"; }) });
        Assert.That((expired["valid"]!.GetValue<bool>(), expired["expired"]!.GetValue<bool>()), Is.EqualTo((false, true)));
        Assert.That(Checks(expired, "fail"), Is.EqualTo(new[] { "time.validUntil" }));

        var otherKey = await VerifyAsync(new JsonObject { ["credential"] = ForeignCredential(foreign, key: ForeignIssuer.OtherKey) });
        Assert.That(Checks(otherKey, "fail"), Is.EqualTo(new[] { "signed.signature" }));

        // A kid on another origin, not listed by the issuer's profile: not trusted, whatever it signs.
        var unlinked = await VerifyAsync(new JsonObject { ["credential"] = ForeignCredential(foreign, kid: foreign.Mirror.Base + "/ob3/jwk") });
        Assert.That(unlinked["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(Checks(unlinked, "fail"), Does.Contain("signed.key"));

        var claimsDisagree = await VerifyAsync(new JsonObject
        {
            ["credential"] = Jws.SignWithHeader(VcJwt.Header(foreign.Base + "/ob3/jwk"),
                Encoding.UTF8.GetBytes(JsonNode.Parse(Base64Url.Decode(ForeignCredential(foreign).Split('.')[1]))!.AsObject().Also(o => o["jti"] = foreign.Base + "/other").ToJsonString()),
                ForeignIssuer.Key),
        });
        Assert.That(Checks(claimsDisagree, "fail"), Is.EqualTo(new[] { "credential.claims" }));

        ServeOb3(foreign, foreign.Base + "/ob3/credentials/1");
        var revoked = await VerifyAsync(new JsonObject { ["credential"] = ForeignCredential(foreign) });
        Assert.That((revoked["valid"]!.GetValue<bool>(), revoked["revoked"]!.GetValue<bool>(), revoked["revocationReason"]!.GetValue<string>()), Is.EqualTo((false, true, "Retiré")));
    }

    [Test]
    public async Task Export_carries_the_ob3_credentials_and_each_jwt_verifies()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var awarded = new[] { await AwardAsync(partner, badgeClass, "a@example.org"), await AwardAsync(partner, badgeClass, "b@example.org") }
            .Select(a => a["id"]!.GetValue<string>()).ToList();
        var revokedId = (await AwardAsync(partner, badgeClass, "c@example.org"))["id"]!.GetValue<string>();
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{revokedId}/revoke", new { reason = "Erreur" });

        var package = await ExportTests.Unzip(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?includeRevoked=true"));
        var manifest = JsonNode.Parse(package["manifest.json"])!;
        Assert.That(manifest["version"]!.GetValue<string>(), Is.EqualTo("1.1"));
        Assert.That(manifest["counts"]!["credentials"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(package.Keys.Where(k => k.StartsWith("credentials/", StringComparison.Ordinal)), Is.EquivalentTo(awarded.Select(a => $"credentials/{a}.jwt")),
            "one VC-JWT per award that is not revoked");
        var profile = JsonNode.Parse(package["issuer.ob3.json"])!;
        Assert.That(profile["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{partner.IssuerId}/ob3"));
        foreach (var (id, email) in awarded.Zip(new[] { "a@example.org", "b@example.org" }))
        {
            var token = Encoding.ASCII.GetString(package[$"credentials/{id}.jwt"]);
            Assert.That(token, Is.EqualTo(await TokenAsync(id)), "the exported token is the one /ob3 serves");
            // Offline, with the key the package's own issuer.ob3.json lists under the token's kid.
            var kid = VcJwt.KeyId(Jws.Parse(token))!;
            var jwk = profile["verificationMethod"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == kid)!["publicKeyJwk"]!;
            using var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.Decode(jwk["n"]!.GetValue<string>()), Exponent = Base64Url.Decode(jwk["e"]!.GetValue<string>()) });
            Assert.That(VcJwt.Verify(token, rsa, DateTimeOffset.UtcNow).Ok, Is.True);
            var report = await VerifyAsync(new JsonObject { ["credential"] = token }, email);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report["checks"]!.ToJsonString());
        }
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
