using Requapass.Badges.Api.Features.Public;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Auth;

/// <summary>The OAuth 2.0 client credentials grant (RFC 6749, section 4.4) as JSON or a form.</summary>
public sealed record TokenRequest(
    [property: JsonPropertyName("clientId"), MaxLength(Limits.Id)] string? ClientId,
    [property: JsonPropertyName("clientSecret"), MaxLength(Limits.Secret)] string? ClientSecret);

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public static class TokenApi
{
    public static RouteGroupBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/token", IssueToken).KeepsPublicAnswers()
            .WithName("IssueToken")
            .WithSummary("Exchange an API client's id and secret for a short-lived bearer token.")
            .Accepts<TokenRequest>("application/json", "application/x-www-form-urlencoded")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.Token)
            .DisableAntiforgery();
        return group;
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueToken(
        HttpContext http, BadgesDbContext db, TokenSigningKey signingKey, IOptions<AuthOptions> auth,
        IOptions<ServiceOptions> service, TimeProvider clock, CancellationToken ct)
    {
        var (request, unreadable) = await ReadAsync(http, ct);
        if (request is null)
        {
            return Problems.BadRequest("malformed-json", (unreadable is null ? "" : unreadable + " ")
                + "Send {\"clientId\", \"clientSecret\"} as JSON, or client_id and client_secret as a form.");
        }
        var errors = new ValidationErrors();
        // Read by hand (JSON or form), so the route filter does not see it: the same limits and text rules here.
        InputRules.Check(request, errors);
        if (errors.Any) { return errors.ToProblem(); }
        errors.Required("clientId", request.ClientId);
        errors.Required("clientSecret", request.ClientSecret);
        if (errors.Any) { return errors.ToProblem(); }

        var client = await db.ApiClients.AsNoTracking()
            .Where(c => c.ClientId == request.ClientId && c.DisabledAt == null)
            .Select(c => new { c.ClientId, c.SecretHash, c.Role, IssuerPublicId = c.Issuer != null ? c.Issuer.PublicId : null })
            .SingleOrDefaultAsync(ct);
        // Check against a decoy for unknown ids so that the answer takes as long either way.
        var valid = ClientSecrets.Verify(request.ClientSecret!, client?.SecretHash ?? ClientSecrets.Decoy) && client is not null;
        if (!valid)
        {
            return TypedResults.Problem(statusCode: 401, type: Problems.Type("invalid-client"), title: "Unauthorized.",
                detail: "The client id or secret is wrong, or the client is disabled.");
        }

        var now = clock.GetUtcNow();
        var lifetime = auth.Value.TokenLifetime;
        var claims = new Dictionary<string, object> { ["sub"] = client!.ClientId, [Caller.RoleClaim] = client.Role };
        if (client.IssuerPublicId is not null) { claims[Caller.IssuerClaim] = client.IssuerPublicId; }
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = service.Value.PublicBaseUrl,
            Audience = auth.Value.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)lifetime.TotalSeconds));
    }

    private static async Task<(TokenRequest? Request, string? Unreadable)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(ct);
                if (form.TryGetValue("grant_type", out var grant) && grant != "client_credentials") { return (null, "grant_type must be client_credentials."); }
                return (new TokenRequest(form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault()), null);
            }
            return (await http.Request.ReadFromJsonAsync<TokenRequest>(ct), null);
        }
        catch (InvalidDataException e)
        {
            // The form reader refuses %00 and other undecodable escapes ("The form value contains invalid characters").
            return (null, $"The form cannot be read: {e.Message} Control characters are not accepted.");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException { StatusCode: not 413 })
        {
            return (null, null);
        }
    }

}
