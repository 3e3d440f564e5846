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
}
