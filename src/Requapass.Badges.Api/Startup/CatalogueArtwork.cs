using System.Collections.Concurrent;
using Requapass.Badges.Core.Artwork;

namespace Requapass.Badges.Api.Startup;

/// <summary>
/// The catalogue artwork, rendered once per process: the designs are deterministic, and every fresh
/// database (each test fixture, each new deployment) seeds the same 32 PNG and SVG pairs.
/// </summary>
public static class CatalogueArtwork
{
    private static readonly ConcurrentDictionary<(string, int), (byte[] Png, byte[] Svg)> Rendered = new();

    public static (byte[] Png, byte[] Svg) For(string competency, int level) =>
        Rendered.GetOrAdd((competency, level), k =>
            (BadgeArtwork.Png(k.Item1, k.Item2), System.Text.Encoding.UTF8.GetBytes(BadgeArtwork.Svg(k.Item1, k.Item2))));
}
