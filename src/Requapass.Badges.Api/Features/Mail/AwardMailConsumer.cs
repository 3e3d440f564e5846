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
    public async Task HandleAsync(OutboxEventEntity outboxEvent, BadgesDbContext db, CancellationToken ct)
    {
        if (outboxEvent.Type != EventTypes.AssertionAwarded) { return; }
        var request = await db.AwardMailRequests.Where(r => r.Assertion!.PublicId == outboxEvent.Subject).SingleOrDefaultAsync(ct);
        if (request is null) { return; }
        db.AwardMails.Add(MailQueue.NewMail(request.AssertionId, outboxEvent.IssuerId, outboxEvent.Id, request.Address, request.Locale,
            new Uri(urls.Base).Host, clock.GetUtcNow().UtcDateTime));
        db.AwardMailRequests.Remove(request);
    }
}
