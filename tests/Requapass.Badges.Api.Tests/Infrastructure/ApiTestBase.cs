using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// One running service and one database per fixture and provider. Every test makes its own issuer,
/// classes and awards, so no test depends on another's data. Clients get real tokens from the real
/// token endpoint.
/// </summary>
public abstract class ApiTestBase(DatabaseProvider provider)
{
    private string? _adminToken;

    protected DatabaseProvider Provider { get; } = provider;
    protected BadgesApiFactory Factory { get; set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?>? ExtraSettings => null;

    [OneTimeSetUp]
    public async Task StartService() => Factory = await StartFactoryAsync();

    /// <summary>The fixture's service; a fixture that must place the database itself overrides this.</summary>
    protected virtual Task<BadgesApiFactory> StartFactoryAsync() => BadgesApiFactory.StartAsync(Provider, ExtraSettings);

    [OneTimeTearDown]
    public async Task StopService() => await Factory.DisposeAsync();

    protected HttpClient Anonymous() => Factory.CreateClient();

    protected async Task<HttpClient> AdminAsync()
    {
        _adminToken ??= await TokenAsync(BadgesApiFactory.AdminClientId, BadgesApiFactory.AdminSecret);
        return WithToken(_adminToken);
    }

    /// <summary>Drops the cached admin token: a fixture that moves its test clock by hours needs fresh tokens.</summary>
    protected void ForgetTokens() => _adminToken = null;

    protected HttpClient WithToken(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected async Task<string> TokenAsync(string clientId, string secret)
    {
        var response = await Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { clientId, clientSecret = secret });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await Json(response))["access_token"]!.GetValue<string>();
    }

    /// <summary>A new partner issuer and a staff client of it, with a token.</summary>
    protected async Task<Partner> NewPartnerAsync(string name = "Maison des Associations de Roubaix")
    {
        var admin = await AdminAsync();
        var issuer = await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new
        {
            name, url = "https://mda-roubaix.example.org", email = "contact@mda-roubaix.example.org",
            description = "Partenaire REQUAPASS", telephone = "+33 3 20 00 00 00",
        }), 201);
        var issuerId = issuer["id"]!.GetValue<string>();
        var client = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = $"{name} staff", role = "staff", issuerId }), 201);
        var token = await TokenAsync(client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());
        return new Partner(issuerId, WithToken(token), token);
    }

    /// <summary>A badge class under <paramref name="partner"/>, with a small PNG.</summary>
    /// <summary>A partner with the RECTEC+ catalogue adopted: its classes by RECTEC+ code.</summary>
    protected async Task<(Partner Partner, Dictionary<string, string> Classes)> CataloguePartnerAsync(string name)
    {
        var partner = await NewPartnerAsync(name);
        await Json(await partner.Client.PostAsync($"/api/v1/issuers/{partner.IssuerId}/catalogue", null), 200);
        var classes = await JsonArray(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes"));
        return (partner, classes.ToDictionary(c => c!["catalogueCode"]!.GetValue<string>(), c => c!["id"]!.GetValue<string>()));
    }

    protected async Task<string> NewBadgeClassAsync(Partner partner, string name = "Accueil du public")
    {
        var body = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes", BadgeClassBody(name)), 201);
        return body["id"]!.GetValue<string>();
    }

    protected static object BadgeClassBody(string name = "Accueil du public", string? image = null) => new
    {
        name,
        description = "Accueille et oriente le public de l'association.",
        image = image ?? PngDataUri(),
        criteria = new { narrative = "- Accueille le public\n- Oriente vers la bonne personne" },
        alignment = new[] { new { targetName = "Communiquer à l'oral – niveau 2", targetUrl = "https://example.org/rectec/COM-ORAL-N2", targetFramework = "RECTEC+", targetCode = "COM-ORAL-N2" } },
        tags = new[] { "accueil" },
        translations = new Dictionary<string, object> { ["en"] = new { name = "Welcoming the public", description = "Welcomes people.", criteriaNarrative = "- Welcomes people" } },
    };

    protected async Task<JsonObject> AwardAsync(Partner partner, string badgeClassId, string email = "benevole@example.org", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClassId}/assertions")
        {
            Content = JsonContent.Create(new { recipient = new { type = "email", identity = email }, narrative = "A tenu l'accueil pendant 6 mois." }),
        };
        if (idempotencyKey is not null) { request.Headers.Add("Idempotency-Key", idempotencyKey); }
        return await Json(await partner.Client.SendAsync(request), 201);
    }

    public static byte[] Png(int size = 8, byte shade = 200)
    {
        var pixels = new byte[size * size * 4];
        for (var i = 0; i < pixels.Length; i += 4) { (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = (shade, 80, 40, 255); }
        return PngEncoder.Encode(size, size, pixels);
    }

    public static string PngDataUri(byte[]? png = null) => "data:image/png;base64," + Convert.ToBase64String(png ?? Png());

    public const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#1f77b4"/></svg>""";

    public static string SvgDataUri(string svg = Svg) => "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));

    /// <summary>Reads a JSON body, asserting the status first (with the body in the message when it differs).</summary>
    protected static async Task<JsonObject> Json(HttpResponseMessage response, int? status = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (status is not null) { Assert.That((int)response.StatusCode, Is.EqualTo(status), text); }
        return JsonNode.Parse(text)!.AsObject();
    }

    protected static async Task<JsonArray> JsonArray(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>Asserts an RFC 9457 problem response with the given status and a stable type.</summary>
    protected static async Task<JsonObject> AssertProblem(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.That(problem["type"]?.GetValue<string>(), Does.StartWith("urn:requapass:problem:"), text);
        Assert.That(problem["status"]?.GetValue<int>(), Is.EqualTo(status));
        return problem;
    }

}

public sealed record Partner(string IssuerId, HttpClient Client, string Token);
