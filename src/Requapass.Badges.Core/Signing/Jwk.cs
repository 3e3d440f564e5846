using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.Signing;

/// <summary>An RSA public key as a JWK (RFC 7517, RFC 7518 section 6.3.1).</summary>
public sealed record Jwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E);
