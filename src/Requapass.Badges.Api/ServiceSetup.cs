using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Features.Verification;
using Requapass.Badges.Api.Health;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Api.Startup;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api;

public static class ServiceSetup
{
    /// <summary>Everything the service needs, configured once; options are validated at start-up.</summary>
    public static WebApplicationBuilder AddBadgesService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CatalogueOptions>().BindConfiguration(CatalogueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SkillsMapsOptions>().BindConfiguration(SkillsMapsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataRightsOptions>().BindConfiguration(DataRightsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.Section);
        services.AddOptions<StatisticsOptions>().BindConfiguration(StatisticsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The catalogue is read once per process, from Catalogue:File or the embedded resource.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CatalogueOptions>>().Value.Load());
        services.AddSingleton<OwnDocumentCache>();
        services.AddSingleton<Features.Verification.VerificationCounter>();
        services.AddSingleton<Features.Verification.VerificationCountFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Verification.VerificationCountFlusher>());
        services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Features.Images.StoredImageCache>();
        services.AddSingleton<Features.Public.PublicAnswerCache>();
        services.AddScoped<Features.Export.ExportPackage>();
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Features.Batches.BatchProcessor>();
        // One guarded fetcher (one connection pool) for every verification; each gets its own budget.
        services.AddSingleton(sp =>
        {
            var allowed = sp.GetRequiredService<IOptions<VerificationOptions>>().Value.AllowedRanges;
            if (allowed.Count > 0)
            {
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<GuardedFetcher>().LogWarning(
                    "Verification:AllowedRanges lets the verifier fetch from {Ranges}, despite the SSRF rules. It is meant for tests only.",
                    string.Join(", ", allowed));
            }
            return new GuardedFetcher(new FetchPolicy { AllowedRanges = [.. allowed] });
        });
        services.AddSingleton<KeyRing>();
        services.AddScoped<IssuerKeys>();
        services.AddScoped<Features.Lookups.Addressed>();
        services.AddScoped<Features.Issuance.Revocation>();
        services.AddScoped<Features.Endorsements.Endorsing>();
        services.AddScoped<Features.Issuance.Pathways>();
        services.AddScoped<Features.Issuance.SingleAward>();
        services.AddScoped<Features.Issuance.AwardStore>();
        services.AddSingleton<Features.Issuance.SqliteAwardQueue>();
        // The skills map's mailed token proves its owner to the progress grid.
        services.AddScoped<Features.Progress.IRecipientProof, Features.Progress.SkillsMapRecipientProof>();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The outbox's consumers: each writes inside the transaction that marks an event dispatched.
        services.AddScoped<Features.Issuance.IOutboxConsumer, Features.Webhooks.WebhookConsumer>();
        services.AddScoped<Features.Issuance.IOutboxConsumer, Features.Mail.AwardMailConsumer>();
        // Award emails: SMTP settings (optional: without Mail:Host mails are off), templates parsed once.
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Features.Mail.MailComposer>();
        services.AddSingleton<Features.Mail.MailSender>();
        services.AddSingleton<Features.Webhooks.WebhookSecrets>();
        // Claim codes: their keys (derived from Auth:SigningKey), the claim, and the claim's award.
        services.AddSingleton<Features.Claims.ClaimCodes>();
        services.AddScoped<Features.Issuance.ReviewedAwards>();
        services.AddScoped<Features.Claims.ClaimAwards>();
        services.AddScoped<Features.Claims.Claiming>();
        services.AddScoped<Features.SkillsMaps.SkillsMapMails>();
        // The volunteer's data rights: the mailed link, the copy of their data, the erasure.
        services.AddScoped<Features.DataRights.DataAccessLinks>();
        services.AddScoped<Features.DataRights.PersonalData>();
        services.AddScoped<Features.DataRights.Erasure>();
        services.AddScoped<Features.Applications.ApplicationJournal>();
        // The audit of staff actions: written in each action's transaction, by the caller of the request.
        services.AddHttpContextAccessor();
        services.AddScoped<Features.Audit.AuditTrail>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Features.Issuance.OutboxSignals>();
        // One guarded sender (one connection pool) for every webhook delivery.
        services.AddSingleton(sp =>
        {
            var webhooks = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
            if (webhooks.AllowedRanges.Count > 0)
            {
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<GuardedSender>().LogWarning(
                    "Webhooks:AllowedRanges lets deliveries reach {Ranges}, despite the SSRF rules. It is meant for tests only.",
                    string.Join(", ", webhooks.AllowedRanges));
            }
            return new GuardedSender(new SendPolicy { AllowedRanges = [.. webhooks.AllowedRanges], Timeout = webhooks.Timeout });
        });

        // Read here without throwing: a bad provider or a missing connection string is reported, with
        // every other problem, by StartupCheck before the host starts (and by ValidateOnStart after).
        var database = new DatabaseOptions
        {
            Provider = Enum.TryParse<DatabaseProvider>(builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"], ignoreCase: true, out var provider)
                ? provider : DatabaseProvider.Sqlite,
            ConnectionString = builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}"],
        };
        var dataDirectory = builder.Configuration[$"{ServiceOptions.Section}:{nameof(ServiceOptions.DataDirectory)}"] ?? "data";
        services.AddBadgesDatabase(database.Provider, ConnectionString(database, dataDirectory));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<ObDocuments>();
        services.AddSingleton<Features.OpenBadges3.Ob3Documents>();
        services.AddSingleton<Features.OpenBadges3.CredentialSigner>();
        services.AddScoped<Features.OpenBadges3.Credentials3>();
        services.AddSingleton<Features.Pages.PageTexts>();
        services.AddSingleton<Features.Pages.PageRenderer>();
        services.AddSingleton<Features.Pages.SiteAssets>();
        services.AddScoped<Features.Pages.BadgePages>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        // After the initializer: jobs resume once the database is migrated.
        services.AddHostedService<Features.Batches.BatchWorker>();
        services.AddHostedService<Features.Issuance.ExpiryAnnouncer>();
        services.AddHostedService<Features.Issuance.OutboxDispatcher>();
        services.AddHostedService<Features.Webhooks.WebhookDeliveryWorker>();
        services.AddHostedService<Features.Mail.MailDeliveryWorker>();
        services.AddHostedService<Features.Mail.ExpiryReminderWorker>();
        // One instance, so that an operator's tool (or a test) can run a sweep on demand with this node's lease holder.
        services.AddSingleton<Features.Retention.RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Retention.RetentionWorker>());

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // A skills map's path holds its capability token: its problems name the route template instead.
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path.StartsWithSegments("/public/skills-maps")
                ? (ctx.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "/public/skills-maps"
                : ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
            // Answers made by the framework itself (routing's 415, a body over the limit while binding) get a detail too.
            ctx.ProblemDetails.Detail ??= ctx.ProblemDetails.Status switch
            {
                413 => RequestGuards.TooLargeDetail(RequestGuards.LimitOf(ctx.HttpContext)),
                415 => MediaTypes.UnsupportedDetail(ctx.HttpContext),
                404 => "Nothing is published at this URL.",
                405 => "This URL does not take that method.",
                _ => null,
            };
            if (ctx.ProblemDetails.Type is null or "about:blank" || ctx.ProblemDetails.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                ctx.ProblemDetails.Type = Problems.Type(ctx.ProblemDetails.Status switch
                {
                    401 => "unauthorized",
                    403 => "forbidden",
                    404 => "not-found",
                    405 => "method-not-allowed",
                    415 => "unsupported-media-type",
                    413 => "too-large",
                    >= 500 => "internal",
                    _ => "bad-request",
                });
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.Converters.Add(new StrictDateConverter());
            o.SerializerOptions.MaxDepth = 32;
        });
        // Binding failures (bad JSON, a wrong media type) are thrown to the one exception handler, which
        // answers each with a problem that says what was wrong, in every environment.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddCors(o =>
        {
            o.AddPolicy(HttpNames.PublicCors, p => p.AllowAnyOrigin().WithMethods("GET", "HEAD").WithExposedHeaders("ETag"));
            // Portfolio pages verify badges from the browser: anonymous, no credentials.
            o.AddPolicy(HttpNames.VerifyCors, p => p.AllowAnyOrigin().WithMethods("POST").WithHeaders("Content-Type"));
        });
        services.AddAdminAuth();
        services.AddOptions<PublicTrafficOptions>().BindConfiguration(PublicTrafficOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HeavyWork>();
        services.AddBadgesRateLimits();
        services.AddBadgesOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.AddBadgesTelemetry();
        return builder;
    }

    /// <summary>The configured connection string, or a SQLite file in the data directory.</summary>
    public static string ConnectionString(DatabaseOptions options, string dataDirectory)
    {
        var configured = options.ConnectionString;
        if (options.Provider == DatabaseProvider.Postgres) { return configured ?? ""; }
        var source = string.IsNullOrWhiteSpace(configured) ? $"Data Source={Path.Combine(dataDirectory, "requapass.db")}" : configured;
        try
        {
            return new SqliteConnectionStringBuilder(source) { Pooling = true }.ToString();
        }
        catch (ArgumentException)
        {
            return source; // not valid: DatabaseOptions reports it before the host starts
        }
    }

    /// <summary>The SQLite file, as a full path; null for an in-memory database.</summary>
    public static string? SqliteFile(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } file && file != ":memory:" ? Path.GetFullPath(file) : null;
}
