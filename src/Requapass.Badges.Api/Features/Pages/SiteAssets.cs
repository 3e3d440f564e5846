using System.Security.Cryptography;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// The pages' stylesheet and their one optional script, embedded in the assembly and served by the
/// service itself (no CDN, no external font: the pages' policy allows only 'self'). Each is published
/// under a name that carries a hash of its bytes (<c>site.1a2b3c4d5e.css</c>), so it can be cached for
/// a year: a new version has a new name.
/// </summary>
public sealed class SiteAssets
{
    public sealed record Asset(string Name, string ContentType, byte[] Content, string ETag);

    private readonly Dictionary<string, Asset> _byName = new(StringComparer.Ordinal);

    public SiteAssets()
    {
        Stylesheet = Add("site.css", "text/css; charset=utf-8");
        CopyScript = Add("copy.js", "text/javascript; charset=utf-8");
        Icon = Add("icon.svg", "image/svg+xml");
    }

    public Asset Stylesheet { get; }
    public Asset CopyScript { get; }
    /// <summary>The pages' favicon: without one, every browser asks for /favicon.ico and logs a 404.</summary>
    public Asset Icon { get; }

    public Asset? Find(string name) => _byName.GetValueOrDefault(name);

    private Asset Add(string file, string contentType)
    {
        using var stream = typeof(SiteAssets).Assembly.GetManifestResourceStream($"Pages.Assets.{file}")
            ?? throw new InvalidOperationException($"The page asset {file} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..10];
        var name = $"{Path.GetFileNameWithoutExtension(file)}.{hash}{Path.GetExtension(file)}";
        var asset = new Asset(name, contentType, content, $"\"{hash}\"");
        _byName[name] = asset;
        return asset;
    }
}
