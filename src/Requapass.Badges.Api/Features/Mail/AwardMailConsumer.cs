using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>
/// The outbox's award-mail consumer: for an assertion.awarded event whose award asked for an email, one
/// pending mail, written in the dispatch transaction, with the address moved out of the award's request
/// row (which is deleted). Sending happens later, in <see cref="MailDeliveryWorker"/>.
/// </summary>
public sealed class AwardMailConsumer(TimeProvider clock, PublicUrls urls) : IOutboxConsumer
{
    public async Task HandleAsync(IReadOnlyList<OutboxEventEntity> events, BadgesDbContext db, CancellationToken ct)
    {
        var awarded = events.Where(e => e.Type == EventTypes.AssertionAwarded).ToList();
        if (awarded.Count == 0) { return; }
        // The round's requests in one query (an award that asked for no mail has none).
        var subjects = awarded.Select(e => e.Subject).ToList();
        var requests = await db.AwardMailRequests.Where(r => subjects.Contains(r.Assertion!.PublicId))
            .Select(r => new { Request = r, Subject = r.Assertion!.PublicId }).ToListAsync(ct);
        if (requests.Count == 0) { return; }
        var bySubject = requests.ToDictionary(r => r.Subject, r => r.Request, StringComparer.Ordinal);
        var (host, now) = (new Uri(urls.Base).Host, clock.GetUtcNow().UtcDateTime);
        foreach (var outboxEvent in awarded)
        {
            if (!bySubject.Remove(outboxEvent.Subject, out var request)) { continue; }
            db.AwardMails.Add(MailQueue.NewMail(request.AssertionId, outboxEvent.IssuerId, outboxEvent.Id, request.Address, request.Locale, host, now));
            db.AwardMailRequests.Remove(request);
        }
    }
}
