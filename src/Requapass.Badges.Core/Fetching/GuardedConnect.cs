using System.Net;
using System.Net.Sockets;

namespace Requapass.Badges.Core.Fetching;

/// <summary>
/// The connect step shared by every outbound call (verification fetches, webhook deliveries): the
/// address rules are applied to the addresses a name resolves to and to the peer actually connected
/// to, so a name that resolves, or re-resolves, to a private address (DNS rebinding) is refused.
/// </summary>
internal static class GuardedConnect
{
    /// <summary>Resolves, refuses if ANY address is forbidden (a mixed answer is a rebinding smell), connects, re-checks the peer.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, Func<IPAddress, string?> refused, Action onConnect, CancellationToken ct)
    {
        var host = endPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        foreach (var address in addresses)
        {
            if (refused(address) is { } reason) { throw new ForbiddenAddressException($"{host} resolves to {reason} ({address})."); }
        }
        if (addresses.Length == 0) { throw new ForbiddenAddressException($"{host} has no address."); }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            onConnect();
            await socket.ConnectAsync(addresses, endPoint.Port, ct);
            var peer = ((IPEndPoint)socket.RemoteEndPoint!).Address;
            if (refused(peer) is { } reason) { throw new ForbiddenAddressException($"{host} connected to {reason} ({peer})."); }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The address rules refused a connection.</summary>
internal sealed class ForbiddenAddressException(string message) : Exception(message);
