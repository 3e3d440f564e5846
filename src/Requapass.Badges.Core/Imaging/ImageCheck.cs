namespace Requapass.Badges.Core.Imaging;

/// <summary>The image formats the service accepts.</summary>
public enum ImageKind
{
    /// <summary>PNG.</summary>
    Png,
    /// <summary>SVG.</summary>
    Svg,
}

/// <summary>The outcome of checking an image: a stable machine <c>Code</c> and a plain message.</summary>
public sealed record ImageCheck(bool Ok, string Code, string Message)
{
    /// <summary>A passed check.</summary>
    public static ImageCheck Pass { get; } = new(true, "ok", "The image is well formed.");

    /// <summary>A failed check.</summary>
    public static ImageCheck Fail(string code, string message) => new(false, code, message);
}

/// <summary>What unbaking found: the baked text (assertion JSON, a JWS or a URL), nothing, or an error.</summary>
public sealed record UnbakeResult(bool Ok, string? Payload, string Code, string Message)
{
    /// <summary>
    /// The Open Badges version of what was found: 2 for an OB 2.0 assertion (PNG keyword <c>openbadges</c>,
    /// SVG <c>openbadges:assertion</c>), 3 for an OB 3.0 credential (keyword <c>openbadgecredential</c>, SVG
    /// <c>openbadges:credential</c>).
    /// </summary>
    public int Version { get; init; } = 2;

    /// <summary>A badge was found.</summary>
    public static UnbakeResult Found(string payload) => new(true, payload, "ok", "A badge is baked into the image.");

    /// <summary>An OB 3.0 credential was found (its VC-JWT or its JSON).</summary>
    public static UnbakeResult FoundCredential(string payload) =>
        new(true, payload, "ok", "An Open Badges 3.0 credential is baked into the image.") { Version = 3 };

    /// <summary>The image is well formed but carries no badge.</summary>
    public static UnbakeResult None(string message) => new(false, null, "unbake.none", message);

    /// <summary>The image could not be read.</summary>
    public static UnbakeResult Error(ImageCheck check) => new(false, null, check.Code, check.Message);
}

/// <summary>Recognises an image by its bytes, never by a name or a declared type.</summary>
public static class ImageSniffer
{
    /// <summary>PNG by its signature, SVG by a root <c>svg</c> element in the SVG namespace; null otherwise.</summary>
    public static ImageKind? Detect(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngEncoder.Signature)) { return ImageKind.Png; }
        return SvgDocument.RootIsSvg(data) ? ImageKind.Svg : null;
    }
}

/// <summary>The one check every uploaded image goes through.</summary>
public static class ImageIntake
{
    /// <summary>Recognises the format by the bytes, then validates a PNG's structure and CRCs or an SVG's safety.</summary>
    public static (ImageKind? Kind, ImageCheck Check) Check(ReadOnlySpan<byte> data, int maxBytes)
    {
        if (data.Length == 0) { return (null, ImageCheck.Fail("image.empty", "The image is empty.")); }
        if (data.Length > maxBytes) { return (null, ImageCheck.Fail("image.too_large", $"The image is larger than {maxBytes / 1024} KB.")); }
        var kind = ImageSniffer.Detect(data);
        if (kind is null)
        {
            // An SVG that fails to parse (a DTD, say) deserves its own reason rather than "not an image".
            var looksLikeXml = data.IndexOf("<svg"u8) >= 0 || data.IndexOf("<!DOCTYPE"u8) >= 0;
            return (null, looksLikeXml ? SvgSanitizer.Check(data, maxBytes) is { Ok: false } svg ? svg : ImageCheck.Fail("image.unknown", "The image is neither a PNG nor an SVG.")
                : ImageCheck.Fail("image.unknown", "The image is neither a PNG nor an SVG."));
        }
        return (kind, kind == ImageKind.Png ? PngImage.Validate(data) : SvgSanitizer.Check(data, maxBytes));
    }
}
