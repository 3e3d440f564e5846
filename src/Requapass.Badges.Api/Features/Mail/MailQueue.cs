using System.Data;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>The languages award emails are written in; each has one resource set (Templates/texts.*.json).</summary>
public static class MailLanguages
{
    public const string Default = "fr";

    public static readonly IReadOnlyList<string> All = ["fr", "nl", "en"];

    /// <summary>fr, nl or en (any case, trimmed); null for anything else.</summary>
    public static string? Parse(string? value) =>
        value?.Trim().ToLowerInvariant() is { } v && All.Contains(v) ? v : null;
}

/// <summary>pending (to send, or to retry), sent (the SMTP server accepted it), failed (abandoned).</summary>
public static class MailStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>What a mail is (award_mails.kind): the award's mail (or a resend of it), the news that a claim was rejected (README, Claim codes), a reminder before the badge expires, or a skills map's link.</summary>
public static class MailKinds
{
    public const string Award = "award";
    public const string ClaimRejected = "claim-rejected";
    public const string ExpiryReminder = "expiry-reminder";
    /// <summary>A skills map's private link (the service's own mail: no issuer, no badge).</summary>
    public const string SkillsMapLink = "skills-map-link";
    /// <summary>A volunteer's private link to their own data (the service's own mail, like a skills map's link).</summary>
    public const string DataAccessLink = "data-access-link";
    public const string ApplicationReceived = "application-received";
    public const string ApplicationInfoRequested = "application-info-requested";
    public const string ApplicationRejected = "application-rejected";

    /// <summary>The kinds that tell a volunteer of a step of their application (award_mails.application_event_id names it).</summary>
    public static readonly IReadOnlyList<string> Application = [ApplicationReceived, ApplicationInfoRequested, ApplicationRejected];
}

/// <summary>
/// How mails are queued, for every path that queues one: an award keeps the address for its mail (in the
/// award's transaction), the assertion.awarded consumer and the resend route make the mail row.
/// </summary>
public static class MailQueue
{
    /// <summary>
    /// What an award asks for its email: the recipient's address and language, or null when no email goes
    /// out (mail is off, the recipient is not an email address, or the award or the issuer said no).
    /// </summary>
    public static (string Address, string Locale)? Wanted(ValidAward award, bool mailEnabled, bool issuerNotifies, string issuerLocale) =>
        mailEnabled && award.Recipient.Type == RecipientType.Email && (award.Notify ?? issuerNotifies)
            ? (award.Recipient.Normalized, award.Locale ?? MailLanguages.Parse(issuerLocale) ?? MailLanguages.Default)
            : null;

    /// <summary>A new pending mail, due now, with its Message-ID fixed (RFC 5322, section 3.6.4: id-left "@" id-right).</summary>
    public static AwardMailEntity NewMail(
        long? assertionId, long? issuerId, long? eventId, string address, string locale, string messageIdDomain, DateTime now, string kind = MailKinds.Award)
    {
        var publicId = PublicIds.New();
        return new AwardMailEntity
        {
            PublicId = publicId, AssertionId = assertionId, IssuerId = issuerId, EventId = eventId, Kind = kind, Address = address, Locale = locale,
            MessageId = $"{(kind == MailKinds.Award ? "award-mail" : kind)}.{publicId}@{messageIdDomain}", Status = MailStatus.Pending, Attempts = 0,
            NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>
    /// Inserts the mail requests of a chunk of bulk awards with one reused statement on the current
    /// transaction, each naming its assertion by public id (the bulk insert does not read back keys).
    /// </summary>
    public static async Task InsertRequestsAsync(BadgesDbContext db, IReadOnlyCollection<(string AssertionPublicId, string Address, string Locale)> requests, DateTime now, CancellationToken ct)
    {
        if (requests.Count == 0) { return; }
        await using var insert = RowInsert.OnCurrentTransaction(db, RequestSql, RequestColumns);
        foreach (var (assertion, address, locale) in requests) { await insert.ExecuteOneAsync("A mail request", ct, assertion, address, locale, now); }
    }

    /// <summary>A mail request's row, naming its assertion by public id.</summary>
    public static readonly (string Column, DbType Type)[] RequestColumns =
        [("public_id", DbType.String), ("address", DbType.String), ("locale", DbType.String), ("created_at", DbType.DateTime)];

    public const string RequestSql = "INSERT INTO award_mail_requests (assertion_id, address, locale, created_at) "
        + "SELECT id, @address, @locale, @created_at FROM assertions WHERE public_id = @public_id";
}
