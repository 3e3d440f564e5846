using System.Security.Cryptography;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>Opaque public ids: 96 random bits as hex. Never the database key, never guessable.</summary>
public static class PublicIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Cheap shape check before a lookup, so junk never reaches the database.</summary>
    public static bool LooksValid(string? id) =>
        id is { Length: >= 8 and <= 40 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
