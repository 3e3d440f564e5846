namespace Requapass.Badges.Api.Options;

/// <summary>
/// Private keys for signed badges, as PEM files (PKCS#1 or PKCS#8, RSA 2048+). Platform keys serve
/// every issuer without a key of its own. List more than one file to prepare a rotation: the first
/// serves issuers that have no key yet, and the rotate endpoint moves an issuer to the next one.
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    public List<string> KeyFiles { get; set; } = [];

    /// <summary>Issuer public id to that issuer's own key files.</summary>
    public Dictionary<string, List<string>> IssuerKeyFiles { get; set; } = [];
}
