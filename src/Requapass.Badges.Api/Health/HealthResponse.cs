using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Requapass.Badges.Api.Health;

/// <summary>The readiness answer: the status, and for each check what an operator needs to act on (never internals).</summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
