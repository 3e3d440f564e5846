using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>A route whose browser callers get a page, not a problem, when over their rate.</summary>
public interface IRateLimitedPage
{
    Task RejectAsync(HttpContext http);
}

/// <summary>
/// Rates per client address for the anonymous routes that cost something, in one place: tokens,
/// verifications, baked images, exports, claims, applications. The client address is the connection's, or, behind a
/// configured trusted proxy, the one it forwards (<see cref="UseTrustedProxies"/>).
/// </summary>
public static class RateLimits
{
    public const string Token = "token";
    public const string Verify = "verify";
    public const string Images = "public-images";
    public const string Exports = "public-exports";
    public const string Claims = "public-claims";
    public const string Progress = "public-progress";
    public const string SkillsMapMails = "public-skills-map-mails";
    public const string SkillsMaps = "public-skills-maps";
    public const string Applications = "public-applications";
    public const string DataAccessMails = "public-data-access-mails";
    public const string DataAccess = "public-data-access";

    private static readonly Dictionary<string, string> Rejections = new()
    {
        [Token] = "Too many token requests from this address. Retry after a minute.",
        [Verify] = "Too many verification requests from this address. Retry after a minute.",
        [Images] = "Too many badge images requested from this address. Retry after a minute.",
        [Exports] = "Too many badge exports requested from this address. Retry after a minute.",
        [Claims] = "Too many claims from this address. Retry after a minute.",
        [Progress] = "Too many progress requests from this address. Retry after a minute.",
        [SkillsMapMails] = "Too many skills map requests from this address. Retry after a minute.",
        [SkillsMaps] = "Too many skills map requests from this address. Retry after a minute.",
        [Applications] = "Too many applications from this address. Retry after a minute.",
        [DataAccessMails] = "Too many requests for a data access link from this address. Retry after a minute.",
        [DataAccess] = "Too many requests for personal data from this address. Retry after a minute.",
    };

    public static IServiceCollection AddBadgesRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AuthOptions>, IOptions<VerificationOptions>, IOptions<PublicTrafficOptions>>(
            (o, auth, verification, traffic) =>
            {
                o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                o.AddPolicy(Token, http => PerMinute(http, auth.Value.TokenRequestsPerMinute));
                o.AddPolicy(Verify, http => PerMinute(http, verification.Value.RequestsPerMinute));
                o.AddPolicy(Images, http => PerMinute(http, traffic.Value.ImagesPerMinute));
                o.AddPolicy(Exports, http => PerMinute(http, traffic.Value.ExportsPerMinute));
                o.AddPolicy(Claims, http => PerMinute(http, traffic.Value.ClaimsPerMinute));
                o.AddPolicy(Progress, http => PerMinute(http, traffic.Value.ProgressPerMinute));
                o.AddPolicy(SkillsMapMails, http => PerMinute(http, traffic.Value.SkillsMapMailsPerMinute));
                o.AddPolicy(SkillsMaps, http => PerMinute(http, traffic.Value.SkillsMapRequestsPerMinute));
                o.AddPolicy(Applications, http => PerMinute(http, traffic.Value.ApplicationsPerMinute));
                o.AddPolicy(DataAccessMails, http => PerMinute(http, traffic.Value.DataAccessMailsPerMinute));
                o.AddPolicy(DataAccess, http => PerMinute(http, traffic.Value.DataAccessRequestsPerMinute));
                o.OnRejected = async (ctx, _) =>
                {
                    var http = ctx.HttpContext;
                    var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                    http.Response.Headers.RetryAfter = "60";
                    // The claim page's form is answered with the page, saying so in the page's language.
                    if (http.GetEndpoint()?.Metadata.GetMetadata<IRateLimitedPage>() is { } page && http.Request.HasFormContentType)
                    {
                        await page.RejectAsync(http);
                        return;
                    }
                    await Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests.",
                        policy is not null && Rejections.TryGetValue(policy, out var detail) ? detail : "Too many requests from this address. Retry after a minute.");
                };
            });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PublicTrafficOptions>>((o, traffic) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies are believed (the framework's default trusts loopback), and
            // every one of them in a chain: the client is the last address no trusted proxy wrote.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            o.ForwardLimit = null;
            foreach (var proxy in traffic.Value.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address)) { o.KnownProxies.Add(address); }
                else { o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy)); }
            }
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, and only when proxies are configured: the framework's middleware with no
    /// known proxy and no known network checks nothing and believes every sender of the headers.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<PublicTrafficOptions>>().Value.TrustedProxies.Count > 0
            ? app.UseForwardedHeaders()
            : app;

    /// <summary>
    /// A fixed window per client: an IPv4 address, or an IPv6 /64 (one subscriber's network, in which
    /// a client can pick a new address for every request).
    /// </summary>
    private static RateLimitPartition<string> PerMinute(HttpContext http, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientKey(http.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    public static string ClientKey(IPAddress? address)
    {
        if (address is null) { return "unknown"; }
        if (address.IsIPv4MappedToIPv6) { address = address.MapToIPv4(); }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) { return address.ToString(); }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
