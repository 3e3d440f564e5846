using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Authenticated by default: every route is listed, the anonymous ones are exactly the public
/// documents and pages, health, the OpenAPI document and the token endpoint, and every other route
/// answers 401 to a request without a token (a new route that forgets RequireAuthorization included:
/// the root route group requires it), while a URL that matches no route is still a 404.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed class AuthorizationSurfaceTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static bool MayBeAnonymous(string pattern) =>
        pattern.StartsWith("/public/", StringComparison.Ordinal) || pattern.StartsWith("/health/", StringComparison.Ordinal)
        || pattern.StartsWith("/openapi/", StringComparison.Ordinal) || pattern == "/api/v1/auth/token"
        || pattern == "/metrics"; // Prometheus scraping, from inside the network (README, Telemetry)

    private IEnumerable<(RouteEndpoint Endpoint, string Pattern, string Method)> Routes() =>
        Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (e, "/" + e.RoutePattern.RawText!.TrimStart('/'), m)));

    [Test]
    public void Only_the_public_surface_is_anonymous()
    {
        var anonymous = Routes().Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(r => r.Pattern).Distinct().ToList();
        Assert.That(anonymous, Is.Not.Empty);
        Assert.That(anonymous.Where(p => !MayBeAnonymous(p)), Is.Empty, "anonymous routes outside the public surface");
        Assert.That(Routes().Select(r => r.Pattern).Where(p => p.StartsWith("/api/v1/", StringComparison.Ordinal) && p != "/api/v1/auth/token")
            .Where(p => anonymous.Contains(p)), Is.Empty);
    }

    [Test]
    public async Task Every_other_route_answers_401_without_a_token()
    {
        var checkedRoutes = 0;
        foreach (var (endpoint, pattern, method) in Routes().Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var url = System.Text.RegularExpressions.Regex.Replace(pattern, "{[^}]+}", "abc");
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT")
            {
                // A body of a type the route takes, so that routing matches it and authorization is what answers.
                var type = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json";
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
            }
            var response = await Anonymous().SendAsync(request);
            Assert.That((int)response.StatusCode, Is.EqualTo(401), $"{method} {pattern}");
            checkedRoutes++;
        }
        Assert.That(checkedRoutes, Is.GreaterThan(20));
        Assert.That((int)(await Anonymous().GetAsync("/no/such/route")).StatusCode, Is.EqualTo(404));
    }
}
