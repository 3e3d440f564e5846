using System.Diagnostics;
using System.Diagnostics.Metrics;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Telemetry;

/// <summary>Where an award came from.</summary>
public enum AwardSource { Single, Batch }

/// <summary>What a verification was given: the <c>input</c> field of the report.</summary>
public enum VerificationInput { Url, Assertion, Jws, Png, Svg, Endorsement, Credential }

/// <summary>The format of a baked image.</summary>
public enum BakeFormat { Png, Svg }

/// <summary>
/// The service's own counters, on one meter (<see cref="MeterName"/>), and its trace source. Tags
/// are a small closed set (never an id, a URL or a recipient), so every series stays bounded; their
/// key-value pairs are made once here, so counting allocates nothing on the request path.
/// </summary>
public sealed class BadgeMetrics
{
    public const string MeterName = "Requapass.Badges";

    /// <summary>Spans for work that no request carries (batch jobs) or that is worth its own line in a trace.</summary>
    public static readonly ActivitySource Tracing = new(MeterName);

    private readonly Counter<long> _awarded;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _bakes;
    private readonly Counter<long> _batchRows;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _mails;

    public BadgeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _awarded = meter.CreateCounter<long>("requapass.badges.awarded", "{assertion}", "Assertions awarded, by verification type and source.");
        _revoked = meter.CreateCounter<long>("requapass.badges.revoked", "{assertion}", "Assertions revoked.");
        _verifications = meter.CreateCounter<long>("requapass.badges.verifications", "{verification}", "Verification reports, by result and input kind.");
        _bakes = meter.CreateCounter<long>("requapass.badges.bakes", "{image}", "Baked images made, by format (public image and exports).");
        _batchRows = meter.CreateCounter<long>("requapass.badges.batch.rows", "{row}", "Bulk award rows committed by the batch worker.");
        _webhookDeliveries = meter.CreateCounter<long>("requapass.badges.webhook.deliveries", "{delivery}", "Webhook delivery attempts, by event and outcome.");
        _mails = meter.CreateCounter<long>("requapass.badges.mails", "{mail}", "Award email attempts, by outcome: sent, retrying, failed.");
    }

    /// <summary><paramref name="count"/> assertions awarded (called by the issuance core, once per commit).</summary>
    public void Awarded(VerificationType verification, AwardSource source, int count = 1)
    {
        if (count > 0) { _awarded.Add(count, verification == VerificationType.Signed ? Tags.Signed : Tags.Hosted, source == AwardSource.Batch ? Tags.Batch : Tags.Single); }
    }

    /// <summary><paramref name="count"/> assertions revoked (one, or a bulk revocation).</summary>
    public void Revoked(int count = 1) => _revoked.Add(count);

    public void Verified(bool valid, VerificationInput input) =>
        _verifications.Add(1, valid ? Tags.Valid : Tags.Invalid, Tags.Inputs[(int)input]);

    public void Baked(BakeFormat format) => _bakes.Add(1, format == BakeFormat.Svg ? Tags.Svg : Tags.Png);

    public void BatchRows(int count) => _batchRows.Add(count);

    /// <summary>One webhook delivery attempt. <paramref name="webhookEvent"/> is an event type name
    /// (assertion.awarded, ...) and <paramref name="outcome"/> a fixed word (succeeded, retrying, failed): never a URL.</summary>
    public void WebhookDelivery(string webhookEvent, string outcome) =>
        _webhookDeliveries.Add(1, new("event", webhookEvent), new("outcome", outcome));

    /// <summary>One award email attempt; <paramref name="outcome"/> is sent, retrying or failed (given up, refused or revoked).</summary>
    public void Mail(string outcome) => _mails.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static class Tags
    {
        public static readonly KeyValuePair<string, object?> Hosted = new("verification", "hosted");
        public static readonly KeyValuePair<string, object?> Signed = new("verification", "signed");
        public static readonly KeyValuePair<string, object?> Single = new("source", "single");
        public static readonly KeyValuePair<string, object?> Batch = new("source", "batch");
        public static readonly KeyValuePair<string, object?> Valid = new("result", "valid");
        public static readonly KeyValuePair<string, object?> Invalid = new("result", "invalid");
        public static readonly KeyValuePair<string, object?> Png = new("format", "png");
        public static readonly KeyValuePair<string, object?> Svg = new("format", "svg");

        /// <summary>Indexed by <see cref="VerificationInput"/>.</summary>
        public static readonly KeyValuePair<string, object?>[] Inputs =
            [.. Enum.GetValues<VerificationInput>().Select(i => new KeyValuePair<string, object?>("input", i.ToString().ToLowerInvariant()))];
    }
}
