using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.OpenBadges;
using Utf8Base64Url = System.Buffers.Text.Base64Url;

namespace Requapass.Badges.Core.Signing;

/// <summary>
/// Compact JWS (RFC 7515) as Open Badges 2.0 signed badges use it ("SignedBadge"): the payload is the
/// assertion JSON; the protected header names the algorithm, RS256 when we sign.
/// </summary>
public static class Jws
{
    /// <summary>Tokens longer than this are refused before any parsing.</summary>
    public const int MaxLength = 1024 * 1024;

    // RFC 7515 section 4.1.1: the header must name alg. Nothing else: the OB 2.0 examples' signed badge
    // ("SignedBadge" example) has the header { "alg": "RS256" } and no typ.
    private static readonly byte[] Rs256Header = Encoding.ASCII.GetBytes(Base64Url.Encode("""{"alg":"RS256"}"""u8));

    /// <summary>
    /// Signs an assertion (OB 2.0 "SignedBadge": the assertion JSON is the payload, exactly the bytes
    /// <see cref="ObJson.ToUtf8{T}(T)"/> gives) with RS256 and returns the compact serialisation.
    /// </summary>
    public static string Sign(Assertion assertion, SigningKey key) => Sign(ObJson.ToUtf8(assertion), key);

    /// <summary>Signs <paramref name="payloadJson"/> with RS256 and returns the compact serialisation.</summary>
    public static string Sign(ReadOnlySpan<byte> payloadJson, SigningKey key) => Sign(Rs256Header, payloadJson, key);

    /// <summary>
    /// Signs <paramref name="payloadJson"/> with RS256 under the given protected header (its JSON, which
    /// must name "alg": "RS256") and returns the compact serialisation. RSASSA-PKCS1-v1_5 is
    /// deterministic: the same header, payload and key always give the same token.
    /// </summary>
    public static string SignWithHeader(ReadOnlySpan<byte> headerJson, ReadOnlySpan<byte> payloadJson, SigningKey key) =>
        Sign(Encoding.ASCII.GetBytes(Base64Url.Encode(headerJson)), payloadJson, key);

    /// <summary>The signing input (RFC 7515 section 5.1, step 6) of a header and payload: what the signature covers.</summary>
    public static byte[] SigningInput(ReadOnlySpan<byte> headerJson, ReadOnlySpan<byte> payloadJson) =>
        Encoding.ASCII.GetBytes(Base64Url.Encode(headerJson) + "." + Base64Url.Encode(payloadJson));

    private static string Sign(byte[] encodedHeader, ReadOnlySpan<byte> payloadJson, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // The whole token is written once, as ASCII, into one rented buffer: header "." payload, signed
        // in place, then "." signature; the returned string is the only allocation.
        var inputLength = encodedHeader.Length + 1 + Utf8Base64Url.GetEncodedLength(payloadJson.Length);
        var tokenLength = inputLength + 1 + Utf8Base64Url.GetEncodedLength(key.SignatureLength);
        var token = ArrayPool<byte>.Shared.Rent(tokenLength);
        var signature = key.SignatureLength <= 1024 ? stackalloc byte[key.SignatureLength] : new byte[key.SignatureLength];
        try
        {
            encodedHeader.CopyTo(token, 0);
            token[encodedHeader.Length] = (byte)'.';
            Utf8Base64Url.EncodeToUtf8(payloadJson, token.AsSpan(encodedHeader.Length + 1));
            var written = key.SignSha256(token.AsSpan(0, inputLength), signature);
            token[inputLength] = (byte)'.';
            var end = inputLength + 1 + Utf8Base64Url.EncodeToUtf8(signature[..written], token.AsSpan(inputLength + 1));
            return Encoding.ASCII.GetString(token, 0, end);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(token);
        }
    }

