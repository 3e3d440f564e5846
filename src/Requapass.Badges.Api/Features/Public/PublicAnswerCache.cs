using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>
/// Finished answers of the anonymous document routes (the JSON-LD bytes and their ETag, a baked
/// image), reused by this node for up to <see cref="CachingOptions.AnswerLifetime"/> (2 s by default), so a
/// badge shared widely is served from memory: a hit costs no database command, and a 304 no hashing.
/// <para>
/// Freshness. Every entry carries the node's generation when it was loaded; <see cref="Changed"/>
/// moves the generation on, which makes every entry stale at once. It is called after any unsafe
/// request of the management API (except awards, which only add documents) and by the revocation and
/// endorsement code itself (so a volunteer's erasure, a background job or a public route that revokes
/// is covered too). A change on this node therefore shows in the very next answer; a change made
/// on another node sharing the database shows within the lifetime, the same bound as the verifier's
/// "not revoked" answers (OwnDocumentCache.RevocationLifetime). A value loaded while the generation
/// moved is served once but not kept. Not-found answers are never kept (a badge awarded a moment
/// later must show at once).
/// </para>
/// </summary>
public sealed class PublicAnswerCache : IDisposable
{
    private const int EntryOverhead = 256;
    private readonly MemoryCache cache;
    private readonly TimeSpan lifetime;
    private readonly TimeProvider clock;
    private long generation;

    public PublicAnswerCache(IOptions<CachingOptions> options, TimeProvider clock)
    {
        this.clock = clock;
        lifetime = options.Value.AnswerBytes > 0 ? options.Value.AnswerLifetime : TimeSpan.Zero;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.AnswerBytes) });
    }

    /// <summary>Something a public answer shows may have changed: every kept answer is stale from now on.</summary>
    public void Changed() => Interlocked.Increment(ref generation);

    /// <summary>The answer under <paramref name="key"/>: kept and fresh, else loaded (and kept unless null).</summary>
    public async ValueTask<T?> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken ct)
        where T : class, ICachedAnswer
    {
        if (lifetime <= TimeSpan.Zero) { return await load(ct); }
        var seen = Interlocked.Read(ref generation);
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out Entry? entry) && entry!.Generation == seen && entry.Expires > now && entry.Value is T kept)
        {
            return kept;
        }
        var value = await load(ct);
        // Kept only if nothing changed while it was read: else it may predate the change.
        if (value is not null && Interlocked.Read(ref generation) == seen)
        {
            cache.Set(key, new Entry(value, seen, now + Lifetime()), new MemoryCacheEntryOptions
            {
                Size = value.Weight + EntryOverhead,
                // The cache's own clock drops it from memory; freshness is checked above, on the service's clock.
                AbsoluteExpirationRelativeToNow = lifetime,
            });
        }
        return value;
    }

    /// <summary>
    /// Between three quarters of the lifetime and all of it, drawn per entry. Answers loaded together
    /// (a page of badges, a crawler's sweep) would otherwise expire together and be read again in one
    /// burst, every lifetime, for as long as they are asked for (over 1,000 rotating ids, all 1,000 in
    /// one sweep: issue #14). Shorter, never longer: the bound other nodes are held to stays.
    /// </summary>
    private TimeSpan Lifetime() => lifetime * (1 - Random.Shared.NextDouble() / 4);

    public void Dispose() => cache.Dispose();

    private sealed record Entry(ICachedAnswer Value, long Generation, DateTimeOffset Expires);
}

/// <summary>A value <see cref="PublicAnswerCache"/> keeps; its weight (bytes) counts against Caching:AnswerBytes.</summary>
public interface ICachedAnswer
{
    long Weight { get; }
}

/// <summary>Marks a management route whose success only adds documents (an award), so kept answers stay fresh.</summary>
public sealed class KeepsPublicAnswersMetadata
{
    public static readonly KeepsPublicAnswersMetadata Instance = new();
}

public static class PublicAnswerFreshness
{
    /// <summary>The route only adds documents or changes nothing public: the node's kept answers stay.</summary>
    public static TBuilder KeepsPublicAnswers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(KeepsPublicAnswersMetadata.Instance);

    /// <summary>
    /// Runs after routing: an unsafe request of the management API (anything but GET, HEAD, OPTIONS)
    /// makes every kept public answer stale, before its response starts (so a client that reads the
    /// document right after its change gets the new one) and again when it ends (a response that never
    /// started). Whatever the route changed, issuer, class, key or revocation, and whether or not it
    /// succeeded: a missed change would be worse than a reload.
    /// </summary>
    public static IApplicationBuilder UsePublicAnswerFreshness(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || http.GetEndpoint()?.Metadata.GetMetadata<KeepsPublicAnswersMetadata>() is not null)
        {
            await next(http);
            return;
        }
        var answers = http.RequestServices.GetRequiredService<PublicAnswerCache>();
        http.Response.OnStarting(() => { answers.Changed(); return Task.CompletedTask; });
        try { await next(http); }
        finally { answers.Changed(); }
    });
}

/// <summary>The request's database context and services, resolved only when they are used.</summary>
public static class RequestDatabase
{
    /// <summary>
    /// For what only some answers of a public read need (a page's renderer, a 3.0 credential's keys): as a
    /// handler parameter a scoped service is made on every request, and those built on the database context
    /// lease one from the pool (and reset it after) even for a kept answer, about a twentieth of a kept
    /// read's CPU with the resolutions (issue #14).
    /// </summary>
    public static T Service<T>(this HttpRequest request) where T : notnull => request.HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>
    /// For the public reads, which take the context this way rather than as a handler parameter: a kept
    /// answer needs no database, and a parameter leases a context from the pool (and resets it after) on
    /// every request, a twentieth of a kept read's CPU (issue #14).
    /// </summary>
    public static Requapass.Badges.Data.BadgesDbContext Db(this HttpRequest request) => request.Service<Requapass.Badges.Data.BadgesDbContext>();
}
