using System.Collections.Concurrent;
using Requapass.Badges.Core.Verification;

namespace Requapass.Badges.Api.Features.Verification;

/// <summary>
/// Our own issuer profiles, badge classes and keys as the verifier last read them, for a few seconds:
/// verifying a badge reads three of them, and they change rarely (a key rotation is checked against
/// the database directly). Assertions are never cached, and revocation answers not
/// here beyond <see cref="RevocationLifetime"/>, and a revocation made through this process clears
/// them at once. Bounded: when full it starts again empty.
/// </summary>
public sealed class OwnDocumentCache(TimeProvider clock)
{
    /// <summary>How long a document is reused; an edited profile or class shows within this time.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, SourcedDocument Document)> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// How long "not revoked" may be reused. A revocation made on this node shows in the next
    /// verification; one made on another node of the same database shows within this time.
    /// </summary>
    public static readonly TimeSpan RevocationLifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, long Epoch, RevocationAnswer Answer)> _revocations = new(StringComparer.Ordinal);
    private long _epoch;

    /// <summary>
    /// Call after a change to what the cached documents list (an endorsement made or revoked): every
    /// cached document is dropped, so the verifier reads the change at once on this node.
    /// </summary>
    public void DocumentsChanged() => _entries.Clear();

    /// <summary>Call after any revocation: every cached revocation answer is dropped.</summary>
    public void RevocationsChanged() => Interlocked.Increment(ref _epoch);

    public async Task<RevocationAnswer> GetOrLoadRevocationAsync(string key, Func<Task<RevocationAnswer>> load)
    {
        var now = clock.GetUtcNow();
        var epoch = Interlocked.Read(ref _epoch);
        if (_revocations.TryGetValue(key, out var entry) && entry.Expires > now && entry.Epoch == epoch) { return entry.Answer; }
        var answer = await load();
        if (_revocations.Count >= Capacity) { _revocations.Clear(); }
        _revocations[key] = (now + RevocationLifetime, epoch, answer);
        return answer;
    }

    public async Task<SourcedDocument> GetOrLoadAsync(string path, Func<Task<SourcedDocument>> load)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(path, out var entry) && entry.Expires > now) { return entry.Document; }
        var document = await load();
        if (document.Ok && document.Status == StatusCodes.Status200OK)
        {
            if (_entries.Count >= Capacity) { _entries.Clear(); }
            _entries[path] = (now + Lifetime, document);
        }
        return document;
    }
}
