namespace Requapass.Badges.Core.Fetching;

/// <summary>The limits of every outbound fetch (issue #5: 3 redirects, 5 s, 1 MB, 10 fetches per verification).</summary>
public sealed record FetchPolicy
{
    /// <summary>Redirects followed, each checked again from scratch.</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>Time for one fetch, redirects included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest body read, after decompression.</summary>
    public int MaxBytes { get; init; } = 1024 * 1024;

    /// <summary>Requests one verification may make, redirects included.</summary>
    public int MaxFetchesPerSession { get; init; } = 10;

    /// <summary>
    /// Addresses (CIDR) allowed despite the rules. Empty in production; the tests put 127.0.0.1/32 here
    /// to serve foreign badges from a local server.
    /// </summary>
    public IReadOnlyList<string> AllowedRanges { get; init; } = [];

    /// <summary>The User-Agent sent.</summary>
    public string UserAgent { get; init; } = "RequapassBadges-Verifier/1.0";
}

/// <summary>The fetch budget of one verification.</summary>
public sealed class FetchSession
{
    private int _used;

    internal FetchSession(int budget) => Budget = budget;

    /// <summary>Requests allowed.</summary>
    public int Budget { get; }

    /// <summary>Requests made so far.</summary>
    public int Used => _used;

    internal bool TryTake() => Interlocked.Increment(ref _used) <= Budget;
}

/// <summary>
/// What a fetch gave: a completed HTTP exchange (any status, a 410 included: it means something to a
/// verifier) or a refusal or failure with a stable code and a plain message.
/// </summary>
public sealed record FetchResult(bool Ok, string Code, string Message, Uri? FinalUrl = null, int? StatusCode = null,
    string? ContentType = null, byte[]? Body = null, IReadOnlyList<Uri>? Visited = null)
{
    /// <summary>A failure or refusal.</summary>
    public static FetchResult Fail(string code, string message, IReadOnlyList<Uri>? visited = null) => new(false, code, message, Visited: visited);
}
