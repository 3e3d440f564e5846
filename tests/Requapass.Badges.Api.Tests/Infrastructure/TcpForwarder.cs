using System.Net;
using System.Net.Sockets;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback between the service and a real server, so a test can take the server
/// away for real: <see cref="StopAsync"/> resets every open connection and refuses new ones, as a
/// crashed or unplugged database does; <see cref="Start"/> brings it back on the same port.
/// </summary>
public sealed class TcpForwarder(string targetHost, int targetPort) : IAsyncDisposable
{
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private readonly List<TcpClient> _open = [];
    private Task _accepting = Task.CompletedTask;

    public int Port { get; private set; }

    public TcpForwarder Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(_listener, _stop.Token);
        return this;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            var server = new TcpClient();
            try { await server.ConnectAsync(targetHost, targetPort, ct); }
            catch (Exception) { client.Dispose(); server.Dispose(); continue; }
            lock (_open) { _open.Add(client); _open.Add(server); }
            _ = PumpAsync(client.GetStream(), server.GetStream(), ct);
            _ = PumpAsync(server.GetStream(), client.GetStream(), ct);
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        try { await from.CopyToAsync(to, ct); }
        catch (Exception) { /* the relay was stopped, or a side closed */ }
    }

    /// <summary>Closes every relayed connection with a reset and stops listening.</summary>
    public async Task StopAsync()
    {
        _stop?.Cancel();
        _listener?.Stop();
        await _accepting;
        lock (_open)
        {
            foreach (var c in _open)
            {
                try { c.Client.LingerState = new LingerOption(true, 0); } catch (Exception) { /* already closed */ }
                c.Dispose();
            }
            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
