namespace Requapass.Badges.Api.Health;

/// <summary>The container health check: one request to /health/ready on loopback.</summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string ports)
    {
        var port = ports.Split(';', ',')[0].Trim();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/health/ready");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
