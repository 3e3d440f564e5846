using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Api.Auth;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>
/// Claim codes: 12 characters drawn with the system CSPRNG from 31 that cannot be mistaken for one
/// another when read from paper (digits 2-9 and the letters but I, O and U: no 0/O, 1/I, U/V), written XXXX-XXXX-XXXX. 31^12 is about
/// 7.9e17 (59.5 bits). A code is compared case-insensitively, ignoring dashes and spaces.
/// Stored twice, never in clear: an HMAC-SHA256 of the normalised code to find it (a database copy
/// alone cannot even test guesses offline, since the key is not in it), and the code sealed with
/// AES-256-GCM for staff to print their list again; both keys derive by HKDF-SHA256 from Auth:SigningKey
/// under labels of their own, as webhook secrets do (Features/Webhooks/WebhookSecrets.cs).
/// </summary>
public sealed class ClaimCodes(TokenSigningKey tokenKey)
{
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTVWXYZ";
    public const int Length = 12;

    private readonly byte[] _hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey.Key.Key, 32, info: Encoding.UTF8.GetBytes("requapass claim codes hash v1"));
    private readonly byte[] _sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey.Key.Key, 32, info: Encoding.UTF8.GetBytes("requapass claim codes seal v1"));

    /// <summary>A new code, grouped for reading: XXXX-XXXX-XXXX.</summary>
    public static string New()
    {
        // GetInt32 draws without modulo bias (rejection sampling).
        var chars = new char[Length];
        for (var i = 0; i < Length; i++) { chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]; }
        var code = new string(chars);
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    /// <summary>The code as compared (upper case, no dashes or spaces), or null when it cannot be one of ours.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64) { return null; }
        var sb = new StringBuilder(Length);
        foreach (var c in input)
        {
            if (c == '-' || char.IsWhiteSpace(c)) { continue; }
            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal) || sb.Length == Length) { return null; }
            sb.Append(upper);
        }
        return sb.Length == Length ? sb.ToString() : null;
    }

    /// <summary>The lookup hash of a normalised code.</summary>
    public string Hash(string normalized) => Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.ASCII.GetBytes(normalized)));

    public string Seal(string code, string campaignPublicId, int number)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.ASCII.GetBytes(code);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_sealKey, 16);
        aes.Encrypt(nonce, plain, cipher, tag, Context(campaignPublicId, number));
        return $"v1.{Convert.ToBase64String(nonce)}.{Convert.ToBase64String(cipher)}.{Convert.ToBase64String(tag)}";
    }

    /// <summary>The code, or null when it cannot be opened (another Auth:SigningKey, or a copy from another campaign or line).</summary>
    public string? Open(string sealedCode, string campaignPublicId, int number)
    {
        var parts = sealedCode.Split('.');
        if (parts.Length != 4 || parts[0] != "v1") { return null; }
        try
        {
            var (nonce, cipher, tag) = (Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]));
            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(_sealKey, 16);
            aes.Decrypt(nonce, cipher, tag, plain, Context(campaignPublicId, number));
            return Encoding.ASCII.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[] Context(string campaignPublicId, int number) => Encoding.UTF8.GetBytes($"{campaignPublicId}#{number}");
}
