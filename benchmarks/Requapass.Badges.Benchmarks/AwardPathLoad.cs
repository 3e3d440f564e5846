using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Requapass.Badges.Benchmarks;

/// <summary>
/// The award path end to end, through HTTP on loopback: token, then N awards of one catalogue class
/// with C requests in flight, signed and then hosted, each timed as a whole. Bounded in count, and it
/// talks only to the base URL it is given (benchmarks/award-path.sh starts the service on 127.0.0.1).
/// </summary>
public static class AwardPathLoad
{
    public static async Task<int> RunAsync(string baseUrl, string clientId, string secret, int count, int concurrency)
    {
        using var session = await CatalogueSession.StartAsync(baseUrl, clientId, secret, TimeSpan.FromSeconds(30));
        var (http, badgeClass) = (session.Http, session.BadgeClass);

        // Warm both paths first (tiered JIT, connection and thread pools, per-thread RSA instances):
        // the first few hundred awards of a fresh process run far slower than the steady state.
        foreach (var verification in new[] { "signed", "hosted" })
        {
            await Award(http, badgeClass, verification, 0, Math.Max(500, count / 2), concurrency);
        }
        foreach (var verification in new[] { "signed", "hosted" })
        {
            var watch = Stopwatch.StartNew();
            var failures = await Award(http, badgeClass, verification, 1, count, concurrency);
            watch.Stop();
            Console.WriteLine($"award path, {verification}: {count} awards in {watch.Elapsed.TotalSeconds:0.00} s = {count / watch.Elapsed.TotalSeconds:0} awards/s ({concurrency} in flight, {failures} failed)");
        }
        return 0;
    }

    private static async Task<int> Award(HttpClient http, string badgeClass, string verification, int round, int count, int concurrency)
    {
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var response = await http.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "email", identity = $"volunteer{round}-{i}@example.org" }, verification }, ct);
            if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failures); }
        });
        return failures;
    }
}
