namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// Headers on every response: no content sniffing (a JSON-LD document or an uploaded SVG is never
/// run as something else), no framing, and a content security policy: nothing at all for data,
/// and for the HTML pages only what the service itself serves: its stylesheet, its one script and its
/// images (no inline style or script, no other origin), and forms posting back to it (the "verify"
/// button). A response that set its own policy (the SVG images) keeps it; Swagger UI, which needs its
/// scripts, gets none.
/// </summary>
public static class SecurityHeaders
{
    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string PagePolicy = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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
