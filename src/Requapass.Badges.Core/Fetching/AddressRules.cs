using System.Net;
using System.Net.Sockets;

namespace Requapass.Badges.Core.Fetching;

/// <summary>
/// Which addresses an outbound fetch may reach: public unicast only. Loopback, private, link-local
/// (including cloud metadata at 169.254.169.254), multicast, unspecified, shared (CGNAT), reserved and
/// documentation ranges are refused, for IPv4 and IPv6 alike; IPv6 forms that embed an IPv4 address
/// (mapped, NAT64, 6to4) are judged by the IPv4 inside.
/// </summary>
public static class AddressRules
{
    private static readonly (byte[] Prefix, int Bits, string Reason)[] V4 =
    [
        ([0, 0, 0, 0], 8, "an unspecified address"), ([10, 0, 0, 0], 8, "a private address"),
        ([100, 64, 0, 0], 10, "a shared (carrier-grade NAT) address"), ([127, 0, 0, 0], 8, "a loopback address"),
        ([169, 254, 0, 0], 16, "a link-local address"), ([172, 16, 0, 0], 12, "a private address"),
        ([192, 0, 0, 0], 24, "a reserved address"), ([192, 0, 2, 0], 24, "a documentation address"),
        ([192, 168, 0, 0], 16, "a private address"), ([198, 18, 0, 0], 15, "a benchmarking address"),
        ([198, 51, 100, 0], 24, "a documentation address"), ([203, 0, 113, 0], 24, "a documentation address"),
        ([224, 0, 0, 0], 4, "a multicast address"), ([240, 0, 0, 0], 4, "a reserved or broadcast address"),
    ];

    private static readonly (byte[] Prefix, int Bits, string Reason)[] V6 =
    [
        (new byte[16], 128, "an unspecified address"), ([.. new byte[15], 1], 128, "a loopback address"),
        ([0xfe, 0x80], 10, "a link-local address"), ([0xfe, 0xc0], 10, "a site-local address"),
        ([0xfc, 0x00], 7, "a unique local (private) address"), ([0xff, 0x00], 8, "a multicast address"),
        ([0x20, 0x01, 0x0d, 0xb8], 32, "a documentation address"), ([0x20, 0x01, 0x00, 0x00], 32, "a Teredo tunnel address"),
        (new byte[16], 96, "an IPv4-compatible address"),
    ];

    /// <summary>The reason an address is refused, or null when it may be reached.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) { return Refusal(address.MapToIPv4()); }
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return V4.FirstOrDefault(r => Matches(bytes, r.Prefix, r.Bits)).Reason;
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) { return "not an IP address"; }
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judge that one.
        if (Matches(bytes, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) { return Refusal(new IPAddress(bytes[12..16])); }
        if (Matches(bytes, [0x20, 0x02], 16)) { return Refusal(new IPAddress(bytes[2..6])); }
        return V6.FirstOrDefault(r => Matches(bytes, r.Prefix, r.Bits)).Reason;
    }

    /// <summary>True when <paramref name="address"/> lies in one of the CIDR ranges (e.g. 127.0.0.1/32).</summary>
    public static bool InRanges(IPAddress address, IEnumerable<string> cidrs)
    {
        var bytes = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).GetAddressBytes();
        foreach (var cidr in cidrs)
        {
            var slash = cidr.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(slash < 0 ? cidr : cidr[..slash], out var network)) { continue; }
            var prefix = network.GetAddressBytes();
            var bits = slash < 0 ? prefix.Length * 8 : int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (prefix.Length == bytes.Length && Matches(bytes, prefix, bits)) { return true; }
        }
        return false;
    }

    private static bool Matches(byte[] address, byte[] prefix, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            var b = i / 8 < prefix.Length ? prefix[i / 8] : (byte)0;
            var mask = 0x80 >> (i % 8);
            if ((address[i / 8] & mask) != (b & mask)) { return false; }
        }
        return true;
    }
}
