using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>What one node keeps in memory to serve the public reads without the database's heavy columns.</summary>
public sealed class CachingOptions
{
    public const string Section = "Caching";

    /// <summary>
    /// Bytes of stored images (badge class and issuer images) kept in memory, least recently used
    /// dropped first. An image is at most 256 KB; the default holds a few hundred classes. 0 keeps none.
    /// </summary>
    [Range(0, 4L * 1024 * 1024 * 1024)] public long ImageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a finished public answer (a document's bytes, a baked image) is reused by this node.
    /// A change made on this node shows in the very next answer (the node drops them at once); a change
    /// made on another node of the same database shows within this time. Zero turns the reuse off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan AnswerLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes of finished public answers kept in memory (documents and baked images), least recently used dropped first.</summary>
    [Range(0, 4L * 1024 * 1024 * 1024)] public long AnswerBytes { get; set; } = 64L * 1024 * 1024;
}
