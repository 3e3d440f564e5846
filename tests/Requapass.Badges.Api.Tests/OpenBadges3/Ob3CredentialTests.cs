using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.OpenBadges3;

/// <summary>Issue #16, part 1: every award is also an Open Badges 3.0 credential, linked to its 2.0 twin.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class Ob3CredentialTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Base = BadgesApiFactory.PublicBaseUrl;

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private async Task<HttpResponseMessage> GetAsync(string path, params string[] accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var a in accept) { request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(a)); }
        return await Anonymous().SendAsync(request);
    }

    /// <summary>A RECTEC+ class of a catalogue partner, awarded with evidence and an expiry.</summary>
    private async Task<(Partner Partner, string BadgeClass, JsonObject Award)> CatalogueAwardAsync(string email = "benevole@example.org")
    {
        var (partner, classes) = await CataloguePartnerAsync("Centre social de Tourcoing");
        var badgeClass = classes.First(c => c.Key.EndsWith("-N2", StringComparison.Ordinal)).Value;
        var award = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", new
        {
            recipient = new { type = "email", identity = email },
            narrative = "A animé l'accueil du public pendant la fête de quartier.",
            evidence = new[] { new { id = "https://example.org/photos/fete", name = "Photos", narrative = "L'accueil en images." } },
            expires = DateTimeOffset.UtcNow.AddYears(2),
        }), 201);
        return (partner, badgeClass, award);
    }

    [Test]
    public async Task Award_ThenReadAsOb3Json_ConformsToTheSchema_AndCarriesTheSameAward()
    {
        var (partner, badgeClass, award) = await CatalogueAwardAsync();
        var id = award["id"]!.GetValue<string>();
        var v2 = await Json(await GetAsync($"/public/assertions/{id}"), 200);

        var response = await GetAsync($"/public/assertions/{id}/ob3");
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vc+ld+json"));
        var credential = await Json(response, 200);
        Assert.That(Ob3Schemas.CredentialErrors(credential), Is.Empty);
        // The schema does catch what the spec requires.
        var broken = credential.DeepClone().AsObject();
        broken.Remove("validFrom");
        broken["credentialSubject"]!["identifier"]![0]!["identityType"] = "email";
        Assert.That(Ob3Schemas.CredentialErrors(broken), Has.Count.GreaterThanOrEqualTo(2));

        Assert.That(credential["@context"]!.AsArray().Select(c => c!.GetValue<string>()),
            Is.EqualTo(new[] { "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" }));
        Assert.That(credential["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "VerifiableCredential", "OpenBadgeCredential" }));
        Assert.That(credential["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/assertions/{id}/ob3"));
        Assert.That(credential["issuer"]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{partner.IssuerId}/ob3"));
        Assert.That(credential["validFrom"]!.GetValue<string>(), Is.EqualTo(v2["issuedOn"]!.GetValue<string>()));
        Assert.That(credential["validUntil"]!.GetValue<string>(), Is.EqualTo(v2["expires"]!.GetValue<string>()));

        // The same salted hash as 2.0, and it matches the address (OB 3.0 "Verify the Recipient Using an Identifier").
        var subject = credential["credentialSubject"]!;
        var identity = subject["identifier"]![0]!;
        Assert.That(identity["type"]!.GetValue<string>(), Is.EqualTo("IdentityObject"));
        Assert.That(identity["identityType"]!.GetValue<string>(), Is.EqualTo("emailAddress"));
        Assert.That(identity["identityHash"]!.GetValue<string>(), Is.EqualTo(v2["recipient"]!["identity"]!.GetValue<string>()));
        Assert.That(identity["salt"]!.GetValue<string>(), Is.EqualTo(v2["recipient"]!["salt"]!.GetValue<string>()));
        var expected = "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("benevole@example.org" + identity["salt"]!.GetValue<string>())));
        Assert.That(identity["identityHash"]!.GetValue<string>(), Is.EqualTo(expected));
        Assert.That(subject["id"]!.GetValue<string>(), Does.Match("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        Assert.That(credential.ToJsonString(), Does.Not.Contain("benevole@example.org"), "no clear address");
        Assert.That(subject["narrative"]!.GetValue<string>(), Is.EqualTo(v2["narrative"]!.GetValue<string>()));

        // The 2.0 twin is the first evidence, typed with the 2.0 Assertion IRI; the award's evidence follows.
        var evidence = credential["evidence"]!.AsArray();
        Assert.That(evidence[0]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/assertions/{id}"));
        Assert.That(evidence[0]!["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "Evidence", "https://w3id.org/openbadges#Assertion" }));
        Assert.That(evidence[1]!["id"]!.GetValue<string>(), Is.EqualTo("https://example.org/photos/fete"));
        Assert.That(evidence[1]!["narrative"]!.GetValue<string>(), Is.EqualTo("L'accueil en images."));

        // The achievement is the class: RECTEC+ competency, criteria, image, alignment, the 2.0 class related.
        var v2Class = await Json(await GetAsync($"/public/badges/{badgeClass}"), 200);
        var achievement = subject["achievement"]!;
        Assert.That(achievement["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/ob3"));
        Assert.That(achievement["achievementType"]!.GetValue<string>(), Is.EqualTo("Competency"));
        Assert.That(achievement["name"]!.GetValue<string>(), Is.EqualTo(v2Class["name"]!.GetValue<string>()));
        Assert.That(achievement["criteria"]!["narrative"]!.GetValue<string>(), Is.EqualTo(v2Class["criteria"]!["narrative"]!.GetValue<string>()));
        Assert.That(achievement["image"]!["id"]!.GetValue<string>(), Is.EqualTo(v2Class["image"]!.GetValue<string>()));
        Assert.That(achievement["alignment"]![0]!["targetUrl"]!.GetValue<string>(), Is.EqualTo(v2Class["alignment"]![0]!["targetUrl"]!.GetValue<string>()));
        Assert.That(achievement["humanCode"]!.GetValue<string>(), Does.EndWith("-N2"));
        Assert.That(achievement["related"]![0]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}"));
        Assert.That(credential["credentialStatus"]!["type"]!.GetValue<string>(), Is.EqualTo("1EdTechRevocationList"));
    }

    [Test]
    public async Task VcJwt_VerifiesWithIdentityModel_AgainstThePublishedJwks()
    {
        var (partner, _, award) = await CatalogueAwardAsync();
        var id = award["id"]!.GetValue<string>();
        var response = await GetAsync($"/public/assertions/{id}/ob3", "application/vc+jwt");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vc+jwt"));
        var token = await response.Content.ReadAsStringAsync();

        // OB 3.0 "Create the JOSE Header": alg RS256, kid a URL that dereferences to the JWK, typ JWT, nothing else.
        var header = JsonNode.Parse(Base64Url.Decode(token.Split('.')[0]))!.AsObject();
        Assert.That(header.Select(p => p.Key), Is.EquivalentTo(new[] { "alg", "kid", "typ" }));
        Assert.That(header["alg"]!.GetValue<string>(), Is.EqualTo("RS256"));
        Assert.That(header["typ"]!.GetValue<string>(), Is.EqualTo("JWT"));
        var kid = header["kid"]!.GetValue<string>();
        Assert.That(kid, Does.StartWith($"{Base}/public/keys/").And.EndWith("/jwk"));
        var jwkResponse = await GetAsync(PathOf(kid));
        Assert.That(jwkResponse.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/jwk+json"));
        var jwk = await Json(jwkResponse, 200);
        Assert.That(jwk["kid"]!.GetValue<string>(), Is.EqualTo(kid));
        Assert.That(jwk["d"], Is.Null, "never a private part");

        // An independent JOSE implementation, given only the issuer's published JWKS.
        var jwksText = await (await GetAsync($"/public/issuers/{partner.IssuerId}/ob3/jwks.json")).Content.ReadAsStringAsync();
        var jwks = new JsonWebKeySet(jwksText);
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = $"{Base}/public/issuers/{partner.IssuerId}/ob3",
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = false,
        };
        var handler = new JsonWebTokenHandler();
        var result = await handler.ValidateTokenAsync(token, parameters);
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.That(jwt.Kid, Is.EqualTo(kid));

        // The claims as the spec maps them ("JWT Payload Format"), against the JSON representation.
        var credential = await Json(await GetAsync($"/public/assertions/{id}/ob3"), 200);
        Assert.That(jwt.Issuer, Is.EqualTo(credential["issuer"]!["id"]!.GetValue<string>()));
        Assert.That(jwt.Subject, Is.EqualTo(credential["credentialSubject"]!["id"]!.GetValue<string>()));
        Assert.That(jwt.Id, Is.EqualTo(credential["id"]!.GetValue<string>()));
        Assert.That(new DateTimeOffset(jwt.ValidFrom).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), Is.EqualTo(credential["validFrom"]!.GetValue<string>()));
        Assert.That(new DateTimeOffset(jwt.ValidTo).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), Is.EqualTo(credential["validUntil"]!.GetValue<string>()));
        var payload = JsonNode.Parse(Base64Url.Decode(token.Split('.')[1]))!.AsObject();
        Assert.That(Ob3Schemas.CredentialErrors(payload), Is.Empty, "the JWT payload is the credential");
        foreach (var claim in new[] { "iss", "sub", "jti", "nbf", "exp" }) { payload.Remove(claim); }
        Assert.That(payload.ToJsonString(), Is.EqualTo(credential.ToJsonString()), "the payload is the JSON representation plus the claims");

        // Our own reader agrees; a changed payload or another key fails both.
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.Decode(jwk["n"]!.GetValue<string>()), Exponent = Base64Url.Decode(jwk["e"]!.GetValue<string>()) });
        Assert.That(VcJwt.Verify(token, rsa, DateTimeOffset.UtcNow).Code, Is.EqualTo("ok"));
        var parts = token.Split('.');
        var tampered = JsonNode.Parse(Base64Url.Decode(parts[1]))!.AsObject();
        tampered["validUntil"] = "2099-01-01T00:00:00Z";
        var forged = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(tampered.ToJsonString()))}.{parts[2]}";
        Assert.That((await handler.ValidateTokenAsync(forged, parameters)).IsValid, Is.False);
        Assert.That(VcJwt.Verify(forged, rsa, DateTimeOffset.UtcNow).Code, Is.EqualTo("jws.bad_signature"));
        var otherKey = VcJwt.Sign(new OpenBadgeCredentialProbe().Credential, SigningKey.Generate().Key, kid);
        Assert.That((await handler.ValidateTokenAsync(otherKey, parameters)).IsValid, Is.False);
    }

    [Test]
    public async Task SignedAward_IsSecuredWithTheKeyThatSignedItsTwin()
    {
        var partner = await NewPartnerAsync();
        await Json(await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", new
        {
            name = "Maison des Associations de Roubaix", url = "https://mda-roubaix.example.org", email = "contact@mda-roubaix.example.org", defaultVerification = "signed",
        }), 200);
        var award = await AwardAsync(partner, await NewBadgeClassAsync(partner));
        var v2 = JsonNode.Parse(Base64Url.Decode(award["jws"]!.GetValue<string>().Split('.')[1]))!;
        var creatorKeyId = new Uri(v2["verification"]!["creator"]!.GetValue<string>()).Segments[^1];
        var token = await (await GetAsync($"/public/assertions/{award["id"]}/ob3", "application/vc+jwt")).Content.ReadAsStringAsync();
        var header = JsonNode.Parse(Base64Url.Decode(token.Split('.')[0]))!;
        Assert.That(header["kid"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/keys/{creatorKeyId}/jwk"));
        var credential = await Json(await GetAsync($"/public/assertions/{award["id"]}/ob3"), 200);
        Assert.That(Ob3Schemas.CredentialErrors(credential), Is.Empty);
        // A signed 2.0 twin's own id is a urn:uuid; the evidence names the URL that serves it.
        Assert.That(credential["evidence"]![0]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/assertions/{award["id"]}"));
        Assert.That(credential["credentialSubject"]!["achievement"]!["achievementType"]!.GetValue<string>(), Is.EqualTo("Badge"), "not a RECTEC+ class");
    }

    [Test]
    public async Task Revoke_ThenStatusListSaysRevoked_AndOb3AnswersAs20Does()
    {
        var (partner, _, award) = await CatalogueAwardAsync();
        var id = award["id"]!.GetValue<string>();
        var other = await AwardAsync(partner, (await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes")))[0]!["id"]!.GetValue<string>(), "autre@example.org");
        var credential = await Json(await GetAsync($"/public/assertions/{id}/ob3"), 200);
        var statusUrl = credential["credentialStatus"]!["id"]!.GetValue<string>();
        Assert.That(statusUrl, Is.EqualTo($"{Base}/public/issuers/{partner.IssuerId}/ob3/revocations"));
        var before = await Json(await GetAsync(PathOf(statusUrl)), 200);
        Assert.That(before["revokedCredentials"]!.AsArray(), Is.Empty);
        Assert.That(before["issuer"]!.GetValue<string>(), Is.EqualTo(credential["issuer"]!["id"]!.GetValue<string>()));

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Attribué par erreur" }), 200);

        var after = await Json(await GetAsync(PathOf(statusUrl)), 200);
        var entry = after["revokedCredentials"]!.AsArray().Single()!;
        Assert.That(entry["id"]!.GetValue<string>(), Is.EqualTo(credential["id"]!.GetValue<string>()));
        Assert.That(entry["revocationReason"]!.GetValue<string>(), Is.EqualTo("Attribué par erreur"));
        Assert.That(after.ToJsonString(), Does.Not.Contain(other["id"]!.GetValue<string>()), "only the revoked award");
        // The same awards as the 2.0 RevocationList.
        var v2List = await Json(await GetAsync($"/public/issuers/{partner.IssuerId}/revocations"), 200);
        Assert.That(v2List["revokedAssertions"]!.AsArray().Count, Is.EqualTo(1));

        // The ob3 URL, in both representations, and the negotiated assertion URL answer as the 2.0 URL does.
        var v2Gone = await GetAsync($"/public/assertions/{id}");
        var v2Body = await v2Gone.Content.ReadAsStringAsync();
        Assert.That((int)v2Gone.StatusCode, Is.EqualTo(410));
        foreach (var (path, accept) in new[] { ($"/public/assertions/{id}/ob3", "application/vc+ld+json"), ($"/public/assertions/{id}/ob3", "application/vc+jwt"), ($"/public/assertions/{id}", "application/vc+jwt") })
        {
            var gone = await GetAsync(path, accept);
            Assert.That((int)gone.StatusCode, Is.EqualTo(410), $"{path} {accept}");
            Assert.That(await gone.Content.ReadAsStringAsync(), Is.EqualTo(v2Body));
        }
    }

    [Test]
    public async Task AssertionUrl_NegotiatesOb3_AndKeepsThe20Bytes()
    {
        var (_, _, award) = await CatalogueAwardAsync();
        var id = award["id"]!.GetValue<string>();
        var v2 = await GetAsync($"/public/assertions/{id}");
        var v2Bytes = await v2.Content.ReadAsByteArrayAsync();
        Assert.That(JsonNode.Parse(v2Bytes)!["@context"]!.GetValue<string>(), Is.EqualTo("https://w3id.org/openbadges/v2"));
        foreach (var accept in new[] { "*/*", "application/ld+json", "application/json", "application/ld+json|application/vc+ld+json;q=0.5" })
        {
            var same = await GetAsync($"/public/assertions/{id}", accept.Split('|'));
            Assert.That(await same.Content.ReadAsByteArrayAsync(), Is.EqualTo(v2Bytes), accept);
            Assert.That(same.Headers.ETag, Is.EqualTo(v2.Headers.ETag), accept);
        }
        var json = await GetAsync($"/public/assertions/{id}", "application/vc+ld+json");
        var ob3Json = await GetAsync($"/public/assertions/{id}/ob3");
        Assert.That(json.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vc+ld+json"));
        Assert.That(await json.Content.ReadAsByteArrayAsync(), Is.EqualTo(await ob3Json.Content.ReadAsByteArrayAsync()));
        var jwt = await GetAsync($"/public/assertions/{id}", "application/vc+jwt", "application/ld+json;q=0.9");
        Assert.That(jwt.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vc+jwt"));
        Assert.That(await jwt.Content.ReadAsStringAsync(), Is.EqualTo(await (await GetAsync($"/public/assertions/{id}/ob3", "application/vc+jwt")).Content.ReadAsStringAsync()));
        var browser = await GetAsync($"/public/assertions/{id}", "text/html", "application/xhtml+xml", "*/*;q=0.8");
        Assert.That(browser.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));

        // Each representation its own ETag, all varying on Accept; a revalidation of the JWT is a 304.
        var tags = new[] { v2, json, jwt, browser }.Select(r => r.Headers.ETag!.Tag).ToList();
        Assert.That(tags, Is.Unique);
        foreach (var r in new[] { v2, json, jwt, browser }) { Assert.That(r.Headers.Vary, Does.Contain("Accept")); }
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{id}");
        revalidate.Headers.Accept.ParseAdd("application/vc+jwt");
        revalidate.Headers.IfNoneMatch.Add(jwt.Headers.ETag!);
        Assert.That((int)(await Anonymous().SendAsync(revalidate)).StatusCode, Is.EqualTo(304));
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{id}");
        stale.Headers.Accept.ParseAdd("application/vc+jwt");
        stale.Headers.IfNoneMatch.Add(json.Headers.ETag!);
        Assert.That((int)(await Anonymous().SendAsync(stale)).StatusCode, Is.EqualTo(200), "the JSON's tag is not the JWT's");
    }

    [Test]
    public async Task Profile_ListsItsKeysAsJwks_WhoseKidsResolve_AndLinksThe20Profile()
    {
        var (partner, _, award) = await CatalogueAwardAsync();
        // A JWT of a hosted award: signed with the issuer's current key (published since the issuer was created).
        var token = await (await GetAsync($"/public/assertions/{award["id"]}/ob3", "application/vc+jwt")).Content.ReadAsStringAsync();
        var kid = JsonNode.Parse(Base64Url.Decode(token.Split('.')[0]))!["kid"]!.GetValue<string>();
        var profile = await Json(await GetAsync($"/public/issuers/{partner.IssuerId}/ob3"), 200);
        Assert.That(Ob3Schemas.ProfileErrors(profile), Is.Empty);
        Assert.That(profile["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{partner.IssuerId}/ob3"));
        var v2Profile = await Json(await GetAsync($"/public/issuers/{partner.IssuerId}"), 200);
        Assert.That(profile["phone"]!.GetValue<string>(), Is.EqualTo(v2Profile["telephone"]!.GetValue<string>()));
        Assert.That(profile["name"]!.GetValue<string>(), Is.EqualTo(v2Profile["name"]!.GetValue<string>()));
        Assert.That(profile["otherIdentifier"]![0]!["identifier"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{partner.IssuerId}"));
        var method = profile["verificationMethod"]!.AsArray().Single()!;
        Assert.That(method["id"]!.GetValue<string>(), Is.EqualTo(kid));
        Assert.That(method["controller"]!.GetValue<string>(), Is.EqualTo(profile["id"]!.GetValue<string>()));
        var jwk = await Json(await GetAsync(PathOf(kid)), 200);
        Assert.That(method["publicKeyJwk"]!.ToJsonString(), Is.EqualTo(jwk.ToJsonString()));
        var jwks = await Json(await GetAsync($"/public/issuers/{partner.IssuerId}/ob3/jwks.json"), 200);
        Assert.That(jwks["keys"]![0]!.ToJsonString(), Is.EqualTo(jwk.ToJsonString()));

        // The same key as the 2.0 CryptographicKey at the same id.
        var v2Key = await Json(await GetAsync(PathOf(kid[..^"/jwk".Length])), 200);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(v2Key["publicKeyPem"]!.GetValue<string>());
        Assert.That(Base64Url.Encode(rsa.ExportParameters(false).Modulus), Is.EqualTo(jwk["n"]!.GetValue<string>()));
    }

    [Test]
    public async Task Achievement_IsServedInEachLanguage_AndUnknownOnesAre404()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var achievement = await Json(await GetAsync($"/public/badges/{badgeClass}/ob3"), 200);
        Assert.That(achievement["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "Achievement" }));
        Assert.That(achievement["inLanguage"]!.GetValue<string>(), Is.EqualTo("fr"));
        Assert.That(achievement["criteria"]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/criteria"));
        var related = achievement["related"]!.AsArray();
        Assert.That(related[0]!["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "Related", "https://w3id.org/openbadges#BadgeClass" }));
        Assert.That(related[0]!["version"]!.GetValue<string>(), Is.EqualTo("Open Badges v2p0"));
        Assert.That(related[1]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/ob3?lang=en"));

        var english = await Json(await GetAsync($"/public/badges/{badgeClass}/ob3?lang=en"), 200);
        Assert.That(english["name"]!.GetValue<string>(), Is.EqualTo("Welcoming the public"));
        Assert.That(english["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/ob3?lang=en"));
        Assert.That(english["related"]![0]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/translations/en"));
        Assert.That(english["related"]![1]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/badges/{badgeClass}/ob3"));
        await AssertProblem(await GetAsync($"/public/badges/{badgeClass}/ob3?lang=nl"), 404);
        await AssertProblem(await GetAsync("/public/badges/nosuchclassxxxxx/ob3"), 404);
        await AssertProblem(await GetAsync("/public/assertions/nosuchassertion1/ob3", "application/vc+jwt"), 404);
        await AssertProblem(await GetAsync("/public/keys/nosuchkeyxxxxxxx/jwk"), 404);
        await AssertProblem(await GetAsync("/public/issuers/nosuchissuerxxxx/ob3/revocations"), 404);
    }
}

/// <summary>A minimal credential for signing with a key the issuer never published.</summary>
internal sealed class OpenBadgeCredentialProbe
{
    public OpenBadgeCredential Credential { get; } = new()
    {
        Id = "https://badges.example.test/public/assertions/x/ob3",
        Issuer = new Profile { Id = "https://badges.example.test/public/issuers/x/ob3" },
        ValidFrom = DateTimeOffset.UnixEpoch,
        CredentialSubject = new AchievementSubject
        {
            Id = "urn:uuid:00000000-0000-8000-8000-000000000000",
            Achievement = new Achievement { Id = "https://badges.example.test/public/badges/x/ob3", Name = "x", Description = "x", Criteria = new Criteria(null, "x") },
        },
    };
}
