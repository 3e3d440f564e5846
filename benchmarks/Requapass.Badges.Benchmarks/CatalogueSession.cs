using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Requapass.Badges.Benchmarks;

/// <summary>
/// What every load client starts with: an HTTP client with a bearer token from the token endpoint,
/// the REQUAPASS issuer (the catalogue owner) and its first catalogue class.
/// </summary>
public sealed record CatalogueSession(HttpClient Http, string Token, string Issuer, string BadgeClass) : IDisposable
{
    public static async Task<CatalogueSession> StartAsync(string baseUrl, string clientId, string secret, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = timeout };
        var token = (await (await http.PostAsJsonAsync("/api/v1/auth/token", new { clientId, clientSecret = secret }))
            .Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var issuers = (await http.GetFromJsonAsync<JsonArray>("/api/v1/issuers"))!;
        var issuer = issuers.Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!["id"]!.GetValue<string>();
        var badgeClass = (await http.GetFromJsonAsync<JsonArray>($"/api/v1/issuers/{issuer}/badge-classes"))![0]!["id"]!.GetValue<string>();
        return new CatalogueSession(http, token, issuer, badgeClass);
    }

    public void Dispose() => Http.Dispose();
}
