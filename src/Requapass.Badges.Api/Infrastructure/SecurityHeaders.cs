namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// Headers on every response: no content sniffing (a JSON-LD document or an uploaded SVG is never
/// run as something else), no framing, and a content security policy: nothing at all for data,
/// inline styles and our own images for the HTML pages. A response that set its own policy (the
/// SVG images) keeps it; Swagger UI, which needs its scripts, gets none.
/// </summary>
public static class SecurityHeaders
{
    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!headers.ContainsKey("Content-Security-Policy") && !http.Request.Path.StartsWithSegments("/swagger"))
            {
                var html = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                headers.ContentSecurityPolicy = html ? PagePolicy : DataPolicy;
                if (html) { headers.XFrameOptions = "DENY"; }
            }
            return Task.CompletedTask;
        });
        return next(http);
    });
}
