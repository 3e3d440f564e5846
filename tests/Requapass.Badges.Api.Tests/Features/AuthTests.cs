using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class AuthTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Test]
    public async Task Token_WithJsonCredentials_ReturnsBearerTokenThatOpensAdminRoutes()
    {
        var response = await Anonymous().PostAsJsonAsync("/api/v1/auth/token",
            new { clientId = BadgesApiFactory.AdminClientId, clientSecret = BadgesApiFactory.AdminSecret });
        var body = await Json(response, 200);
        Assert.That(body["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(body["expires_in"]!.GetValue<int>(), Is.EqualTo(900));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        var list = await WithToken(body["access_token"]!.GetValue<string>()).GetAsync("/api/v1/issuers");
        Assert.That((int)list.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Token_WithOAuthForm_ReturnsToken()
    {
        var response = await Anonymous().PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = BadgesApiFactory.AdminClientId,
            ["client_secret"] = BadgesApiFactory.AdminSecret,
        }));
        Assert.That((await Json(response, 200))["access_token"], Is.Not.Null);
    }

    [TestCase("test-admin", "wrong-secret-wrong-secret")]
    [TestCase("no-such-client", "whatever-whatever-whatever")]
    public async Task Token_WithBadCredentials_Returns401Problem(string clientId, string secret)
    {
        var response = await Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { clientId, clientSecret = secret });
        var problem = await AssertProblem(response, 401);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:invalid-client"));
    }

    [Test]
    public async Task Token_WithMissingFields_Returns400WithFieldErrors()
    {
        var problem = await AssertProblem(await Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { clientId = "x" }), 400);
        Assert.That(problem["errors"]!["clientSecret"], Is.Not.Null);
    }

    [TestCase("/api/v1/issuers")]
    [TestCase("/api/v1/clients")]
    public async Task AdminRoute_WithoutToken_Returns401Problem(string path)
    {
        await AssertProblem(await Anonymous().GetAsync(path), 401);
    }

    [Test]
    public async Task AdminRoute_WithTokenSignedByAnotherKey_Returns401()
    {
        // A foreign issuer's token: well formed, right claims, wrong key.
        var foreign = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = BadgesApiFactory.PublicBaseUrl,
            Audience = "requapass-badges-api",
            Claims = new Dictionary<string, object> { ["sub"] = BadgesApiFactory.AdminClientId, ["role"] = "admin" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
        });
        await AssertProblem(await WithToken(foreign).GetAsync("/api/v1/issuers"), 401);
    }

    [Test]
    public async Task AdminRoute_WithUnsignedToken_Returns401()
    {
        var header = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64Url($"{{\"sub\":\"test-admin\",\"role\":\"admin\",\"iss\":\"{BadgesApiFactory.PublicBaseUrl}\",\"aud\":\"requapass-badges-api\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}");
        await AssertProblem(await WithToken($"{header}.{payload}.").GetAsync("/api/v1/issuers"), 401);
    }

    [Test]
    public async Task DisabledClient_LosesAccessAtOnce()
    {
        var partner = await NewPartnerAsync();
        var admin = await AdminAsync();
        var clients = await JsonArray(await admin.GetAsync("/api/v1/clients"));
        var staffId = clients.Select(c => c!["clientId"]!.GetValue<string>()).Last(id => id.StartsWith("rqc_", StringComparison.Ordinal));
        Assert.That((int)(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}")).StatusCode, Is.EqualTo(200));
        await Json(await admin.PostAsync($"/api/v1/clients/{staffId}/disable", null), 200);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 401);
    }

    [Test]
    public async Task Staff_CannotUsePlatformAdminRoutes()
    {
        var partner = await NewPartnerAsync();
        await AssertProblem(await partner.Client.GetAsync("/api/v1/clients"), 403);
        await AssertProblem(await partner.Client.PostAsJsonAsync("/api/v1/clients", new { name = "x", role = "admin" }), 403);
        await AssertProblem(await partner.Client.PostAsJsonAsync("/api/v1/issuers",
            new { name = "Other", url = "https://o.example.org", email = "o@example.org" }), 403);
    }

    [Test]
    public async Task CreateClient_ReturnsSecretOnce_AndListNeverShowsSecrets()
    {
        var partner = await NewPartnerAsync();
        var admin = await AdminAsync();
        var created = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "Second staff", role = "staff", issuerId = partner.IssuerId }), 201);
        var secret = created["clientSecret"]!.GetValue<string>();
        var list = await (await admin.GetAsync("/api/v1/clients")).Content.ReadAsStringAsync();
        Assert.That(list, Does.Not.Contain(secret));
        Assert.That(list, Does.Not.Contain("pbkdf2"));
        Assert.That(Factory.Logs.Lines, Has.None.Contains(secret));
    }

    [Test]
    public async Task CreateClient_StaffWithoutIssuer_Returns400()
    {
        var admin = await AdminAsync();
        var problem = await AssertProblem(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "x", role = "staff" }), 400);
        Assert.That(problem["errors"]!["issuerId"], Is.Not.Null);
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
