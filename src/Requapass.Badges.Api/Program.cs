using Requapass.Badges.Api;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Applications;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Audit;
using Requapass.Badges.Api.Features.Baking;
using Requapass.Badges.Api.Features.Batches;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Claims;
using Requapass.Badges.Api.Features.DataRights;
using Requapass.Badges.Api.Features.Clients;
using Requapass.Badges.Api.Features.Endorsements;
using Requapass.Badges.Api.Features.Events;
using Requapass.Badges.Api.Features.Export;
using Requapass.Badges.Api.Features.Game;
using Requapass.Badges.Api.Features.Progress;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Features.OpenBadges3;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Features.Statistics;
using Requapass.Badges.Api.Features.Verification;
using Requapass.Badges.Api.Features.Webhooks;
using Requapass.Badges.Api.Health;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Startup;
using Requapass.Badges.Api.Telemetry;

// `healthcheck`: the container's HEALTHCHECK (the runtime image has no curl). Asks /health/ready on
// this container's own port and exits 0 when ready.
if (args.FirstOrDefault() == "healthcheck")
{
    return await HealthProbe.RunAsync(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080");
}

// The configuration files are read once: options are validated at start, and a change needs a restart
// anyway. Watching them cost about 6% of the CPU of an SQLite award (issue #14): the default data folder
// sits under the content root, and every write-ahead-log write woke the watcher. The argument
// --hostBuilder:reloadConfigOnChange=true given at start still wins (it comes after this default).
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
// The shipped defaults (appsettings.json beside the binaries) apply wherever the service is started
// from; they come first, so files in the content root, the environment and arguments override them.
builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
{
    Path = "appsettings.json",
    Optional = true,
    FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
});
builder.AddBadgesService();
var app = builder.Build();

// A bad setting, an unwritable data folder, an unreadable key or a missing database: one line each,
// all of them, exit code 1. Not under a test host (WebApplicationFactory runs this file up to
// RunAsync, then starts the host itself): there ValidateOnStart and the key loaders throw instead.
var migrateOnly = args.Contains("migrate");
var standalone = System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly;
if (standalone && await StartupCheck.FindAsync(app.Services, migrateOnly, CancellationToken.None) is { Count: > 0 } problems)
{
    return StartupCheck.Report(problems);
}

// `migrate`: apply migrations and seed, then exit (for deployments that migrate as a separate step).
if (migrateOnly)
{
    await app.Services.GetRequiredService<DatabaseInitializer>().RunAsync(CancellationToken.None);
    return 0;
}

app.UseTrustedProxies();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseRequestGuards();
app.UseCors();
app.UseRateLimiter();
// After the per-address rate: a caller over its rate is refused before it takes a slot.
app.UseHeavyWorkLimits();
app.UseAuthentication();
app.UseAuthorization();
app.UsePublicAnswerFreshness();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
// The OpenAPI document is public everywhere (integrators read it). Swagger UI is a page of scripts
// for people trying the API: in Development, or where Service:SwaggerUi turns it on.
if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>($"{Requapass.Badges.Api.Options.ServiceOptions.Section}:SwaggerUi"))
{
    // Only under /swagger: elsewhere its path check was a fortieth of a public read's CPU (issue #14).
    app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger => swagger.UseSwaggerUI(o =>
    {
        o.SwaggerEndpoint("/openapi/v1.json", "Requapass Badges v1");
        o.RoutePrefix = "swagger";
    }));
}
app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
// Prometheus text at /metrics unless Telemetry:PrometheusEndpoint is false (README, Telemetry).
app.MapBadgesMetrics();

// Two audiences, two route groups; every request record is held to its limits and text rules
// (Infrastructure/InputRules.cs) in both.
//
// The management API, under /api/v1: partner associations' staff and platform admins. Every route
// is authenticated unless it says AllowAnonymous (a new route that forgets RequireAuthorization is
// not public), and the issuer scope is checked once, by its route parameter (Auth/IssuerScope.cs).
var management = app.MapGroup("/api/v1").RequireAuthorization()
    .AddEndpointFilterFactory(IssuerScope.Factory).AddEndpointFilterFactory(InputRulesFilter.Factory);
