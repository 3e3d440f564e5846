using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Requapass.Badges.Core.Fetching;

/// <summary>
/// Fetches foreign Open Badges documents without becoming a way into our network (SSRF). The address
/// check happens in the connection callback, on the address actually connected to, so a name that
/// resolves to a private address, or re-resolves to one between a check and a connect (DNS
/// rebinding), is refused. No proxy (it would hide the real target); redirects followed by hand, each
/// checked again; hard caps on time, size (after decompression) and count. Never throws for a bad URL
/// or a bad server: the result says what happened.
/// </summary>
public sealed class GuardedFetcher : IDisposable
{
    private readonly FetchPolicy _policy;
    private readonly HttpClient _client;
    private int _connects;

    /// <summary>Creates a fetcher; one instance is shared by all verifications.</summary>
    public GuardedFetcher(FetchPolicy policy)
    {
        _policy = policy;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = policy.Timeout,
            ConnectCallback = ConnectAsync,
            UseCookies = false,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Connections opened so far (tests use it to prove a refusal happened before any connect).</summary>
    public int Connects => _connects;

    /// <summary>A new budget for one verification.</summary>
    public FetchSession NewSession() => new(_policy.MaxFetchesPerSession);

    /// <summary>Fetches <paramref name="url"/>, following up to the allowed redirects.</summary>
    public async Task<FetchResult> FetchAsync(Uri url, FetchSession session, CancellationToken ct, string? accept = null)
    {
        var visited = new List<Uri>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_policy.Timeout);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (Check(current, visited.LastOrDefault()) is { } refused) { return FetchResult.Fail(refused.Code, refused.Message, visited); }
                if (!session.TryTake())
                {
                    return FetchResult.Fail("fetch.budget_exhausted", $"This verification already made {session.Budget} requests, the most allowed.", visited);
                }
                visited.Add(current);
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.ParseAdd(accept ?? "application/ld+json, application/json;q=0.9, */*;q=0.1");
                request.Headers.UserAgent.ParseAdd(_policy.UserAgent);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= _policy.MaxRedirects)
                    {
                        return FetchResult.Fail("fetch.too_many_redirects", $"More than {_policy.MaxRedirects} redirects.", visited);
                    }
                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    continue;
                }
                if (response.Content.Headers.ContentLength > _policy.MaxBytes)
                {
                    return FetchResult.Fail("fetch.too_large", $"The document is larger than {_policy.MaxBytes / 1024} KB.", visited);
                }
                var body = await ReadCapped(response.Content, timeout.Token);
                if (body is null)
                {
                    return FetchResult.Fail("fetch.too_large", $"The document is larger than {_policy.MaxBytes / 1024} KB.", visited);
                }
                return new FetchResult(true, "ok", $"HTTP {(int)response.StatusCode}.", current, (int)response.StatusCode,
                    response.Content.Headers.ContentType?.MediaType, body, visited);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return FetchResult.Fail("fetch.timeout", $"No complete answer within {_policy.Timeout.TotalSeconds:0.#} s.", visited);
        }
        catch (HttpRequestException e)
        {
            return Failure(e, visited);
        }
        catch (IOException e)
        {
            return FetchResult.Fail("fetch.failed", $"The connection failed: {e.Message}", visited);
        }
    }

    /// <summary>Scheme, userinfo, downgrade and literal-address rules, before any connection.</summary>
    private (string Code, string Message)? Check(Uri url, Uri? from)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ("fetch.scheme_not_allowed", $"Only http and https URLs are fetched, not {(url.IsAbsoluteUri ? url.Scheme : "a relative URL")}.");
        }
        if (!string.IsNullOrEmpty(url.UserInfo)) { return ("fetch.userinfo", "URLs with a user name or password are not fetched."); }
        if (from is not null && from.Scheme == Uri.UriSchemeHttps && url.Scheme == Uri.UriSchemeHttp)
        {
            return ("fetch.downgrade", "A redirect from https to http is refused.");
        }
        // Ports are allowed: badges are hosted on any port, and the address rules, not the port, keep
        // the fetch away from our own network.
        return IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal) && Refused(literal) is { } reason
            ? ("fetch.forbidden_address", $"{url.Host} is {reason}; it is not fetched.")
            : null;
    }

    private string? Refused(IPAddress address) =>
        AddressRules.InRanges(address, _policy.AllowedRanges) ? null : AddressRules.Refusal(address);

    private ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct) =>
        GuardedConnect.ConnectAsync(context.DnsEndPoint, Refused, () => Interlocked.Increment(ref _connects), ct);

    private async Task<byte[]?> ReadCapped(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > _policy.MaxBytes) { return null; }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static FetchResult Failure(HttpRequestException e, List<Uri> visited)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ForbiddenAddressException forbidden:
                    return FetchResult.Fail("fetch.forbidden_address", forbidden.Message + " It is not fetched.", visited);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return FetchResult.Fail("fetch.dns", "The host name does not resolve.", visited);
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return FetchResult.Fail("fetch.unreachable", "The server cannot be reached.", visited);
            }
        }
        return FetchResult.Fail("fetch.failed", $"The request failed: {e.Message}", visited);
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
