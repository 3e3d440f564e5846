using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Assertions;

/// <summary>
/// A badge's expiry reminder, as staff see it: <c>status</c> is <c>none</c> (no reminder: reminders off,
/// no email, the award said no, or the badge expires within the reminder days of its award),
/// <c>scheduled</c> (due at <c>dueAt</c>), <c>pending</c> (queued at <c>queuedAt</c>, not yet accepted by
/// the mail server), <c>sent</c> (at <c>sentAt</c>) or <c>failed</c>. The address is never shown.
/// </summary>
public sealed record ExpiryReminderState(string Status, DateTime? DueAt, DateTime? QueuedAt, DateTime? SentAt);

public sealed record ExpiringAssertion(AssertionResponse Assertion, ExpiryReminderState Reminder);

public sealed record ExpiringAssertionPage(IReadOnlyList<ExpiringAssertion> Items, string? NextCursor);

/// <summary>The issuer's badges that expire soon: not revoked, not yet expired, expiring within <c>days</c>; soonest first.</summary>
public static class ExpiringAssertions
{
    public const int MaxDays = 366;

    public static async Task<Results<Ok<ExpiringAssertionPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, [Range(1, MaxDays)] int? days, [MaxLength(Limits.Id)] string? cursor, [Range(1, 200)] int? limit, BadgesDbContext db, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        if (days is null) { errors.Add("days", "days is required."); }
        else if (days is < 1 or > MaxDays) { errors.Add("days", $"days must be between 1 and {MaxDays}."); }
        var size = limit ?? 50;
        if (size is < 1 or > 200) { errors.Add("limit", "limit must be between 1 and 200."); }
        (DateTime Expires, long Id)? after = null;
        if (cursor is not null)
        {
            // A cursor is (expiry ticks, id); one not made here, or naming no instant, is refused rather than thrown on.
            if (Cursors.DecodePair(cursor) is { } pair && pair.First >= 0 && pair.First <= DateTime.MaxValue.Ticks)
            {
                after = (new DateTime(pair.First, DateTimeKind.Utc), pair.Second);
            }
            else { errors.Add("cursor", "cursor is not one this service returned."); }
        }
        if (errors.Any) { return errors.ToProblem(); }

        var now = clock.GetUtcNow().UtcDateTime;
        var until = now.AddDays(days!.Value);
        var query = db.Assertions.AsNoTracking()
            .Where(a => a.IssuerId == issuer.Id && a.RevokedAt == null && a.Expires != null && a.Expires > now && a.Expires <= until);
        if (after is { } c) { query = query.Where(a => a.Expires > c.Expires || (a.Expires == c.Expires && a.Id > c.Id)); }
        var rows = await query.OrderBy(a => a.Expires).ThenBy(a => a.Id).Take(size + 1)
            .Select(a => new
            {
                Entity = a,
                BadgeClassId = a.BadgeClass!.PublicId,
                DueAt = db.ExpiryReminders.Where(r => r.AssertionId == a.Id).Select(r => (DateTime?)r.DueAt).FirstOrDefault(),
                Mail = db.AwardMails.Where(m => m.AssertionId == a.Id && m.Kind == MailKinds.ExpiryReminder).OrderByDescending(m => m.Id)
                    .Select(m => new { m.Status, m.CreatedAt, m.CompletedAt }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var items = rows.Take(size).Select(r => new ExpiringAssertion(
            AssertionResponse.From(r.Entity, r.BadgeClassId, issuer.PublicId, urls),
            r.Mail is { } m ? new ExpiryReminderState(m.Status, null, m.CreatedAt, m.Status == MailStatus.Sent ? m.CompletedAt : null)
            : r.DueAt is { } due ? new ExpiryReminderState("scheduled", due, null, null)
            : new ExpiryReminderState("none", null, null, null))).ToList();
        var next = rows.Count > size ? Cursors.Encode(rows[size - 1].Entity.Expires!.Value.Ticks, rows[size - 1].Entity.Id) : null;
        return TypedResults.Ok(new ExpiringAssertionPage(items, next));
    }
}
