using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>Domain events (the outbox) and the moments that make them.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>How often a node looks for badges whose expiry date has passed, to announce them (assertion.expired).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromMinutes(1);
}
