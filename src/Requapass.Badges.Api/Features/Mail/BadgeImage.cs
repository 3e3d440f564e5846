using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>A baked badge image to attach: the bytes, their media type and a file name.</summary>
public sealed record BadgeImage(string ContentType, byte[] Content, string FileName)
{
    /// <summary>
    /// The same bytes GET /public/assertions/{id}/image?format=png serves: the class PNG (its SVG when it
    /// has no PNG) with the assertion baked in by Core's bakers (the JSON of a hosted badge, the JWS of a
    /// signed one). Null when the assertion or its class image is gone.
    /// </summary>
    public static async Task<BadgeImage?> BakeAsync(BadgesDbContext db, ObDocuments documents, BadgeMetrics metrics, long assertionId, string badgeName, CancellationToken ct)
    {
        var row = await (
            from a in db.Assertions.AsNoTracking()
            where a.Id == assertionId
            join i in db.Images.AsNoTracking() on a.BadgeClass!.PngImageId ?? a.BadgeClass.SvgImageId equals (long?)i.Id
            select new { Assertion = AssertionRow.From(a, a.BadgeClass!.PublicId, a.SigningKey != null ? a.SigningKey.PublicId : null), i.ContentType, i.Content })
            .SingleOrDefaultAsync(ct);
        if (row is null) { return null; }
        var svg = BadgeBaker.IsSvg(row.ContentType);
        var baked = BadgeBaker.Bake(row.Content, svg, documents.BakedPayload(row.Assertion), row.Assertion.IsSigned, documents.AssertionUrl(row.Assertion));
        metrics.Baked(svg ? BakeFormat.Svg : BakeFormat.Png);
        return new BadgeImage(row.ContentType, baked, FileNames.Ascii(badgeName) + (svg ? ".svg" : ".png"));
    }
}
