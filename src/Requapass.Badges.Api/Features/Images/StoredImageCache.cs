using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Images;

/// <summary>A stored image as served: its type, its bytes, and the SHA-256 its ETags are made of.</summary>
public sealed record CachedImage(string ContentType, byte[] Content, string Sha256);

/// <summary>
/// Stored images in memory, keyed by their row id, so the public image routes and the baked badge read
/// only a small row (the class's or issuer's image id) from the database, and the bytes once per node.
/// An image row is never changed nor deleted: a class or issuer given a new image points to a NEW row
/// (ImageUploads and CatalogueCopy only insert), and row ids are never reused (SQLite AUTOINCREMENT,
/// PostgreSQL identity). So an entry can never be stale and no invalidation is needed, on this node
/// or across nodes: a replaced image is simply no longer asked for, and ages out of the bounded cache.
/// </summary>
public sealed class StoredImageCache : IDisposable
{
    // Rough cost of an entry beside its bytes (the record, its strings, the cache's own bookkeeping).
    private const int EntryOverhead = 512;
    private readonly MemoryCache cache;
    private readonly bool enabled;

    public StoredImageCache(IOptions<CachingOptions> options)
    {
        enabled = options.Value.ImageBytes > 0;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.ImageBytes) });
    }

    /// <summary>The image with this id: from memory, else one SQL command (and kept). Null if there is no such row.</summary>
    public async ValueTask<CachedImage?> GetAsync(long id, BadgesDbContext db, CancellationToken ct)
    {
        if (cache.TryGetValue(id, out CachedImage? hit)) { return hit; }
        var image = await db.Images.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new CachedImage(i.ContentType, i.Content, i.Sha256)).SingleOrDefaultAsync(ct);
        if (image is not null && enabled)
        {
            // An entry larger than the whole limit is simply not kept (MemoryCache refuses it).
            cache.Set(id, image, new MemoryCacheEntryOptions { Size = image.Content.Length + EntryOverhead });
        }
        return image;
    }

    public void Dispose() => cache.Dispose();
}
