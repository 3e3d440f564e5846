namespace Requapass.Badges.Core.Signing;

/// <summary>base64url without padding (RFC 7515, section 2).</summary>
public static class Base64Url
{
    /// <summary>Encodes bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>Decodes; null when the text is not base64url.</summary>
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1) { return null; }
        var padded = new char[text.Length + ((4 - (text.Length % 4)) % 4)];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '+' or '/' or '=') { return null; }
            padded[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }
        padded.AsSpan(text.Length).Fill('=');
        var buffer = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64Chars(padded, buffer, out var written) ? buffer[..written] : null;
    }
}
