using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Requapass.Badges.Core.Signing;

/// <summary>
/// An RSA signing key (2048 bits or more) loaded from PEM. Each signature is made on an RSA instance
/// that no other thread is using at that moment: instances are lent from a small pool and given back.
/// .NET does not promise that one RSA object is safe for concurrent use (dotnet/corefx#9708: "key use
/// may or may not fail under parallel requests"), and awards are signed in parallel. A pool rather than
/// one instance per thread: thread-pool threads come and go, and per-thread copies of the private key
/// would pile up until the key is disposed. The pool keeps at most twice the processor count idle.
/// The private key is never exposed: no property, no ToString, no exception message has it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    /// <summary>The smallest modulus the service signs with (OB 2.0 SignedBadge uses RS256; RSA under 2048 bits is refused).</summary>
    public const int MinimumBits = 2048;

    internal static readonly int MaxIdle = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly RSAParameters _parameters;
    private readonly ConcurrentQueue<RSA> _idle = new();
    private volatile bool _disposed;

    private SigningKey(RSAParameters parameters, string publicKeyPem, string thumbprint, int bits)
    {
        _parameters = parameters;
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

    internal int IdleInstances => _idle.Count;

    /// <summary>The length in bytes of a signature made with this key (the modulus length).</summary>
    public int SignatureLength => (Bits + 7) / 8;

    /// <summary>Signs with RSASSA-PKCS1-v1_5 and SHA-256 on an RSA instance no other thread is using.</summary>
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
        var rsa = Rent();
        try
        {
            return rsa.TrySignData(data, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out var written)
                ? written
                : throw new CryptographicException("The signature did not fit its buffer.");
        }
        finally
        {
            GiveBack(rsa);
        }
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
        Drain();
        // Copies of the private key live in the pooled instances (disposed above) and in these arrays.
        CryptographicOperations.ZeroMemory(_parameters.D);
        CryptographicOperations.ZeroMemory(_parameters.P);
        CryptographicOperations.ZeroMemory(_parameters.Q);
        CryptographicOperations.ZeroMemory(_parameters.DP);
        CryptographicOperations.ZeroMemory(_parameters.DQ);
        CryptographicOperations.ZeroMemory(_parameters.InverseQ);
    }

    private RSA Rent()
    {
        if (_idle.TryDequeue(out var rsa)) { return rsa; }
        rsa = RSA.Create();
        rsa.ImportParameters(_parameters);
        return rsa;
    }

    private void GiveBack(RSA rsa)
    {
        if (_disposed || _idle.Count >= MaxIdle)
        {
            rsa.Dispose();
            return;
        }
        _idle.Enqueue(rsa);
        // Dispose may have drained the pool between the check above and the enqueue.
        if (_disposed) { Drain(); }
    }

    private void Drain()
    {
        while (_idle.TryDequeue(out var rsa)) { rsa.Dispose(); }
    }
}
