using System.Buffers.Binary;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>Page cursors: the last internal key seen, encoded so that clients treat it as opaque.</summary>
public static class Cursors
{
    public static string Encode(long id)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, id);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The key, or null when <paramref name="cursor"/> is not one this service made.</summary>
    public static long? Decode(string cursor)
    {
        Span<byte> bytes = stackalloc byte[9];
        var padded = cursor.Replace('-', '+').Replace('_', '/') + "=";
        return cursor.Length == 11 && Convert.TryFromBase64String(padded, bytes, out var n) && n == 8
            ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
    }

    /// <summary>A cursor of two keys, for lists ordered by a value and then the internal key (16 bytes).</summary>
    public static string Encode(long first, long second)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, first);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], second);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The two keys, or null when <paramref name="cursor"/> is not a two-key cursor this service made.</summary>
    public static (long First, long Second)? DecodePair(string cursor)
    {
        Span<byte> bytes = stackalloc byte[18];
        var padded = cursor.Replace('-', '+').Replace('_', '/') + "==";
        return cursor.Length == 22 && Convert.TryFromBase64String(padded, bytes, out var n) && n == 16
            ? (BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[8..])) : null;
    }
}
