using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Core.Recipients;

namespace Requapass.Badges.Api.Options;

/// <summary>How the SMTP connection is secured: none (plain), STARTTLS (RFC 3207) or TLS from the first byte (RFC 8314).</summary>
public enum MailSecurity { None, StartTls, Tls }

/// <summary>
/// Award emails: the SMTP server and the retry schedule. Without <see cref="Host"/> award emails are
/// off: awards keep no address for a mail, and the resend route answers 409 (README, Award emails).
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string Section = "Mail";

    public string? Host { get; set; }

    /// <summary>0: the usual port for <see cref="Security"/> (25, 587 for STARTTLS, 465 for TLS).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The address mails come from (the envelope and the From header); the issuer gives the display name.</summary>
    public string? From { get; set; }

    /// <summary>How long one SMTP exchange (connect, authenticate, send) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a node looks for due mails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a node holds a mail it is sending; more than twice <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after the first failed attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>A mail not sent this long after it was queued is failed, and its address dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port != 0 ? Port : Security switch { MailSecurity.Tls => 465, MailSecurity.StartTls => 587, _ => 25 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) { yield break; }
        if (Host!.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return new ValidationResult("Mail:Host must be a host name or address.", [nameof(Host)]);
        }
        if (string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult("Mail:From is required when Mail:Host is set (e.g. badges@requapass.example).", [nameof(From)]);
        }
        else if (RecipientNormalizer.Normalize(RecipientType.Email, From).Error is not null || From.Any(char.IsControl))
        {
            yield return new ValidationResult($"Mail:From must be an email address (got '{From}').", [nameof(From)]);
        }
        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Mail:User and Mail:Password go together: set both or neither.", [nameof(User)]);
        }
        if (Lease <= Timeout * 2)
        {
            yield return new ValidationResult("Mail:Lease must be more than twice Mail:Timeout, so a slow attempt keeps its mail.", [nameof(Lease)]);
        }
        if (MaxRetryDelay < FirstRetryDelay)
        {
            yield return new ValidationResult("Mail:MaxRetryDelay must not be shorter than Mail:FirstRetryDelay.", [nameof(MaxRetryDelay)]);
        }
    }
}
