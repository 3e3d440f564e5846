using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.Verification;

namespace Requapass.Badges.Benchmarks;

/// <summary>
/// Verification of our own signed baked PNG (issue #5): through HTTP (POST /public/verify, multipart,
/// C requests in flight for D seconds) and in process (the Core verifier on every core for D seconds,
/// with the linked documents held in memory, so the figure is the verifier's own cost: unbake, JWS,
/// JSON-LD terms, shape, key, revocation list, dates). Talks only to the base URL it is given
/// (benchmarks/verify-path.sh starts the service on 127.0.0.1).
/// </summary>
public static class VerifyPathLoad
{
    public static async Task<int> RunAsync(string baseUrl, string clientId, string secret, int seconds, int concurrency)
    {
        using var session = await CatalogueSession.StartAsync(baseUrl, clientId, secret, TimeSpan.FromSeconds(30));
        var (admin, badgeClass) = (session.Http, session.BadgeClass);
        // Verification is anonymous: the load goes through a client without the token.
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var award = await (await admin.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "volunteer@example.org" }, verification = "signed" })).Content.ReadFromJsonAsync<JsonObject>();
        var png = await http.GetByteArrayAsync($"/public/assertions/{award!["id"]}/image");
        Console.WriteLine($"badge: our own signed baked PNG, {png.Length} bytes");

        // Through HTTP. Warm up first (JIT tiers, pools), then measure.
        await Http(http, png, TimeSpan.FromSeconds(Math.Max(3, seconds / 2)), concurrency);
        var (count, invalid) = await Http(http, png, TimeSpan.FromSeconds(seconds), concurrency);
        Console.WriteLine($"verify through HTTP: {count} verifications in {seconds} s = {count / (double)seconds:0} verifications/s ({concurrency} in flight, {invalid} not valid)");

        // In process, on every core, with the linked documents in memory.
        var documents = new ConcurrentDictionary<string, SourcedDocument>(StringComparer.Ordinal);
        var memory = new MemorySource(documents);
        var baked = BadgeVerifier.Unbake(png).Payload!;
        foreach (var url in await LinkedUrls(http, baked)) { documents[url] = SourcedDocument.Answer(200, await http.GetByteArrayAsync(url)); }
        var first = await new BadgeVerifier(memory, DateTimeOffset.UtcNow).VerifyPayloadAsync(baked);
        if (!first.Valid) { Console.WriteLine("in-process check failed: " + string.Join("; ", first.Checks.Where(c => c.Status == CheckStatus.Fail))); return 1; }
        InProcess(png, memory, TimeSpan.FromSeconds(2));
        var inProcess = InProcess(png, memory, TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"verify in process: {inProcess} verifications in {seconds} s = {inProcess / (double)seconds:0} verifications/s on {Environment.ProcessorCount} cores");
        return invalid == 0 ? 0 : 1;
    }

    private static async Task<(long Count, long Invalid)> Http(HttpClient http, byte[] png, TimeSpan duration, int concurrency)
    {
        long count = 0, invalid = 0;
        var until = Stopwatch.StartNew();
        // The multipart body is built once and sent as bytes, and the report is checked for its
        // leading "valid":true rather than parsed whole: the load client shares the service's two cores,
        // so it does as little as it can. The service does the same work either way.
        using var form = new MultipartFormDataContent("rq-bench-boundary");
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "badge.png");
        var body = await form.ReadAsByteArrayAsync();
        var contentType = form.Headers.ContentType!.ToString();
        var valid = "{\"valid\":true,"u8.ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), async (_, ct) =>
        {
            while (until.Elapsed < duration)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                using var response = await http.PostAsync("/public/verify", content, ct);
                var report = await response.Content.ReadAsByteArrayAsync(ct);
                if (!report.AsSpan().StartsWith(valid) && Interlocked.Increment(ref invalid) == 1)
                {
                    Console.WriteLine($"first answer that is not valid: HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(report)}");
                }
                Interlocked.Increment(ref count);
            }
        });
        return (count, invalid);
    }

    private static long InProcess(byte[] png, IDocumentSource source, TimeSpan duration)
    {
        long count = 0;
        var until = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, _ =>
        {
            while (until.Elapsed < duration)
            {
                var payload = BadgeVerifier.Unbake(png).Payload!;
                var report = new BadgeVerifier(source, DateTimeOffset.UtcNow).VerifyPayloadAsync(payload).GetAwaiter().GetResult();
                if (!report.Valid) { throw new InvalidOperationException("A verification failed."); }
                Interlocked.Increment(ref count);
            }
        });
        return count;
    }

    /// <summary>The badge class, issuer, key and revocation list the badge links to.</summary>
    private static async Task<List<string>> LinkedUrls(HttpClient http, string jws)
    {
        var payload = JsonNode.Parse(Core.Signing.Base64Url.Decode(jws.Split('.')[1]))!;
        var badge = payload["badge"]!.GetValue<string>();
        var badgeClass = (await http.GetFromJsonAsync<JsonObject>(badge))!;
        var issuerUrl = badgeClass["issuer"]!.GetValue<string>();
        var issuer = (await http.GetFromJsonAsync<JsonObject>(issuerUrl))!;
        return [badge, issuerUrl, payload["verification"]!["creator"]!.GetValue<string>(), issuer["revocationList"]!.GetValue<string>()];
    }

    private sealed class MemorySource(ConcurrentDictionary<string, SourcedDocument> documents) : IDocumentSource
    {
        public Task<SourcedDocument> GetAsync(Uri url, string? accept, CancellationToken ct) =>
            Task.FromResult(documents.TryGetValue(url.AbsoluteUri, out var d) ? d : SourcedDocument.Answer(404, null));
    }
}
