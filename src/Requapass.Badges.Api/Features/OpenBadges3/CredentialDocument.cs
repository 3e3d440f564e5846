using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.OpenBadges3;

namespace Requapass.Badges.Api.Features.OpenBadges3;

/// <summary>
/// An OpenBadgeCredential in one of its two representations: the credential as JSON-LD
/// (<c>application/vc+ld+json</c>, its ETag over those bytes) or secured as a VC-JWT
/// (<c>application/vc+jwt</c>, its ETag over the JWT's signing input, so a 304 needs no signature).
/// Both vary on Accept and are revalidated each time, like every hosted document (a revocation shows at once).
/// </summary>
/// <remarks>No endpoint metadata of its own: the routes say what they produce (the assertion URL's 200 stays the 2.0 one's).</remarks>
public sealed class CredentialDocument(OpenBadgeCredential credential, string mediaType, Func<string>? sign = null, string? kid = null) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var jwt = mediaType == VcJwt.MediaType;
        byte[]? body = jwt ? null : ObJson.ToUtf8(credential);
        // The JWT's ETag is taken over its signing input: RS256 is deterministic, so the input fixes the token.
        var etag = jwt ? ETags.For(System.Text.Encoding.ASCII.GetBytes("vc+jwt." + VcJwt.SigningInput(credential, kid!))) : ETags.For(body);
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "public, no-cache";
        headers.Vary = "Accept";
        if (ETags.Matches(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        body ??= System.Text.Encoding.ASCII.GetBytes(sign!());
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = jwt ? VcJwt.MediaType : VcJwt.JsonMediaType + "; charset=utf-8";
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>
    /// Which OB 3.0 representation the client asks for on a URL that also serves 2.0 (RFC 9110, section
    /// 12.5.1): only a client that names application/vc+jwt or application/vc+ld+json itself, at least as
    /// high as every 2.0 type and text/html, gets one; any other Accept (none, */*, the 2.0 types, a browser's)
    /// keeps the 2.0 answer byte for byte.
    /// </summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0) { return null; }
        double Named(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        double jwt = Named(VcJwt.MediaType), json = Named(VcJwt.JsonMediaType);
        var best = Math.Max(jwt, json);
        if (best <= 0) { return null; }
        string[] others = [JsonLdDocument<object>.LdJson, "application/json", JwsDocument.MediaType, ContentNegotiation.Html];
        if (others.Any(o => ContentNegotiation.Quality(accept, o) > best)) { return null; }
        return jwt >= json ? VcJwt.MediaType : VcJwt.JsonMediaType;
    }

    /// <summary>On the OB 3.0 URL itself: the JWT when the client ranks it above the JSON, else the JSON.</summary>
    public static string Choose(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        var jwt = ContentNegotiation.Quality(accept, VcJwt.MediaType);
        return jwt > 0 && jwt > ContentNegotiation.Quality(accept, VcJwt.JsonMediaType) ? VcJwt.MediaType : VcJwt.JsonMediaType;
    }
}
