using System.Security.Claims;

namespace Requapass.Badges.Api.Auth;

/// <summary>Who is calling the admin API, read from the validated token.</summary>
public sealed record Caller(string ClientId, bool IsAdmin, string? IssuerId)
{
    public const string AdminRole = "admin";
    public const string StaffRole = "staff";
    public const string IssuerClaim = "issuer";
    public const string RoleClaim = "role";

    /// <summary>A platform admin may act on any issuer; staff only on their own.</summary>
    public bool MayActOn(string issuerPublicId) => IsAdmin || string.Equals(IssuerId, issuerPublicId, StringComparison.Ordinal);

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? "",
        user.FindFirstValue(RoleClaim) == AdminRole,
        user.FindFirstValue(IssuerClaim));
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext http) => Auth.Caller.From(http.User);
}
