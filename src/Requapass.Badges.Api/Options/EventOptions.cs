using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>Domain events (the outbox) and the moments that make them.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>How often a node looks for badges whose expiry date has passed, to announce them (assertion.expired).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a node looks for events not yet dispatched to their consumers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node holds the events it claimed; a node that stops leaves them to another after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}
