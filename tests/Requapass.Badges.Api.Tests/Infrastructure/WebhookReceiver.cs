using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>A webhook as the receiver saw it: its headers, body, and whether the signature held.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, bool SignatureValid, int Answered)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

/// <summary>
/// A real HTTP receiver on loopback (HttpListener), as an integrator would run one: it checks every
/// signature with the endpoint's secret, written here from the Standard Webhooks description (not
/// with the service's code), and answers as <see cref="Answer"/> says (a status, after a delay).
/// It can be stopped and started again on the same port, to play a receiver that is down a while.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private HttpListener? _listener;
    private int _calls;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/requapass";
    public string? Secret { get; set; }

    /// <summary>Given the call number (1-based), the status to answer and how long to wait first.</summary>
    public Func<int, (int Status, TimeSpan Delay)> Answer { get; set; } = _ => (204, TimeSpan.Zero);

    /// <summary>Every request received, whatever was answered.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The requests answered 2xx, by webhook-id.</summary>
    public IReadOnlyDictionary<string, int> Accepted =>
        Received.Where(r => r.Answered is >= 200 and < 300).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Count());

    public int Calls => _calls;

    /// <summary>A receiver on a free port, listening unless <paramref name="listening"/> is false.</summary>
    public static WebhookReceiver Create(bool listening = true)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var receiver = new WebhookReceiver(port);
        if (listening) { receiver.Start(); }
        return receiver;
    }

    public void Start()
    {
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        var listener = _listener;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                _ = Task.Run(() => HandleAsync(context));
            }
        });
    }

    public void Stop()
    {
        _listener?.Stop();
        _listener?.Close();
        _listener = null;
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["webhook-id"] ?? "";
        var timestamp = context.Request.Headers["webhook-timestamp"] ?? "";
        var signature = context.Request.Headers["webhook-signature"] ?? "";
        var (status, delay) = Answer(call);
        if (delay > TimeSpan.Zero) { await Task.Delay(delay); }
        Received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, Verify(id, timestamp, body, signature), status));
        try
        {
            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The sender gave up waiting (a timeout): nothing to answer to.
        }
    }

    /// <summary>
    /// The receiver's check: key = base64-decode(secret without "whsec_"); expected = base64(HMAC-SHA256(key,
    /// "{id}.{timestamp}.{body}")); the header holds space-separated "v1,<signature>" entries, one must match.
    /// </summary>
    private bool Verify(string id, string timestamp, string body, string header)
    {
        if (Secret is null) { return false; }
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return header.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
