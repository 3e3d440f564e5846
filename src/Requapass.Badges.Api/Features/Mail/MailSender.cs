using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>The SMTP server of <see cref="MailOptions"/>, through MailKit: one connection for a round of mails.</summary>
public sealed class MailSender(IOptions<MailOptions> options)
{
    public async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        var o = options.Value;
        var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        try
        {
            var security = o.Security switch
            {
                MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(o.Host!, o.EffectivePort, security, ct);
            if (!string.IsNullOrEmpty(o.User)) { await client.AuthenticateAsync(o.User, o.Password ?? "", ct); }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when retrying cannot help: the server refused the recipient for good (a 5xx answer to RCPT TO,
    /// RFC 5321 section 4.2.1), or the message cannot be written (an address MimeKit will not take).
    /// </summary>
    public static bool IsPermanent(Exception e) =>
        e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } command && (int)command.StatusCode >= 500
        || e is ParseException or FormatException or ArgumentException;

    /// <summary>What went wrong, on one line, at most 500 characters, without the recipient's address (a server may quote it).</summary>
    public static string Describe(Exception e, string? address)
    {
        var text = MailComposer.OneLine($"{e.GetType().Name}: {e.Message}");
        if (!string.IsNullOrEmpty(address)) { text = text.Replace(address, "(recipient)", StringComparison.OrdinalIgnoreCase); }
        return text.Length <= 500 ? text : text[..500];
    }
}
