using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>Bearer tokens for the admin API.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>
    /// HMAC key (base64, at least 32 bytes) that signs admin tokens. Every API node behind one load
    /// balancer needs the same one. Generated under the data directory in Development when empty.
    /// </summary>
    public string? SigningKey { get; set; }

    public string Audience { get; set; } = "requapass-badges-api";

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Token requests allowed per client address per minute; guessing secrets gets slow and loud.</summary>
    [Range(1, 1_000_000)]
    public int TokenRequestsPerMinute { get; set; } = 30;

    /// <summary>The first platform admin client, created or updated at start-up when both are set.</summary>
    public string? BootstrapAdminClientId { get; set; }

    public string? BootstrapAdminClientSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(SigningKey))
        {
            var bytes = new byte[SigningKey.Length];
            if (!Convert.TryFromBase64String(SigningKey, bytes, out var n) || n < 32)
            {
                yield return new ValidationResult("Auth:SigningKey must be base64 of at least 32 random bytes.", [nameof(SigningKey)]);
            }
        }
        if (string.IsNullOrEmpty(BootstrapAdminClientId) != string.IsNullOrEmpty(BootstrapAdminClientSecret))
        {
            yield return new ValidationResult("Set both Auth:BootstrapAdminClientId and Auth:BootstrapAdminClientSecret, or neither.");
        }
        if (BootstrapAdminClientSecret is { Length: > 0 and < 24 })
        {
            yield return new ValidationResult("Auth:BootstrapAdminClientSecret must be at least 24 characters.");
        }
    }
}
