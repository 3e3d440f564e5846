using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Auth;

/// <summary>
/// "Is this API client still enabled?", asked by every authenticated request (AuthSetup): a yes is kept
/// by the node for <see cref="CachingOptions.AnswerLifetime"/> (2 s) instead of a query per request. A
/// client disabled on this node loses access at its very next request (<see cref="Changed"/> forgets
/// every yes); on another node of the same database, within the lifetime. A no is never kept.
/// </summary>
public sealed class ActiveClients(TimeProvider clock, IOptions<CachingOptions> options)
{
    private const int Capacity = 10_000;
    private readonly TimeSpan lifetime = options.Value.AnswerLifetime;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, long Generation)> active = new(StringComparer.Ordinal);
    private long generation;

    /// <summary>A client was disabled: ask the database again for every client.</summary>
    public void Changed() => Interlocked.Increment(ref generation);

    public async ValueTask<bool> IsActiveAsync(string clientId, Func<Task<bool>> load)
    {
        var seen = Interlocked.Read(ref generation);
        var now = clock.GetUtcNow();
        if (active.TryGetValue(clientId, out var entry) && entry.Generation == seen && entry.Until > now) { return true; }
        var yes = await load();
        if (yes && lifetime > TimeSpan.Zero && Interlocked.Read(ref generation) == seen)
        {
            if (active.Count >= Capacity) { active.Clear(); }
            active[clientId] = (now + lifetime, seen);
        }
        return yes;
    }
}
