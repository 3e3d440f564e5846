using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>
/// A campaign's QR code, for posters and slips: the claim page's URL (with the code when it is the
/// campaign's one multi-use code), error correction level M (ISO/IEC 18004: about 15% of the symbol
/// may be lost), a quiet zone of four modules as the standard asks. QRCoder draws it: the PNG with its
/// own encoder (no System.Drawing), the SVG as rectangles.
/// </summary>
public static class ClaimQr
{
    private const int PixelsPerModule = 10;

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> Get(
        string campaignId, string? format, Addressed addressed, BadgesDbContext db, ClaimCodes codes, PublicUrls urls, CancellationToken ct)
    {
        var found = await addressed.Campaign(campaignId, ct);
        if (found is null) { return Problems.NotFound("claim campaign"); }
        if (format is not (null or "png" or "svg")) { return Problems.Invalid("format", "format must be png or svg."); }
        var code = (await CampaignsApi.MultiUseCodes(db, codes, [found.Entity], ct)).GetValueOrDefault(found.Entity.Id);
        var url = urls.Claim(found.Entity.PublicId, code);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var name = $"claim-{found.Entity.PublicId}";
        return format == "svg"
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(PixelsPerModule)), "image/svg+xml", name + ".svg")
            : TypedResults.File(new PngByteQRCode(data).GetGraphic(PixelsPerModule), "image/png", name + ".png");
    }
}
