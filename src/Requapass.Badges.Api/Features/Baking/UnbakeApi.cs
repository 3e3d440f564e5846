using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Api.Features.Baking;

/// <summary>
/// What is baked into an image. <c>version</c> 2 (an Open Badges 2.0 assertion, PNG keyword openbadges or SVG
/// openbadges:assertion): <c>kind</c> is assertion (JSON), jws (a signed badge; <c>assertion</c> is its
/// payload, not verified here) or url. <c>version</c> 3 (an Open Badges 3.0 credential, PNG keyword
/// openbadgecredential or SVG openbadges:credential): <c>kind</c> is vc-jwt (<c>assertion</c> is the
/// credential it carries, not verified here) or credential (its JSON). Verification is the verify endpoint's job.
/// </summary>
public sealed record UnbakeResponse(string Format, string Kind, string Payload, JsonObject? Assertion, int Version = 2);

/// <summary>Partners check what a badge image carries (Open Badges 2.0 Baking, read side).</summary>
public static class UnbakeApi
{
    /// <summary>Baked badges from other issuers can be larger than our 256 KB upload limit.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    public static RouteGroupBuilder MapUnbakeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Baking")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/unbake", Unbake).WithName("Unbake").WithBodyLimit(Limits.UploadBody)
            .WithSummary("Return what is baked into a PNG or SVG badge (raw body or multipart field 'image', at most 2 MB): an Open Badges 2.0 assertion or an Open Badges 3.0 credential.")
            .Accepts<byte[]>("image/png", "image/svg+xml", "application/octet-stream", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .DisableAntiforgery();
        return group;
    }

    public static async Task<Results<Ok<UnbakeResponse>, ProblemHttpResult>> Unbake(HttpRequest request, CancellationToken ct)
    {
        var (bytes, _, error) = await BakedUpload.ReadAsync(request, MaxBytes, "image", ct);
        if (bytes is null) { return Problems.BadRequest("bad-image", error!); }
        var kind = ImageSniffer.Detect(bytes);
        var result = kind switch
        {
            ImageKind.Png => PngBaker.Unbake(bytes),
            ImageKind.Svg => SvgBaker.Unbake(bytes),
            _ => UnbakeResult.Error(ImageCheck.Fail("image.unknown", "The file is neither a PNG nor an SVG.")),
        };
        if (result.Code == "unbake.none") { return Problems.Unprocessable("no-badge", result.Message); }
        if (!result.Ok) { return Problems.BadRequest("bad-image", result.Message); }
        var payload = result.Payload!;
        var format = kind == ImageKind.Png ? "png" : "svg";
        if (result.Version == 3) { return Credential(format, payload); }
        if (payload.StartsWith('{'))
        {
            try
            {
                return TypedResults.Ok(new UnbakeResponse(format, "assertion", payload, JsonNode.Parse(payload) as JsonObject));
            }
            catch (JsonException)
            {
                return Problems.BadRequest("bad-badge", "The baked text starts like JSON but is not valid JSON.");
            }
        }
        if (Uri.TryCreate(payload, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return TypedResults.Ok(new UnbakeResponse(format, "url", payload, null));
        }
        // A signed badge: show its payload too. This reads the JWS, it does not verify it.
        var jws = Jws.Parse(payload);
        return jws.Ok
            ? TypedResults.Ok(new UnbakeResponse(format, "jws", payload, JsonNode.Parse(jws.PayloadJson!) as JsonObject))
            : Problems.BadRequest("bad-badge", $"The baked text is neither JSON, a URL nor a readable JWS: {jws.Message}");
    }

    /// <summary>
    /// OB 3.0 docformat.md, "PNG: Extracting": the text "will either be the JSON representation of [the credential]
    /// or the Compact JWS". A VC 1.1 style token carries the credential in its vc claim.
    /// </summary>
    private static Results<Ok<UnbakeResponse>, ProblemHttpResult> Credential(string format, string payload)
    {
        try
        {
            if (payload.StartsWith('{'))
            {
                return TypedResults.Ok(new UnbakeResponse(format, "credential", payload, JsonNode.Parse(payload) as JsonObject, 3));
            }
            var jws = Jws.Parse(payload);
            if (!jws.Ok) { return Problems.BadRequest("bad-badge", $"The baked credential is neither JSON nor a readable VC-JWT: {jws.Message}"); }
            var claims = JsonNode.Parse(jws.PayloadJson!) as JsonObject;
            var credential = claims?["vc"] as JsonObject ?? claims;
            return TypedResults.Ok(new UnbakeResponse(format, "vc-jwt", payload, credential?.DeepClone().AsObject(), 3));
        }
        catch (JsonException)
        {
            return Problems.BadRequest("bad-badge", "The baked credential starts like JSON but is not valid JSON.");
        }
    }
}