    /// <summary>Splits and decodes a compact JWS without checking the signature.</summary>
    public static JwsResult Parse(string? compact)
    {
        if (string.IsNullOrEmpty(compact)) { return JwsResult.Fail("jws.malformed", "The JWS is empty."); }
        if (compact.Length > MaxLength) { return JwsResult.Fail("jws.too_large", "The JWS is larger than 1 MB."); }
        var parts = compact.Trim().Split('.');
        if (parts.Length != 3) { return JwsResult.Fail("jws.malformed", $"A compact JWS has 3 parts; this has {parts.Length}."); }
        var header = Base64Url.Decode(parts[0]);
        var payload = Base64Url.Decode(parts[1]);
        var signature = Base64Url.Decode(parts[2]);
        if (header is null || payload is null || signature is null)
        {
            return JwsResult.Fail("jws.malformed", "A part of the JWS is not base64url.");
        }
        var headerJson = StrictUtf8(header);
        if (headerJson is null) { return JwsResult.Fail("jws.malformed", "The JWS header is not UTF-8."); }
        string? alg;
        bool hasCrit;
        try
        {
            using var doc = JsonDocument.Parse(header);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { return JwsResult.Fail("jws.malformed", "The JWS header is not a JSON object."); }
            // RFC 7515 section 4: with duplicate names, the lexically last one counts (JsonElement does that).
            alg = root.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            hasCrit = root.TryGetProperty("crit", out _);
        }
        catch (JsonException)
        {
            return JwsResult.Fail("jws.malformed", "The JWS header is not JSON.");
        }
        if (alg is null) { return JwsResult.Fail("jws.malformed", "The JWS header has no alg."); }
        if (hasCrit)
        {
            // RFC 7515 section 4.1.11: a recipient that does not understand every extension listed in
            // crit must reject the JWS. This verifier understands none.
            return JwsResult.Fail("jws.crit_not_supported", "The JWS header lists critical extensions (crit); none are supported.");
        }
        // OB 2.0 SignedBadge verification, step 2: a payload that does not parse as JSON is invalid.
        // JSON text is UTF-8 (RFC 8259 section 8.1); bytes that are not are refused, not replaced.
        var payloadJson = StrictUtf8(payload);
        if (payloadJson is null) { return JwsResult.Fail("jws.payload_not_json", "The JWS payload is not UTF-8 text."); }
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) { return JwsResult.Fail("jws.payload_not_json", "The JWS payload is not a JSON object."); }
        }
        catch (JsonException)
        {
            return JwsResult.Fail("jws.payload_not_json", "The JWS payload is not a JSON object.");
        }
        return new JwsResult(true, "ok", "The JWS is well formed.", alg, payloadJson,
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature) { HeaderJson = headerJson };
    }

    /// <summary>
    /// Verifies a compact JWS against a public key. Only RS256, RS384 and RS512 are accepted, the
    /// algorithms Open Badges 2.0 validators accept; "none" and every other algorithm are refused
    /// before the key is used.
    /// </summary>
    public static JwsResult Verify(string? compact, RSA publicKey) => Verify(Parse(compact), publicKey);

    /// <summary>Verifies a JWS already parsed by <see cref="Parse"/> (same rules as the other overload).</summary>
    public static JwsResult Verify(JwsResult parsed, RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!parsed.Ok) { return parsed; }
        var hash = parsed.Algorithm switch
        {
            "RS256" => HashAlgorithmName.SHA256,
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => (HashAlgorithmName?)null,
        };
        if (hash is null)
        {
            return JwsResult.Fail("jws.alg_not_allowed", $"The JWS algorithm \"{parsed.Algorithm}\" is not allowed; only RS256, RS384 and RS512 are.");
        }
        try
        {
            return publicKey.VerifyData(parsed.SigningInput!, parsed.Signature!, hash.Value, RSASignaturePadding.Pkcs1)
                ? parsed with { Message = "The signature verifies." }
                : JwsResult.Fail("jws.bad_signature", "The signature does not match the key.");
        }
        catch (CryptographicException)
        {
            return JwsResult.Fail("jws.bad_signature", "The signature could not be checked with the key.");
        }
    }

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? StrictUtf8(byte[] bytes)
    {
        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <summary>
/// The outcome of parsing or verifying a JWS. Codes: ok, jws.malformed, jws.too_large,
/// jws.alg_not_allowed, jws.crit_not_supported, jws.payload_not_json, jws.bad_signature.
/// </summary>
public sealed record JwsResult(bool Ok, string Code, string Message, string? Algorithm = null, string? PayloadJson = null,
    byte[]? SigningInput = null, byte[]? Signature = null)
{
    /// <summary>The decoded protected header, when the JWS parsed.</summary>
    public string? HeaderJson { get; init; }

    /// <summary>A failure with a stable code and a plain message.</summary>
    public static JwsResult Fail(string code, string message) => new(false, code, message);
}
