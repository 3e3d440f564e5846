namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Bakes an assertion into its class image, PNG or SVG, the one way the service does it (Open Badges
/// 2.0 Baking): a PNG carries the payload in an iTXt chunk; an SVG carries a hosted assertion's URL and
/// JSON, or a signed one's JWS, in its openbadges:assertion element.
/// </summary>
public static class BadgeBaker
{
    /// <summary>True when <paramref name="contentType"/> is the SVG media type (else the image is a PNG).</summary>
    public static bool IsSvg(string contentType) => contentType.StartsWith("image/svg", StringComparison.Ordinal);

    /// <summary>The class image with the assertion baked in.</summary>
    /// <param name="image">The class image's bytes, as stored.</param>
    /// <param name="svg">Whether the image is an SVG (<see cref="IsSvg"/>); else it is a PNG.</param>
    /// <param name="payload">The JWS of a signed assertion, the JSON of a hosted one.</param>
    /// <param name="signed">Whether the assertion is signed.</param>
    /// <param name="assertionUrl">The hosted assertion's URL (an SVG names it; unused for a signed one or a PNG).</param>
    public static byte[] Bake(ReadOnlySpan<byte> image, bool svg, string payload, bool signed, string assertionUrl) =>
        !svg ? PngBaker.Bake(image, payload)
        : signed ? SvgBaker.BakeSigned(image, payload)
        : SvgBaker.BakeHosted(image, assertionUrl, payload);

    /// <summary>
    /// The class image with an Open Badges 3.0 credential baked in (OB 3.0 docformat.md, "Baked Badge"): its
    /// VC-JWT in an iTXt <c>openbadgecredential</c> chunk (PNG) or in the verify attribute of
    /// <c>openbadges:credential</c> (SVG). The VC-JWT, not the JSON: ours carry no embedded proof, and the
    /// spec bakes the JSON only for one that does.
    /// </summary>
    public static byte[] BakeCredential(ReadOnlySpan<byte> image, bool svg, string vcJwt) =>
        svg ? SvgBaker.BakeCredential(image, vcJwt) : PngBaker.Bake(image, vcJwt, credential: true);
}
