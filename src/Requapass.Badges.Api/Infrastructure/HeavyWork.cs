using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>The kinds of anonymous heavy work whose number in flight is capped per node.</summary>
public enum HeavyWorkKind { Image, Export, Verification }

/// <summary>Marks a route whose requests count against the cap of <paramref name="Kind"/>.</summary>
public sealed record HeavyWorkMetadata(HeavyWorkKind Kind);

/// <summary>
/// One concurrency limiter per kind, shared by every request of the node: at most N at once, a short
/// queue (as long again) for bursts, and a 503 with Retry-After for the rest, so 200 parallel exports
/// hold a handful of ZIP writers in memory, never 200. The lease is held until the response has been
/// written, streaming included.
/// </summary>
public sealed class HeavyWork(IOptions<PublicTrafficOptions> options)
{
    private readonly Dictionary<HeavyWorkKind, ConcurrencyLimiter> _limiters = new()
    {
        [HeavyWorkKind.Image] = Limiter(options.Value.ConcurrentImages),
        [HeavyWorkKind.Export] = Limiter(options.Value.ConcurrentExports),
        [HeavyWorkKind.Verification] = Limiter(options.Value.ConcurrentVerifications),
    };

    private static ConcurrencyLimiter Limiter(int permits) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits, QueueLimit = permits, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public ValueTask<RateLimitLease> AcquireAsync(HeavyWorkKind kind, CancellationToken ct) => _limiters[kind].AcquireAsync(1, ct);
}

public static class HeavyWorkSetup
{
    public static TBuilder AsHeavyWork<TBuilder>(this TBuilder builder, HeavyWorkKind kind) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeavyWorkMetadata(kind));

    /// <summary>Runs after routing: routes marked as heavy work wait for a slot, or get a 503.</summary>
    public static IApplicationBuilder UseHeavyWorkLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<HeavyWorkMetadata>() is not { } heavy)
        {
            await next(http);
            return;
        }
        using var lease = await http.RequestServices.GetRequiredService<HeavyWork>().AcquireAsync(heavy.Kind, http.RequestAborted);
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "busy", "Busy.",
                $"Too many {heavy.Kind.ToString().ToLowerInvariant()} requests are being served at once. Retry in a second.");
            return;
        }
        await next(http);
    });
}
