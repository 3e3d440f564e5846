using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Api.Auth;

namespace Requapass.Badges.Api.Features.Webhooks;

/// <summary>
/// Keeps webhook secrets encrypted at rest. A secret must sign every delivery, so unlike client
/// secrets it cannot be hashed; a copy of the database alone (a backup, a dump) must still not give
/// it away. The key is derived with HKDF-SHA256 from the token signing key (Auth:SigningKey, the one
/// secret every node already shares and that is not in the database), under its own label so it is
/// never the token key itself. AES-256-GCM, a fresh nonce per secret, the endpoint's public id as
/// associated data (a cipher copied onto another endpoint does not open). Changing Auth:SigningKey
/// makes stored secrets unreadable: their deliveries fail with a message saying so, and the endpoint
/// must be registered again.
/// </summary>
public sealed class WebhookSecrets(TokenSigningKey tokenKey)
{
    private const string Version = "v1";
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey.Key.Key, 32, info: Encoding.UTF8.GetBytes("requapass webhook secrets v1"));

    public string Seal(string secret, string endpointPublicId)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(secret);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(endpointPublicId));
        return $"{Version}.{Convert.ToBase64String(nonce)}.{Convert.ToBase64String(cipher)}.{Convert.ToBase64String(tag)}";
    }

    /// <summary>The secret, or null when it cannot be opened (another Auth:SigningKey, or tampered).</summary>
    public string? Open(string sealedSecret, string endpointPublicId)
    {
        var parts = sealedSecret.Split('.');
        if (parts.Length != 4 || parts[0] != Version) { return null; }
        try
        {
            var (nonce, cipher, tag) = (Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]));
            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(_key, 16);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(endpointPublicId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
