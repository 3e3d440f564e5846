using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Requapass.Badges.Api.Features.Images;
using Requapass.Badges.Api.Features.OpenBadges3;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>
/// A volunteer's badge as a baked image, made at request time from the class image stored once
/// (ARCHITECTURE.md, "Bake on the fly"): a byte copy plus one chunk or element, never a re-encode.
/// </summary>
public static class BakedImageApi
{
    public static RouteGroupBuilder MapBakedImageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Public Open Badges documents")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        group.MapGet("/assertions/{assertionId}/image", GetBakedImage).WithName("GetBakedAssertionImage")
            .RequireRateLimiting(RateLimits.Images).AsHeavyWork(HeavyWorkKind.Image)
            .WithSummary("The badge image with the assertion baked in (Open Badges 2.0 Baking). PNG or SVG follows the class image; ?format=png|svg chooses where both exist.")
            .WithDescription("?version=3 bakes the award's Open Badges 3.0 credential instead (OB 3.0 \"Baked Badge\"): its VC-JWT in an iTXt chunk "
                + "with the keyword openbadgecredential (PNG), or in the verify attribute of an openbadges:credential element (SVG). "
                + "?version=2 (the default) bakes the 2.0 assertion. 503 when no signing key for the issuer is loaded on this node (3.0 only).")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/svg+xml")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private sealed record Row(AssertionRow Assertion, string BadgeName, long? ImageId);

    // Compiled once per model (a compiled query serves one model): EF Core's per-call expression work was a
    // third of this read's CPU when a kept image has expired (issue #14).
    private static readonly CompiledPerModel<Func<BadgesDbContext, string, bool, CancellationToken, Task<Row?>>> RowById = new(() =>
        EF.CompileAsyncQuery((BadgesDbContext db, string assertionId, bool preferSvg, CancellationToken ct) => (
            from a in db.Assertions.AsNoTracking()
            where a.PublicId == assertionId
            select new Row(
                AssertionRow.From(a, a.BadgeClass!.PublicId, a.SigningKey != null ? a.SigningKey.PublicId : null),
                a.BadgeClass.Name, preferSvg ? a.BadgeClass.SvgImageId ?? a.BadgeClass.PngImageId : a.BadgeClass.PngImageId ?? a.BadgeClass.SvgImageId))
            .SingleOrDefault())!);

    public static async Task<Results<BakedImageResult, ProblemHttpResult>> GetBakedImage(
        string assertionId, string? format,
        [System.ComponentModel.Description("2 (default): the Open Badges 2.0 assertion; 3: the Open Badges 3.0 credential as a VC-JWT.")] string? version,
        HttpRequest request, ObDocuments documents, StoredImageCache images, PublicAnswerCache answers, BadgeMetrics metrics, CancellationToken ct)
    {
        if (format is not (null or "png" or "svg")) { return Problems.BadRequest("bad-format", "format must be png or svg."); }
        if (version is not (null or "2" or "3")) { return Problems.BadRequest("bad-version", "version must be 2 or 3."); }
        if (!PublicIds.LooksValid(assertionId)) { return Problems.NotFound("assertion"); }
        var v3 = version == "3";
        // One kept answer per assertion, format and version: a 3.0 image never answers a 2.0 request.
        var key = "image:" + assertionId + "/" + format + (v3 ? "/v3" : "");
        var baked = await answers.GetOrLoadAsync(key, ct => LoadAsync(assertionId, format == "svg", v3 ? request.Service<Credentials3>() : null, request.Db(), documents, images, ct), ct);
        return baked switch
        {
            null => Problems.NotFound("assertion"),
            { RevocationReason: { } reason } => Problems.Gone($"This badge was revoked: {reason}"),
            { Unsigned: true } => Problems.Unavailable("no-signing-key", "No signing key for this issuer is loaded on this node; the 3.0 credential cannot be baked."),
            _ => new BakedImageResult(baked, metrics),
        };
    }

    /// <summary>
    /// One small query: the assertion, its class's name and the id of the class image of the chosen
    /// format. The image itself comes from the cache of immutable stored images (one more command the
    /// first time this node needs it). Nothing is baked yet: a 304 never needs it.
    /// </summary>
    private static async Task<BakedAnswer?> LoadAsync(
        string assertionId, bool preferSvg, Credentials3? v3, BadgesDbContext db, ObDocuments documents, StoredImageCache images, CancellationToken ct)
    {
        var row = await RowById.For(db)(db, assertionId, preferSvg, ct);
        if (row is null) { return null; }
        if (row.Assertion.RevokedAt is not null) { return BakedAnswer.Revoked(row.Assertion.RevocationReason ?? ""); }
        var image = row.ImageId is { } id ? await images.GetAsync(id, db, ct) : null;
        if (image is null) { return null; }
        if (v3 is not null)
        {
            var token = await v3.TokenAsync(row.Assertion, db, ct);
            return token is null ? BakedAnswer.NoKey : new BakedAnswer(image, token, signed: true, documents.AssertionUrl(row.Assertion), row.BadgeName, credential: true);
        }
        return new BakedAnswer(image, documents.BakedPayload(row.Assertion), row.Assertion.IsSigned, documents.AssertionUrl(row.Assertion), row.BadgeName);
    }
}

