namespace Requapass.Badges.Core.Signing;

/// <summary>base64url without padding (RFC 7515, section 2).</summary>
public static class Base64Url
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Encodes bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>
    /// Decodes; null when the text is not base64url, has padding or white space, or is not the canonical
    /// encoding of its bytes (unused low bits of the last character set, RFC 4648 section 3.5), so that
    /// one byte string has exactly one accepted spelling.
    /// </summary>
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1) { return null; }
        if (text.Length % 4 != 0)
        {
            var last = Alphabet.IndexOf(text[^1]);
            var unusedBits = text.Length % 4 == 2 ? 0b1111 : 0b11;
            if (last < 0 || (last & unusedBits) != 0) { return null; }
        }
        var padded = new char[text.Length + ((4 - (text.Length % 4)) % 4)];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // Convert would skip white space and take '+', '/' and '='; none of them is base64url.
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')) { return null; }
            padded[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }
        padded.AsSpan(text.Length).Fill('=');
        var buffer = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64Chars(padded, buffer, out var written) ? buffer[..written] : null;
    }
}