management.MapTokenEndpoints();
management.MapClientEndpoints();
management.MapIssuerEndpoints();
management.MapSigningKeyEndpoints();
management.MapBadgeClassEndpoints();
management.MapAssertionEndpoints();       // award, list, get, revoke
management.MapBatchEndpoints();           // bulk awards, jobs, bulk revocation
management.MapIssuerExportEndpoints();
management.MapUnbakeEndpoints();
management.MapEventEndpoints();
management.MapWebhookEndpoints();
management.MapMailEndpoints();            // resend a badge's award email
management.MapClaimCampaignEndpoints();   // claim campaigns: codes, QR codes
management.MapClaimReviewEndpoints();     // the review queue: approve, reject
management.MapEndorsementEndpoints();     // endorse another issuer's profile, class or badge; list, revoke
management.MapGameEndpoints();            // the mini-game: its discovery badge, and nothing else
management.MapProgressEndpoints();        // a recipient's levels, for staff
management.MapApplicationReviewEndpoints(); // applications from skills maps: queue, approve, request info, reject
management.MapStatisticsEndpoints();      // the barometer: REQUAPASS-wide (admins) and per issuer; JSON, CSV, SVG charts
management.MapErasureEndpoints();         // erase a volunteer's data on a documented request: staff for their issuer, admins everywhere
management.MapAuditEndpoints();           // the audit of staff actions (platform admins)

// The public API, under /public: what wallets, backpacks, verifiers, employers and browsers read.
// Anonymous by design; heavy routes carry their own rate and concurrency limits.
var publicApi = app.MapGroup("/public").AllowAnonymous().AddEndpointFilterFactory(InputRulesFilter.Factory);
publicApi.MapPublicDocumentEndpoints();   // issuers, badge classes (and translations), assertions (JSON-LD, JWS)
publicApi.MapPublicEndorsementEndpoints(); // hosted Endorsements (410 once revoked)
publicApi.MapPublicKeyEndpoints();        // keys, revocation lists, JWKS
publicApi.MapOb3Endpoints();              // Open Badges 3.0: Profile with JWKs, Achievement, credential (JSON-LD, VC-JWT), 1EdTech revocation list
publicApi.MapPublicImageEndpoints();      // class and issuer images
publicApi.MapBakedImageEndpoints();       // a badge's image with the assertion baked in
publicApi.MapBadgeExportEndpoints();      // one badge as a ZIP, for its holder
publicApi.MapPublicPageEndpoints();       // criteria and RECTEC+ pages
publicApi.MapBadgePageEndpoints();        // the badge pages' assets and verification page (the pages share the documents' URLs)
publicApi.MapVerifyEndpoints();           // verify any Open Badges 2.0 badge
publicApi.MapClaimEndpoints();            // claim a badge with a code, and the claim pages
publicApi.MapPublicProgressEndpoints();   // a volunteer's RECTEC+ levels, proved by their token
publicApi.MapSkillsMapEndpoints();        // the volunteer's skills map (by its mailed link), its PDF and pages, the competences guide
publicApi.MapApplicationEndpoints();      // apply from a skills map, answer, withdraw
publicApi.MapPublicDataRightsEndpoints(); // a volunteer's own data by a mailed link: page, JSON, ZIP of baked badges, erasure

try
{
    await app.RunAsync();
}
catch (Exception e) when (standalone && e is not OperationCanceledException)
{
    // What the checks above cannot foresee (an edited shipped migration, a port in use): the host has
    // logged the details; exit with 1 like the checks instead of aborting (134) and printing it again.
    return StartupCheck.Report([e.Message]);
}
return 0;

/// <summary>Visible to the API tests' WebApplicationFactory.</summary>
public partial class Program;
