using System.Security.Cryptography;
using System.Text;

namespace Requapass.Badges.Core.Webhooks;

/// <summary>
/// Webhook secrets and signatures in the manner of the Standard Webhooks convention: a secret is
/// <c>whsec_</c> followed by base64 of random bytes, and those bytes are the HMAC key; the signature
/// of a message is <c>v1,</c> followed by base64 of HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>,
/// where timestamp is in Unix seconds and body the exact bytes sent.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The prefix of every secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The HMAC key a secret stands for.</summary>
    public static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    /// <summary>The value of the <c>webhook-signature</c> header for one message.</summary>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content));
    }
}
