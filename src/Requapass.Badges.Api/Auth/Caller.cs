using System.Security.Claims;

namespace Requapass.Badges.Api.Auth;

/// <summary>Who is calling the admin API, read from the validated token.</summary>
public sealed record Caller(string ClientId, bool IsAdmin, string? IssuerId, bool IsGame = false)
{
    public const string AdminRole = "admin";
    public const string StaffRole = "staff";
    /// <summary>The mini-game (issue #13, part 5): one issuer, one badge class, one route (<see cref="GameRoute"/>).</summary>
    public const string GameRole = "game";
    public const string IssuerClaim = "issuer";
    public const string RoleClaim = "role";

    /// <summary>A platform admin may act on any issuer; staff only on their own.</summary>
    public bool MayActOn(string issuerPublicId) => IsAdmin || string.Equals(IssuerId, issuerPublicId, StringComparison.Ordinal);

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? "",
        user.FindFirstValue(RoleClaim) == AdminRole,
        user.FindFirstValue(IssuerClaim),
        user.FindFirstValue(RoleClaim) == GameRole);
}

/// <summary>
/// Marks the one management route a game client may call. Every other route of the management API
/// answers a game token 403 (<see cref="IssuerScope"/>), so a route is closed to the game unless it says so.
/// </summary>
public sealed class GameRoute;

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext http) => Auth.Caller.From(http.User);
}
