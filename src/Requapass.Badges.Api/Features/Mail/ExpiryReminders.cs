using System.Data;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>A reminder an award asks for: where, in which language, and when.</summary>
public sealed record WantedReminder(string Address, string Locale, DateTime DueAt);

/// <summary>
/// How expiry reminders are planned, for every path that awards (README, Expiry reminders). The clear
/// address is kept for a reminder only when the award sends its own email (<see cref="MailQueue.Wanted"/>:
/// mail on, an email recipient, notify), the badge expires, the issuer's reminders are on, and the
/// reminder's day is still ahead; otherwise nothing is kept.
/// </summary>
public static class ExpiryReminders
{
    /// <summary>The issuer setting's bounds, in days before the expiry; 0 turns reminders off.</summary>
    public const int MaxDays = 90;
    public const int DefaultDays = 14;

    /// <summary>
    /// The reminder an award asks for, or null. <paramref name="mail"/> is what the award asked for its
    /// own email; a reminder whose day is not after <paramref name="now"/> (a badge that expires within
    /// the issuer's days) is not planned: its award email has only just gone.
    /// </summary>
    public static WantedReminder? Wanted(ValidAward award, (string Address, string Locale)? mail, int issuerDays, DateTime now)
    {
        if (mail is not { } m || award.Expires is not { } expires || issuerDays <= 0) { return null; }
        var due = expires.UtcDateTime.AddDays(-issuerDays);
        return due > now ? new WantedReminder(m.Address, m.Locale, due) : null;
    }

    /// <summary>
    /// Inserts the reminders of a chunk of bulk awards with one reused statement on the current transaction,
    /// each naming its assertion by public id (as <see cref="MailQueue.InsertRequestsAsync"/> does).
    /// </summary>
    public static async Task InsertAsync(BadgesDbContext db, IReadOnlyCollection<(string AssertionPublicId, WantedReminder Reminder)> reminders, DateTime now, CancellationToken ct)
    {
        if (reminders.Count == 0) { return; }
        await using var insert = RowInsert.OnCurrentTransaction(db, Sql, Columns);
        foreach (var (assertion, r) in reminders) { await insert.ExecuteOneAsync("A reminder", ct, assertion, r.Address, r.Locale, r.DueAt, now); }
    }

    /// <summary>A reminder's row, naming its assertion by public id (bulk awards do not read back keys).</summary>
    public static readonly (string Column, DbType Type)[] Columns =
        [("public_id", DbType.String), ("address", DbType.String), ("locale", DbType.String), ("due_at", DbType.DateTime), ("created_at", DbType.DateTime)];

    public const string Sql = "INSERT INTO expiry_reminders (assertion_id, address, locale, due_at, created_at) "
        + "SELECT id, @address, @locale, @due_at, @created_at FROM assertions WHERE public_id = @public_id";

    /// <summary>Deletes the reminders (and so the addresses) held for these assertions; for revocation and expiry.</summary>
    public static Task<int> ForgetAsync(BadgesDbContext db, IReadOnlyCollection<long> assertionIds, CancellationToken ct) =>
        assertionIds.Count == 0 ? Task.FromResult(0) : db.ExpiryReminders.Where(r => assertionIds.Contains(r.AssertionId)).ExecuteDeleteAsync(ct);
}
