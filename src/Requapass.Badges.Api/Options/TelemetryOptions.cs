using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>Traces and metrics: where they go, and whether Prometheus may scrape this node.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>
    /// An OTLP collector (e.g. http://otel-collector:4317). Empty: the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT variable is used if set; with neither, nothing is exported.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Serve the counters as Prometheus text at /metrics (anonymous: keep it off the public proxy).</summary>
    public bool PrometheusEndpoint { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("Telemetry:OtlpEndpoint must be an absolute http(s) URL, such as http://otel-collector:4317.", [nameof(OtlpEndpoint)]);
        }
    }
}

/// <summary>How log lines are written to the console.</summary>
public enum LogFormat { Json, Simple }

/// <summary>The one setting of ours in the framework's Logging section.</summary>
public sealed class LogFormatOptions
{
    public const string Section = "Logging";

    /// <summary>Json (one object per line, with the trace id) or Simple (text). Default: Simple in Development, Json elsewhere.</summary>
    public LogFormat? Format { get; set; }
}
