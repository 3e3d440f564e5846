using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Requapass.Badges.Core.Fetching;

/// <summary>The limits of every outbound POST (webhook deliveries).</summary>
public sealed record SendPolicy
{
    /// <summary>Time for one request: connect, send, and the whole answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Addresses (CIDR) allowed despite the address rules; empty in production.</summary>
    public IReadOnlyList<string> AllowedRanges { get; init; } = [];

    /// <summary>Characters of the answer's body kept, for a person reading why a delivery failed.</summary>
    public int ExcerptChars { get; init; } = 200;

    /// <summary>The User-Agent sent.</summary>
    public string UserAgent { get; init; } = "RequapassBadges-Webhooks/1.0";
}

/// <summary>How a send ended.</summary>
public enum SendOutcome
{
    /// <summary>The server answered (any status).</summary>
    Answered,
    /// <summary>The URL or its address is not one we send to (SSRF rules): trying again changes nothing.</summary>
    Refused,
    /// <summary>No complete answer in time.</summary>
    TimedOut,
    /// <summary>The name did not resolve, or nothing listened (connection refused, unreachable).</summary>
    Unreachable,
    /// <summary>Any other transport failure (TLS, a reset).</summary>
    Failed,
}

/// <summary>What a send gave: the outcome, the status when answered, a short message, and an excerpt of the answer.</summary>
public sealed record SendResult(SendOutcome Outcome, int? StatusCode, string Message, string? Excerpt = null)
{
    /// <summary>A 2xx answer.</summary>
    public bool Succeeded => Outcome == SendOutcome.Answered && StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends a POST to a URL someone else chose without becoming a way into our network: the same address
/// rules as <see cref="GuardedFetcher"/>, checked on the literal host and again at connect time on the
/// address actually reached. Redirects are never followed (a POST that is redirected is a failure:
/// following it would re-send a signed body to an address the registration never named). No proxy, no
/// cookies; only a short excerpt of the answer is read. Never throws for a bad URL or a bad server.
/// </summary>
public sealed class GuardedSender : IDisposable
{
    private readonly SendPolicy _policy;
    private readonly HttpClient _client;

    /// <summary>Creates a sender; one instance (one connection pool) is shared.</summary>
    public GuardedSender(SendPolicy policy)
    {
        _policy = policy;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = policy.Timeout,
            ConnectCallback = (context, ct) => GuardedConnect.ConnectAsync(context.DnsEndPoint, Refused, () => { }, ct),
            UseCookies = false,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>POSTs <paramref name="body"/> as <c>application/json</c> with <paramref name="headers"/>.</summary>
    public async Task<SendResult> PostJsonAsync(Uri url, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        if (Check(url) is { } refused) { return new SendResult(SendOutcome.Refused, null, refused); }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_policy.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.UserAgent.ParseAdd(_policy.UserAgent);
            foreach (var (name, value) in headers) { request.Headers.TryAddWithoutValidation(name, value); }
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var excerpt = await ExcerptAsync(response.Content, timeout.Token);
            var message = status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed." : $"HTTP {status}.";
            return new SendResult(SendOutcome.Answered, status, message, excerpt);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.TimedOut, null, $"No complete answer within {_policy.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return Failure(e);
        }
        catch (IOException e)
        {
            return new SendResult(SendOutcome.Failed, null, $"The connection failed: {e.Message}");
        }
    }

    private string? Check(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return "Only http and https URLs are called.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo)) { return "URLs with a user name or password are not called."; }
        return IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal) && Refused(literal) is { } reason
            ? $"{url.Host} is {reason}; it is not called (SSRF rules)."
            : null;
    }

    private string? Refused(IPAddress address) =>
        AddressRules.InRanges(address, _policy.AllowedRanges) ? null : AddressRules.Refusal(address);

    /// <summary>The first characters of the answer, read no further than needed.</summary>
    private async Task<string?> ExcerptAsync(HttpContent content, CancellationToken ct)
    {
        var buffer = new byte[_policy.ExcerptChars * 4];
        await using var stream = await content.ReadAsStreamAsync(ct);
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), ct)) > 0) { filled += read; }
        if (filled == 0) { return null; }
        var text = Encoding.UTF8.GetString(buffer, 0, filled);
        return text.Length > _policy.ExcerptChars ? text[.._policy.ExcerptChars] : text;
    }

    private static SendResult Failure(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ForbiddenAddressException forbidden:
                    return new SendResult(SendOutcome.Refused, null, forbidden.Message + " It is not called (SSRF rules).");
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return new SendResult(SendOutcome.Unreachable, null, "The host name does not resolve.");
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return new SendResult(SendOutcome.Unreachable, null, "The server cannot be reached (connection refused or unreachable).");
            }
        }
        return new SendResult(SendOutcome.Failed, null, $"The request failed: {e.Message}");
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
