using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Api.Features.Signing;

/// <summary>
/// The private keys this process can sign with, loaded once at start-up from the configured PEM files.
/// The private halves never leave this object: only public PEMs and thumbprints are stored or served.
/// Outside Development the example key in keys.example/ is refused and at least one key is required;
/// in Development, with none configured, a key is generated under the data directory (0600).
/// </summary>
public sealed class KeyRing
{
    private readonly List<SigningKey> _platform = [];
    private readonly Dictionary<string, List<SigningKey>> _byIssuer = [];
    private readonly ConcurrentDictionary<string, SigningKey> _byThumbprint = new();
    private readonly bool _development;
    private readonly string _dataDirectory;

    public KeyRing(IOptions<SigningOptions> signing, IOptions<ServiceOptions> service, IHostEnvironment env)
    {
        _development = env.IsDevelopment();
        _dataDirectory = Path.GetFullPath(service.Value.DataDirectory);
        _platform.AddRange(signing.Value.KeyFiles.Where(f => !string.IsNullOrWhiteSpace(f)).Select(Load));
        foreach (var (issuer, files) in signing.Value.IssuerKeyFiles)
        {
            _byIssuer[issuer] = [.. files.Where(f => !string.IsNullOrWhiteSpace(f)).Select(Load)];
        }
        if (_platform.Count == 0 && _byIssuer.Count == 0)
        {
            if (!_development)
            {
                throw Invalid("Signing:KeyFiles is required outside Development: at least one RSA private key PEM (see keys.example/README.md).");
            }
            _platform.Add(LoadOrCreate(Path.Combine(_dataDirectory, "dev-signing-key.pem")));
        }
    }

    /// <summary>The keys an issuer may sign with, its own first, then the platform's.</summary>
    public IReadOnlyList<SigningKey> For(string issuerPublicId) =>
        [.. (_byIssuer.TryGetValue(issuerPublicId, out var own) ? own : []), .. _platform];

    public SigningKey? ByThumbprint(string thumbprint) => _byThumbprint.GetValueOrDefault(thumbprint);

    /// <summary>Development only: a fresh key for a rotation when no other key is configured.</summary>
    public SigningKey? GenerateForDevelopment()
    {
        if (!_development) { return null; }
        var key = LoadOrCreate(Path.Combine(_dataDirectory, $"dev-signing-key-{DateTime.UtcNow:yyyyMMddHHmmssfff}.pem"));
        _platform.Add(key);
        return key;
    }

    private SigningKey Load(string path)
    {
        if (!File.Exists(path)) { throw Invalid($"Signing key file {path} does not exist."); }
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException)
        {
            // Typical in a container: a 0600 key owned by a host user, and the service runs as uid 1654.
            throw Invalid($"Signing key file {path} cannot be read by {ProcessUser.Describe()} (permission denied). "
                + "Let that user read it without making it world-readable, e.g. chmod 0640 and a group the service runs in "
                + "(docker run --group-add \"$(stat -c %g <key file>)\"); see keys.example/README.md.");
        }
        var (key, error) = SigningKey.FromPem(pem);
        if (key is null) { throw Invalid($"Signing key file {path}: {error}"); }
        if (key.IsExampleKey && !_development)
        {
            throw Invalid($"Signing key file {path} is the public example key from keys.example/; it is refused outside Development. Generate a real key (keys.example/README.md).");
        }
        return _byThumbprint.GetOrAdd(key.Thumbprint, key);
    }

    private SigningKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var (_, pem) = SigningKey.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var writer = new StreamWriter(new FileStream(path, options));
            writer.Write(pem);
        }
        return Load(path);
    }

    private static OptionsValidationException Invalid(string message) =>
        new(SigningOptions.Section, typeof(SigningOptions), [message]);
}
