using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Auth;

public static class AuthSetup
{
    public const string AdminOnly = "admin-only";
    public const string TokenRateLimit = "token";

    public static IServiceCollection AddAdminAuth(this IServiceCollection services)
    {
        services.AddSingleton<TokenSigningKey>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenSigningKey, IOptions<AuthOptions>, IOptions<ServiceOptions>, TimeProvider>((o, key, auth, service, clock) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = service.Value.PublicBaseUrl,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = key.Key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                    RoleClaimType = Caller.RoleClaim,
                    // Tokens are minted with the service's clock (TokenApi); they are judged by the same clock.
                    LifetimeValidator = (notBefore, expires, _, p) =>
                    {
                        var now = clock.GetUtcNow().UtcDateTime;
                        return (notBefore is null || notBefore.Value - p.ClockSkew <= now) && expires is { } e && now < e + p.ClockSkew;
                    },
                };
                o.Events = new JwtBearerEvents
                {
                    // A disabled client loses access at once, not when its token expires.
                    OnTokenValidated = async ctx =>
                    {
                        var clientId = ctx.Principal?.FindFirst("sub")?.Value;
                        var db = ctx.HttpContext.RequestServices.GetRequiredService<BadgesDbContext>();
                        var active = clientId is not null && await db.ApiClients.AnyAsync(c => c.ClientId == clientId && c.DisabledAt == null);
                        if (!active) { ctx.Fail("The client is disabled."); }
                    },
                };
            });
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AuthOptions>, IOptions<Options.VerificationOptions>>((o, auth, verification) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(TokenRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = auth.Value.TokenRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(Features.Verification.VerifyApi.RateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = verification.Value.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                    {
                        Status = 429, Type = Infrastructure.Problems.Type("too-many-requests"), Title = "Too many requests.",
                        Detail = ctx.HttpContext.Request.Path.StartsWithSegments("/public/verify")
                            ? "Too many verification requests from this address. Retry after a minute."
                            : "Too many token requests from this address. Retry after a minute.",
                    },
                });
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(AdminOnly, p => p.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Caller.AdminRole));
        return services;
    }
}
