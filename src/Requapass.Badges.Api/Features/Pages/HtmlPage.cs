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

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentNegotiation.Html]));
}
