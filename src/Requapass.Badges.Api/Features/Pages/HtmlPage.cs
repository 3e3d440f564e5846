using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// A server-rendered page: <c>text/html</c> in UTF-8 with its language, a strong ETag over its exact
/// bytes (never equal to the JSON-LD's, which are other bytes) and If-None-Match support, like the
/// documents it sits beside. <c>Vary: Accept, Accept-Language</c>: the same URL answers JSON-LD to
/// programs, and the page's language may come from Accept-Language.
/// </summary>
public sealed class HtmlPage(string html, string language, int statusCode = StatusCodes.Status200OK, bool store = true) : IResult, IEndpointMetadataProvider
{
    public string Html => html;
    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext http)
    {
        var body = Encoding.UTF8.GetBytes(html);
        var headers = http.Response.Headers;
        headers.Vary = "Accept, Accept-Language";
        headers.ContentLanguage = language;
        // Set here, not left to SecurityHeaders (which goes by the Content-Type): a 304 has none, and a
        // browser merges a 304's headers into its cached page, so a data policy there would block the
        // page's own stylesheet, script and images on every revalidated visit (RFC 9111, section 4.3.4).
        headers.ContentSecurityPolicy = SecurityHeaders.PagePolicy;
        headers.XFrameOptions = "DENY";
        if (!store)
        {
            // A verification result is as of now; nothing should keep it.
            headers.CacheControl = "no-store";
        }
        else
        {
            var etag = ETags.For(body);
            headers.ETag = etag;
            // Revalidated each time, as the documents: a revocation shows at once.
            headers.CacheControl = "public, no-cache";
            if (statusCode == StatusCodes.Status200OK && ETags.Matches(http.Request, etag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>
    /// text/html joins the 200 answer the route already documents (the JSON-LD, at the same URL), or
    /// is the route's 200 answer when it has no other.
    /// </summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        var existing = builder.Metadata.OfType<ProducesResponseTypeMetadata>().LastOrDefault(m => m.StatusCode == StatusCodes.Status200OK);
        if (existing is null)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentNegotiation.Html]));
            return;
        }
        builder.Metadata.Remove(existing);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, existing.Type, [.. existing.ContentTypes, ContentNegotiation.Html]));
    }
}
