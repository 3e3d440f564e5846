using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>Staff of one issuer can never read or change another issuer's data: every admin route.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class IsolationTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private Partner _owner = null!;
    private Partner _intruder = null!;
    private string _badgeClassId = null!;
    private string _assertionId = null!;

    [SetUp]
    public async Task TwoPartners()
    {
        _owner = await NewPartnerAsync("Maison des Associations de Tourcoing");
        _intruder = await NewPartnerAsync("Maison des Associations de Charleroi");
        _badgeClassId = await NewBadgeClassAsync(_owner);
        _assertionId = (await AwardAsync(_owner, _badgeClassId))["id"]!.GetValue<string>();
    }

    public static IEnumerable<TestCaseData> Routes()
    {
        // (method, path template, body kind). {issuer}, {class}, {assertion} belong to the owner.
        yield return new TestCaseData("GET", "/api/v1/issuers/{issuer}", "none");
        yield return new TestCaseData("PUT", "/api/v1/issuers/{issuer}", "issuer");
        yield return new TestCaseData("PUT", "/api/v1/issuers/{issuer}/image", "png");
        yield return new TestCaseData("POST", "/api/v1/issuers/{issuer}/catalogue", "none");
        yield return new TestCaseData("GET", "/api/v1/issuers/{issuer}/badge-classes", "none");
        yield return new TestCaseData("POST", "/api/v1/issuers/{issuer}/badge-classes", "class");
        yield return new TestCaseData("GET", "/api/v1/issuers/{issuer}/assertions", "none");
        yield return new TestCaseData("GET", "/api/v1/badge-classes/{class}", "none");
        yield return new TestCaseData("PUT", "/api/v1/badge-classes/{class}", "class");
        yield return new TestCaseData("POST", "/api/v1/badge-classes/{class}/archive", "none");
        yield return new TestCaseData("PUT", "/api/v1/badge-classes/{class}/image", "png");
        yield return new TestCaseData("POST", "/api/v1/badge-classes/{class}/assertions", "award");
        yield return new TestCaseData("GET", "/api/v1/assertions/{assertion}", "none");
        yield return new TestCaseData("POST", "/api/v1/assertions/{assertion}/revoke", "revoke");
    }

    [TestCaseSource(nameof(Routes))]
    public async Task OtherIssuersStaff_IsForbidden_AndChangesNothing(string method, string template, string body)
    {
        var path = template.Replace("{issuer}", _owner.IssuerId).Replace("{class}", _badgeClassId).Replace("{assertion}", _assertionId);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(body) };
        await AssertProblem(await _intruder.Client.SendAsync(request), 403);

        // The owner's data is as it was.
        var issuer = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}"), 200);
        Assert.That(issuer["name"]!.GetValue<string>(), Is.EqualTo("Maison des Associations de Tourcoing"));
        Assert.That(issuer["imageUrl"], Is.Null);
        var classes = await JsonArray(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/badge-classes"));
        Assert.That(classes, Has.Count.EqualTo(1));
        Assert.That(classes[0]!["archived"]!.GetValue<bool>(), Is.False);
        var assertions = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(assertions["items"]![0]!["revoked"]!.GetValue<bool>(), Is.False);
    }

    /// <summary>
    /// Not a hand-kept list: every management route the service maps that names an issuer's resource
    /// by its route parameter answers another issuer's staff 403 (the issuer-scope filter), before it
    /// reads or writes anything; and the two audiences are where Program.cs says they are.
    /// </summary>
    [Test]
    public async Task EveryScopedRoute_TheServiceMaps_AnswersAnotherIssuersStaff403()
    {
        var batch = await _owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{_badgeClassId}/assertions/batch")
        {
            Content = JsonContent.Create(new[] { new { recipient = new { type = "email", identity = "row@example.org" } } }),
            Headers = { { "Idempotency-Key", "isolation-batch" } },
        });
        var jobId = (await Json(batch, 201))["id"]!.GetValue<string>();
        var campaign = await ClaimTests.CampaignAsync(_owner, _badgeClassId, ClaimTests.MultiUse(review: true));
        var claim = await Json(await Anonymous().PostAsJsonAsync("/public/claims", new { code = campaign["code"]!.GetValue<string>(), email = "claimer@example.org" }), 202);
        // The owner endorses the intruder's profile: the endorsement is the owner's (the endorser's) to read and revoke.
        var endorsement = await Json(await _owner.Client.PostAsJsonAsync($"/api/v1/issuers/{_owner.IssuerId}/endorsements",
            new { target = $"{BadgesApiFactory.PublicBaseUrl}/public/issuers/{_intruder.IssuerId}", comment = "Un partenaire fiable." }), 201);
        var map = await ApplicationTests.NewMapAsync(Factory.Database);
        var application = await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
            new { issuerId = _owner.IssuerId, badgeClassIds = new[] { _badgeClassId }, experienceId = map.ExperienceId, narrative = "Accueil" }), 201);
        var values = new Dictionary<string, string>
        {
            ["issuerId"] = _owner.IssuerId, ["badgeClassId"] = _badgeClassId, ["assertionId"] = _assertionId, ["jobId"] = jobId,
            ["campaignId"] = campaign["id"]!.GetValue<string>(), ["claimId"] = claim["claimId"]!.GetValue<string>(),
            ["endorsementId"] = endorsement["id"]!.GetValue<string>(),
            ["applicationId"] = application["items"]![0]!["id"]!.GetValue<string>(),
            // Looked up within the issuer, after the scope check: any well-formed id will do.
            ["webhookId"] = "abcdefghijklmnop", ["deliveryId"] = "abcdefghijklmnop",
        };
        var endpoints = Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().ToList();
        var tried = 0;
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText!.TrimEnd('/');
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            if (pattern.StartsWith("/public", StringComparison.Ordinal))
            {
                Assert.That(anonymous, Is.True, $"{pattern} is in the public API");
                continue;
            }
            if (!pattern.StartsWith("/api/v1", StringComparison.Ordinal)) { continue; }
            Assert.That(anonymous, Is.EqualTo(pattern == "/api/v1/auth/token"), $"{pattern}: only the token route of the management API is anonymous");
            var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            if (!parameters.Any(p => p is "issuerId" or "badgeClassId" or "assertionId" or "jobId" or "campaignId" or "claimId" or "endorsementId" or "applicationId")) { continue; }
            Assert.That(parameters, Is.SubsetOf(values.Keys), $"{pattern}: a route parameter named as nowhere else");
            var path = parameters.Aggregate(pattern, (p, name) => p.Replace("{" + name + "}", values[name]));
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                // A body the route takes (routing answers 415 to another type before any filter runs).
                var takes = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes ?? ["application/json"];
                if (method is "POST" or "PUT")
                {
                    request.Content = takes.Contains("application/json") ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
                        : new ByteArrayContent(Png()) { Headers = { ContentType = new("image/png") } };
                }
                request.Headers.Add("Idempotency-Key", "intruder");
                await AssertProblem(await _intruder.Client.SendAsync(request), 403);
                tried++;
            }
        }
        Assert.That(tried, Is.GreaterThanOrEqualTo(44), "the scoped routes were found");

        // A game client (issue #13, part 5), bound to the owner's class: every management route but its own
        // answers 403, scoped or not, before it reads or writes anything.
        var admin = await AdminAsync();
        var gameClient = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "Jeu", role = "game", issuerId = _owner.IssuerId, badgeClassId = _badgeClassId }), 201);
        var game = WithToken(await TokenAsync(gameClient["clientId"]!.GetValue<string>(), gameClient["clientSecret"]!.GetValue<string>()));
        var refused = 0;
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText!.TrimEnd('/');
            if (!pattern.StartsWith("/api/v1", StringComparison.Ordinal) || pattern is "/api/v1/auth/token" or "/api/v1/game/discoveries") { continue; }
            var names = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var path = names.Aggregate(pattern, (p, name) => p.Replace("{" + name + "}", values.GetValueOrDefault(name, "abcdefghijklmnop")));
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                var takes = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes ?? ["application/json"];
                if (method is "POST" or "PUT")
                {
                    request.Content = takes.Contains("application/json") ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
                        : new ByteArrayContent(Png()) { Headers = { ContentType = new("image/png") } };
                }
                request.Headers.Add("Idempotency-Key", "game");
                await AssertProblem(await game.SendAsync(request), 403);
                refused++;
            }
        }
        Assert.That(refused, Is.GreaterThan(tried), "every management route, scoped or not, was tried with the game token");
        var assertions = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Has.Count.EqualTo(2), "the award and the batch row, nothing from the intruder");
        var pending = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/claims?status=pending"), 200);
        Assert.That(pending["items"]!.AsArray(), Has.Count.EqualTo(1), "the intruder neither approved nor rejected the claim");
        var applications = await Json(await _owner.Client.GetAsync($"/api/v1/issuers/{_owner.IssuerId}/applications?status=pending"), 200);
        Assert.That(applications["items"]!.AsArray(), Has.Count.EqualTo(1), "the intruder neither decided on the application nor asked for more");
        var read = await Json(await _owner.Client.GetAsync($"/api/v1/claim-campaigns/{campaign["id"]}"), 200);
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("open"), "nor closed the campaign");
        var endorsed = await Json(await _owner.Client.GetAsync($"/api/v1/endorsements/{endorsement["id"]}"), 200);
        Assert.That(endorsed["revoked"]!.GetValue<bool>(), Is.False, "nor revoked the owner's endorsement");
    }

    /// <summary>
    /// Not a hand-kept list either: every route the service maps for platform admins alone (the admin-only
    /// policy: clients, issuers' creation, the audit) answers staff 403, with no trace in the audit.
    /// </summary>
    [Test]
    public async Task EveryAdminOnlyRoute_TheServiceMaps_AnswersStaff403()
    {
        var endpoints = Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any(a => a.Policy == "admin-only")).ToList();
        var patterns = endpoints.Select(e => e.RoutePattern.RawText!.TrimEnd('/')).ToList();
        Assert.That(patterns, Does.Contain("/api/v1/audit").And.Contain("/api/v1/clients"));
        var tried = 0;
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.Parameters.Select(p => p.Name)
                .Aggregate(endpoint.RoutePattern.RawText!, (p, name) => p.Replace("{" + name + "}", "abcdefghijklmnop"));
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT") { request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"); }
                await AssertProblem(await _owner.Client.SendAsync(request), 403);
                tried++;
            }
        }
        Assert.That(tried, Is.GreaterThanOrEqualTo(5));
        var staffEntries = await Json(await (await AdminAsync()).GetAsync($"/api/v1/audit?issuerId={_owner.IssuerId}&action=client.create"), 200);
        Assert.That(staffEntries["items"]!.AsArray().Select(e => e!["actorRole"]!.GetValue<string>()), Is.All.EqualTo("admin"),
            "no client was made by staff");
    }

    private static HttpContent? Body(string kind) => kind switch
    {
        "issuer" => JsonContent.Create(new { name = "Hijacked", url = "https://evil.example.org", email = "evil@example.org" }),
        "class" => JsonContent.Create(BadgeClassBody("Hijacked")),
        "award" => JsonContent.Create(new { recipient = new { type = "email", identity = "intruder@example.org" } }),
        "revoke" => JsonContent.Create(new { reason = "Hijacked" }),
        "png" => new ByteArrayContent(Png()),
        _ => null,
    };
}
