using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>Bulk awards (POST /api/v1/badge-classes/{badgeClassId}/assertions/batch).</summary>
public sealed class BatchOptions
{
    public const string Section = "Batch";

    /// <summary>Rows per request, at most.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Batches with at most this many valid rows are awarded before the response (201); larger ones answer 202 with a job.</summary>
    [Range(0, MaxRows)]
    public int SyncThreshold { get; set; } = 100;

    /// <summary>Rows awarded per transaction.</summary>
    [Range(1, 5_000)]
    public int ChunkSize { get; set; } = 500;

    /// <summary>How long a node holds a running job without progress before another node (or a restart) takes it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker looks for queued or abandoned jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A pause after each chunk, to spare a busy database (0 by default).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PauseBetweenChunks { get; set; } = TimeSpan.Zero;
}
