using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Telemetry;

/// <summary>Console logs (JSON or text), the service's counters, and OpenTelemetry traces and metrics.</summary>
public static class TelemetrySetup
{
    /// <summary>The standard variable the OTLP exporter reads on its own (with OTEL_EXPORTER_OTLP_PROTOCOL).</summary>
    private const string OtlpVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddBadgesTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LogFormatOptions>().BindConfiguration(LogFormatOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<BadgeMetrics>();
        AddConsoleLogs(builder);

        // Read here without throwing, as the database settings are: a bad value is reported by StartupCheck.
        var endpoint = configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)}"] is { Length: > 0 } e
            && Uri.TryCreate(e, UriKind.Absolute, out _) ? e : null;
        var otlp = endpoint is not null || !string.IsNullOrWhiteSpace(configuration[OtlpVariable]);
        var prometheus = PrometheusEnabled(configuration);
        if (!otlp && !prometheus) { return builder; }

        var telemetry = builder.Services.AddOpenTelemetry();
        // service.name, unless the operator gives one (OTEL_SERVICE_NAME, read by the default resource).
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])) { telemetry.ConfigureResource(r => r.AddService("requapass-badges")); }
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(BadgeMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
            if (otlp) { metrics.AddOtlpExporter(o => Otlp(o, endpoint, "/v1/metrics")); }
            if (prometheus) { metrics.AddPrometheusExporter(); }
        });
        // Traces only go somewhere over OTLP: without a collector, recording spans would be pure cost.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(BadgeMetrics.MeterName)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health");
                    // The query may carry a recipient (GET .../assertions?recipient=...). The instrumentation
                    // redacts its values by default, but an environment variable turns that off: drop it.
                    // A skills map's path holds its capability token: the span keeps the route template instead.
                    o.EnrichWithHttpRequest = (activity, http) =>
                    {
                        activity.SetTag("url.query", null);
                        if (http.Path.StartsWithSegments("/public/skills-maps")) { activity.SetTag("url.path", "/public/skills-maps/{token}"); }
                        else if (http.Path.StartsWithSegments("/public/my-data")) { activity.SetTag("url.path", "/public/my-data/{token}"); }
                    };
                })
                // Outbound fetches (foreign badges): the query values are redacted by default (url.full).
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => Otlp(o, endpoint, "/v1/traces")));
        }
        return builder;
    }

    /// <summary>/metrics, when on. Anonymous: scrapers hold no token; keep the path off the public proxy (README, Telemetry).</summary>
    public static WebApplication MapBadgesMetrics(this WebApplication app)
    {
        if (PrometheusEnabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().ExcludeFromDescription();
        }
        return app;
    }

    private static bool PrometheusEnabled(IConfiguration configuration) =>
        !bool.TryParse(configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.PrometheusEndpoint)}"], out var on) || on;

    /// <summary>Telemetry:OtlpEndpoint is a base address as the standard variable is: the signal's path is added for HTTP.</summary>
    private static void Otlp(OtlpExporterOptions options, string? endpoint, string signalPath)
    {
        if (endpoint is null) { return; } // the exporter has read OTEL_EXPORTER_OTLP_ENDPOINT itself
        options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint.TrimEnd('/') + signalPath) : new Uri(endpoint);
    }

    /// <summary>
    /// JSON, one object per line with the trace and span ids (a scope added to every line written
    /// under a request or a span), or single-line text for people at a terminal.
    /// </summary>
    private static void AddConsoleLogs(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{LogFormatOptions.Section}:{nameof(LogFormatOptions.Format)}"];
        var format = Enum.TryParse<LogFormat>(configured, ignoreCase: true, out var f) ? f
            : builder.Environment.IsDevelopment() ? LogFormat.Simple : LogFormat.Json;
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (format == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));
        }
    }
}