/// <summary>
/// What the baked image of one assertion is made of, its ETag known before any byte is copied (the class
/// image's SHA-256 and the payload), and the baked bytes once a 200 has needed them. Kept by
/// <see cref="PublicAnswerCache"/>; a revoked assertion is kept as its reason.
/// </summary>
public sealed class BakedAnswer : ICachedAnswer
{
    private byte[]? baked;
    private string? contentDisposition;

    public BakedAnswer(CachedImage image, string payload, bool signed, string assertionUrl, string badgeName, bool credential = false)
    {
        (Image, Payload, Signed, AssertionUrl, BadgeName, Credential) = (image, payload, signed, assertionUrl, badgeName, credential);
        ETag = ETags.For(Encoding.UTF8.GetBytes(image.Sha256 + "\n" + (credential ? "ob3\n" : "") + payload));
    }

    private BakedAnswer(string? reason, bool unsigned) => (RevocationReason, Unsigned) = (reason, unsigned);

    public static BakedAnswer Revoked(string reason) => new(reason, false);

    /// <summary>A 3.0 image asked for on a node that holds no key of the issuer (kept briefly, like any answer).</summary>
    public static BakedAnswer NoKey { get; } = new(null, true);

    public bool Unsigned { get; }

    /// <summary>True when the payload is an OB 3.0 VC-JWT (baked as openbadgecredential), else an OB 2.0 assertion.</summary>
    public bool Credential { get; }

    public string? RevocationReason { get; }
    public CachedImage Image { get; } = null!;
    public string Payload { get; } = "";
    public bool Signed { get; }
    public string AssertionUrl { get; } = "";
    public string BadgeName { get; } = "";
    public string ETag { get; } = "";

    /// <summary>"inline" with the badge's name as the file's (RFC 6266), made once per kept answer.</summary>
    public string ContentDisposition => contentDisposition ??= new ContentDispositionHeaderValue("inline")
    {
        FileName = FileNames.Ascii(BadgeName) + (BadgeBaker.IsSvg(Image.ContentType) ? ".svg" : ".png"),
        FileNameStar = BadgeName + (BadgeBaker.IsSvg(Image.ContentType) ? ".svg" : ".png"),
    }.ToString();

    /// <summary>The class image's bytes are shared with the image cache; this counts the payload and the bake.</summary>
    public long Weight => Payload.Length * 2 + (Image?.Content.Length ?? 0);

    /// <summary>The baked bytes, made by the first request that needs them (two at once may both bake: the same bytes).</summary>
    public byte[] Bake(out bool made)
    {
        made = baked is null;
        return baked ??= Credential
            ? BadgeBaker.BakeCredential(Image.Content, BadgeBaker.IsSvg(Image.ContentType), Payload)
            : BadgeBaker.Bake(Image.Content, BadgeBaker.IsSvg(Image.ContentType), Payload, Signed, AssertionUrl);
    }
}

/// <summary>Bakes only when the client does not already hold this exact image, and once per kept answer.</summary>
public sealed class BakedImageResult(BakedAnswer answer, BadgeMetrics metrics) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        ImageHeaders.Apply(http.Response, answer.Image.ContentType, answer.ETag);
        var svg = BadgeBaker.IsSvg(answer.Image.ContentType);
        http.Response.Headers.ContentDisposition = answer.ContentDisposition;
        if (ETags.Matches(http.Request, answer.ETag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var baked = answer.Bake(out var made);
        // Counted when made, not when a 304 or a kept answer spares the work.
        if (made) { metrics.Baked(svg ? BakeFormat.Svg : BakeFormat.Png); }
        http.Response.ContentLength = baked.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(baked, http.RequestAborted);
        }
    }
}

public static class FileNames
{
    /// <summary>An ASCII slug for the plain filename parameter (RFC 6266); filename* keeps the real name.</summary>
    public static string Ascii(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) { continue; }
            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        var slug = string.Join('-', sb.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "badge" : slug[..Math.Min(slug.Length, 80)];
    }
}
