using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Auth;

/// <summary>
/// The HMAC key for admin tokens. From configuration (required outside Development, so that every
/// node behind a load balancer shares it), or in Development generated once and kept under the data
/// directory with owner-only permissions.
/// </summary>
public sealed class TokenSigningKey
{
    public SymmetricSecurityKey Key { get; }

    public TokenSigningKey(IOptions<AuthOptions> auth, IOptions<ServiceOptions> service, IHostEnvironment env)
    {
        var configured = auth.Value.SigningKey;
        if (!string.IsNullOrEmpty(configured))
        {
            Key = new SymmetricSecurityKey(Convert.FromBase64String(configured));
            return;
        }
        if (!env.IsDevelopment())
        {
            throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions),
                ["Auth:SigningKey is required outside Development (base64 of at least 32 random bytes)."]);
        }
        Key = new SymmetricSecurityKey(LoadOrCreateDevelopmentKey(service.Value.DataDirectory));
    }

    private static byte[] LoadOrCreateDevelopmentKey(string dataDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(dataDirectory), "dev-token-signing.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only from the moment the file exists: no window where others could read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.Write(Convert.ToBase64String(key));
        }
        return key;
    }
}
