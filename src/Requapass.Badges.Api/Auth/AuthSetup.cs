using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Auth;

public static class AuthSetup
{
    public const string AdminOnly = "admin-only";

    public static IServiceCollection AddAdminAuth(this IServiceCollection services)
    {
        services.AddSingleton<TokenSigningKey>();
        services.AddSingleton<ActiveClients>();
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
                    // A disabled client loses access at once on the node that disabled it, within
                    // Caching:AnswerLifetime on the others (ActiveClients), not when its token expires.
                    OnTokenValidated = async ctx =>
                    {
                        var clientId = ctx.Principal?.FindFirst("sub")?.Value;
                        var services = ctx.HttpContext.RequestServices;
                        var active = clientId is not null && await services.GetRequiredService<ActiveClients>().IsActiveAsync(clientId, () =>
                            services.GetRequiredService<BadgesDbContext>().ApiClients.AnyAsync(c => c.ClientId == clientId && c.DisabledAt == null));
                        if (!active) { ctx.Fail("The client is disabled."); }
                    },
                };
            });
        // No fallback policy: it would also answer 401 to URLs that match no route (a 404). Routes are
        // authenticated by default at the root route group instead (Program.cs).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(AdminOnly, p => p.RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim, Caller.AdminRole));
        return services;
    }
}
