using System.Security.Cryptography;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Images;

/// <summary>
/// Uploaded images: PNG or SVG, at most 256 KB, recognised by their bytes (never by a name or a
/// declared type), checked, then stored once and served as they came.
/// </summary>
public static class ImageUploads
{
    public const int MaxBytes = 256 * 1024;

    public sealed record Accepted(ImageKind Kind, StoredImageEntity Entity);

    /// <summary>Checks bytes; on success the entity is ready to add (with <paramref name="now"/> as its time).</summary>
    public static (Accepted? Image, string? Error) Check(byte[] bytes, DateTime now)
    {
        var (kind, check) = ImageIntake.Check(bytes, MaxBytes);
        if (kind is null || !check.Ok) { return (null, check.Message); }
        return (new Accepted(kind.Value, new StoredImageEntity
        {
            ContentType = kind == ImageKind.Png ? "image/png" : "image/svg+xml",
            Content = bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            CreatedAt = now,
        }), null);
    }

    /// <summary>A data: URI from a JSON body, decoded and checked.</summary>
    public static (Accepted? Image, string? Error) FromJson(string dataUri, DateTime now)
    {
        var (bytes, error) = FromDataUri(dataUri);
        return bytes is null ? (null, error) : Check(bytes, now);
    }

    /// <summary>A raw request body, read up to the limit and checked.</summary>
    public static async Task<(Accepted? Image, string? Error)> FromBodyAsync(HttpRequest request, DateTime now, CancellationToken ct)
    {
        var (bytes, error) = await ReadBodyAsync(request, ct);
        return bytes is null ? (null, error) : Check(bytes, now);
    }

    /// <summary>Decodes a <c>data:</c> URI (RFC 2397) with base64 content; the declared type is not trusted.</summary>
    private static (byte[]? Bytes, string? Error) FromDataUri(string value)
    {
        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "image must be a data: URI with base64 content (data:image/png;base64,...).");
        }
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !value.AsSpan(5, comma - 5).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "image must be a base64 data: URI.");
        }
        var payload = value.AsSpan(comma + 1);
        // Base64 grows 4/3; refuse oversized input before decoding it.
        if (payload.Length > (MaxBytes + 2) / 3 * 4 + 4)
        {
            return (null, $"The image is larger than {MaxBytes / 1024} KB.");
        }
        var buffer = new byte[payload.Length];
        return Convert.TryFromBase64Chars(payload, buffer, out var written)
            ? (buffer[..written], null)
            : (null, "image is not valid base64.");
    }

    /// <summary>Reads a raw request body up to the limit, without trusting Content-Length.</summary>
    private static async Task<(byte[]? Bytes, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) { return (null, $"The image is larger than {MaxBytes / 1024} KB."); }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) { return (null, $"The image is larger than {MaxBytes / 1024} KB."); }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }
}
