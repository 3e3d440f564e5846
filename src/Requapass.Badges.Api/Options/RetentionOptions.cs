using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>
/// How long personal data and the audit are kept (issue #15): the retention sweep
/// (Features/Retention/RetentionWorker.cs) enforces each rule, on one node at a time, in small batches.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>False: this node runs no sweep (another node, or an operator's one-off run, does).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node tries to take the sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the node that took the sweep holds it; a node that stops leaves it to another after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Rows deleted or wiped per transaction.</summary>
    [Range(1, 5_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>A mail not sent this many days after it was queued is given up, and its address wiped (also a mail request never turned into a mail).</summary>
    [Range(1, 365)]
    public int UndeliveredMailDays { get; set; } = 30;

    /// <summary>A skills map neither used nor applied from for this many days is deleted, with its experiences, applications and mails.</summary>
    [Range(30, 3_650)]
    public int AbandonedSkillsMapDays { get; set; } = 365;

    /// <summary>A rejected or withdrawn application is deleted this many days after its decision.</summary>
    [Range(1, 3_650)]
    public int RejectedApplicationDays { get; set; } = 180;

    /// <summary>A rejected claim is deleted this many days after its decision; a claim still waiting for review loses its address after UndeliveredMailDays.</summary>
    [Range(1, 3_650)]
    public int RejectedClaimDays { get; set; } = 180;

    /// <summary>A finished bulk award's rows (recipients' addresses) are wiped this many days after it finished; its counts and errors stay.</summary>
    [Range(1, 3_650)]
    public int BatchRowsDays { get; set; } = 30;

    /// <summary>Audit entries are deleted this many days after the action (3 years by default).</summary>
    [Range(30, 36_500)]
    public int AuditDays { get; set; } = 1_095;
}
