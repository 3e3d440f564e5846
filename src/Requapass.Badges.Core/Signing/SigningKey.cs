using System.Security.Cryptography;
using System.Text;

namespace Requapass.Badges.Core.Signing;

/// <summary>
/// An RSA signing key (2048 bits or more) loaded from PEM. Each thread signs on its own RSA instance:
/// .NET does not promise that one RSA object is safe for concurrent use (dotnet/corefx#9708: "key use
/// may or may not fail under parallel requests"), and awards are signed in parallel. Per thread, not
/// pooled: OpenSSL keeps an RSA key's blinding state for the thread that made it, and an instance that
/// moves between threads takes its slower shared path. Measured on this machine, a pool that lent
/// instances across threads signed at 0.76 of openssl's rate on one thread and 0.45 on two, against
/// 0.93 and 0.96 per thread (docs/performance.md). The cost is one key copy per thread that signed.
/// The private key is never exposed: no property, no ToString, no exception message has it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    /// <summary>The smallest modulus the service signs with (OB 2.0 SignedBadge uses RS256; RSA under 2048 bits is refused).</summary>
    public const int MinimumBits = 2048;

    private readonly RSAParameters _parameters;
    private readonly ThreadLocal<RSA> _perThread;
    private volatile bool _disposed;

    private SigningKey(RSAParameters parameters, string publicKeyPem, string thumbprint, int bits)
    {
        _parameters = parameters;
        _perThread = new ThreadLocal<RSA>(() => { var rsa = RSA.Create(); rsa.ImportParameters(_parameters); return rsa; }, trackAllValues: true);
        (PublicKeyPem, Thumbprint, Bits) = (publicKeyPem, thumbprint, bits);
    }

    /// <summary>The public key as SPKI PEM ("PUBLIC KEY"), for CryptographicKey.publicKeyPem.</summary>
    public string PublicKeyPem { get; }

    /// <summary>RFC 7638 JWK thumbprint (SHA-256, base64url): the key id.</summary>
    public string Thumbprint { get; }

    /// <summary>The modulus size.</summary>
    public int Bits { get; }

    /// <summary>True when this is the example key committed in keys.example/, refused outside Development.</summary>
    public bool IsExampleKey => Thumbprint == ExampleKeyThumbprint;

    /// <summary>The thumbprint of keys.example/example-signing-key.pem.</summary>
    public const string ExampleKeyThumbprint = "RtOuqMVMGurp-O3DE0_v7BM0GSWdnAXPx_CvRAiWYOc";

    /// <summary>The length in bytes of a signature made with this key (the modulus length).</summary>
    public int SignatureLength => (Bits + 7) / 8;

    /// <summary>Signs with RSASSA-PKCS1-v1_5 and SHA-256 on the calling thread's own RSA instance.</summary>
    public byte[] SignSha256(ReadOnlySpan<byte> data)
    {
        var signature = new byte[SignatureLength];
        var written = SignSha256(data, signature);
        return written == signature.Length ? signature : signature[..written];
    }

    /// <summary>
    /// Signs with RSASSA-PKCS1-v1_5 and SHA-256 into <paramref name="destination"/> (at least
    /// <see cref="SignatureLength"/> bytes) and returns the number of bytes written.
    /// </summary>
    public int SignSha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < SignatureLength)
        {
            throw new ArgumentException($"The destination must hold {SignatureLength} bytes.", nameof(destination));
        }
        return _perThread.Value!.TrySignData(data, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out var written)
            ? written
            : throw new CryptographicException("The signature did not fit its buffer.");
    }

    /// <summary>The public key as a JWK for a JWKS (RFC 7517/7518): kty, use, alg, kid, n, e.</summary>
    public Jwk ToJwk() => new("RSA", "sig", "RS256", Thumbprint, Base64Url.Encode(_parameters.Modulus), Base64Url.Encode(_parameters.Exponent));

    /// <summary>Loads a private key from PEM text (PKCS#1 or PKCS#8); the error explains a refusal.</summary>
    public static (SigningKey? Key, string? Error) FromPem(string pem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // The exception text could quote the input; say only what kind of problem it is.
            return (null, "The PEM does not hold an RSA private key (PKCS#1 \"RSA PRIVATE KEY\" or PKCS#8 \"PRIVATE KEY\").");
        }
        RSAParameters parameters;
        try
        {
            parameters = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            return (null, "The PEM holds a public key only; a private key is needed to sign.");
        }
        if (rsa.KeySize < MinimumBits)
        {
            return (null, $"The RSA key has {rsa.KeySize} bits; at least {MinimumBits} are required.");
        }
        return (new SigningKey(parameters, rsa.ExportSubjectPublicKeyInfoPem(), ThumbprintOf(parameters), rsa.KeySize), null);
    }

    /// <summary>Generates a new key (development, and rotation in development) and returns it with its PKCS#8 PEM.</summary>
    public static (SigningKey Key, string PrivatePem) Generate(int bits = MinimumBits)
    {
        using var rsa = RSA.Create(bits);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        return (FromPem(pem).Key!, pem);
    }

    /// <summary>RFC 7638: SHA-256 over {"e":..,"kty":"RSA","n":..} with members in that order, no spaces.</summary>
    public static string ThumbprintOf(RSAParameters p) =>
        Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{{\"e\":\"{Base64Url.Encode(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url.Encode(p.Modulus)}\"}}")));

    /// <inheritdoc/>
    public override string ToString() => $"RSA-{Bits} key {Thumbprint}";

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        foreach (var rsa in _perThread.Values) { rsa.Dispose(); }
        _perThread.Dispose();
        // Copies of the private key live in the per-thread instances (disposed above) and in these arrays.
        CryptographicOperations.ZeroMemory(_parameters.D);
        CryptographicOperations.ZeroMemory(_parameters.P);
        CryptographicOperations.ZeroMemory(_parameters.Q);
        CryptographicOperations.ZeroMemory(_parameters.DP);
        CryptographicOperations.ZeroMemory(_parameters.DQ);
        CryptographicOperations.ZeroMemory(_parameters.InverseQ);
    }
}
