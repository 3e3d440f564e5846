using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Requapass.Badges.Core.Tests.Fetching;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for the fetcher tests: each request gets the response the
/// test's handler writes, then the connection closes. It serves a bounded number of requests and
/// stops when disposed.
/// </summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalServer(Func<string, Task<byte[]>> respond, int maxRequests = 50)
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            for (var i = 0; i < maxRequests && !_stop.IsCancellationRequested; i++)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                await using var stream = client.GetStream();
                var request = await ReadHead(stream, _stop.Token);
                var path = request.Split(' ')[1];
                Requests++;
                try
                {
                    await stream.WriteAsync(await respond(path), _stop.Token);
                }
                catch (IOException) { /* the client gave up (a timeout or size test) */ }
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Base => $"http://127.0.0.1:{Port}";
    public int Requests { get; private set; }

    public static byte[] Response(int status, string body, string contentType = "application/ld+json", params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n"
            + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. bytes];
    }

    private static async Task<string> ReadHead(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), ct);
            if (read == 0) { break; }
            total += read;
            if (Encoding.ASCII.GetString(buffer, 0, total).Contains("\r\n\r\n", StringComparison.Ordinal)) { break; }
        }
        return Encoding.ASCII.GetString(buffer, 0, total);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stop.Dispose();
    }
}
