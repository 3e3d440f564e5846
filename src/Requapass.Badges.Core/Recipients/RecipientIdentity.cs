using System.Security.Cryptography;
using System.Text;

namespace Requapass.Badges.Core.Recipients;

/// <summary>The kinds of recipient identity the service awards to (OB 2.0, "IdentityObject": type).</summary>
public enum RecipientType
{
    /// <summary>An email address.</summary>
    Email,
    /// <summary>An http(s) URL the recipient controls.</summary>
    Url,
    /// <summary>A telephone number in E.164.</summary>
    Telephone,
}

/// <summary>A normalised recipient identity, ready to hash.</summary>
public sealed record RecipientIdentity(RecipientType Type, string Normalized)
{
    /// <summary>The OB 2.0 name of the identity type: "email", "url" or "telephone".</summary>
    public string TypeName => Names.Of(Type);

    /// <summary>
    /// Hashes the identity as OB 2.0 specifies ("IdentityObject": identity, salt): the SHA-256 of the
    /// normalised identity followed by the salt, written <c>sha256$</c> and lower-case hex.
    /// </summary>
    public string Hash(string salt) =>
        "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalized + salt)));

    /// <summary>A fresh random salt, 128 bits as hex; one per assertion so hashes cannot be linked.</summary>
    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// A stable internal key for finding a recipient's assertions (the published hash is salted per
    /// assertion, so it cannot be searched). Never published.
    /// </summary>
    public string LookupKey() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TypeName + ":" + Normalized)));

    /// <summary>Maps between <see cref="RecipientType"/> and its OB 2.0 name.</summary>
    public static class Names
    {
        /// <summary>The OB 2.0 name of a type.</summary>
        public static string Of(RecipientType type) => type switch
        {
            RecipientType.Email => "email",
            RecipientType.Url => "url",
            RecipientType.Telephone => "telephone",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

        /// <summary>Parses an OB 2.0 type name; null if it is not one the service supports.</summary>
        public static RecipientType? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
        {
            "email" => RecipientType.Email,
            "url" => RecipientType.Url,
            "telephone" => RecipientType.Telephone,
            _ => null,
        };
    }
}
