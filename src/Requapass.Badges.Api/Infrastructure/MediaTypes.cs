using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>Says which media types a route takes, for the detail of a 415 problem.</summary>
public static class MediaTypes
{
    /// <summary>
    /// Routing answers 415 itself when no endpoint accepts the request's content type, and the endpoint
    /// it then runs carries no metadata of the route; so the routes are searched for the one that
    /// matches this method and path, and its declared types listed.
    /// </summary>
    public static string UnsupportedDetail(HttpContext http)
    {
        var accepted = http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? Find(http);
        var sent = string.IsNullOrEmpty(http.Request.ContentType) ? "no content type" : $"'{http.Request.ContentType}'";
        return accepted is { Count: > 0 }
            ? $"This route takes {string.Join(", ", accepted)}; the request sent {sent}."
            : $"This route does not take {sent}.";
    }

    private static IReadOnlyList<string>? Find(HttpContext http)
    {
        var endpoints = http.RequestServices.GetService<EndpointDataSource>()?.Endpoints ?? [];
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { } accepts) { continue; }
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) == false)
            {
                continue;
            }
            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []);
            if (matcher.TryMatch(http.Request.Path, [])) { return accepts.ContentTypes; }
        }
        return null;
    }
}
