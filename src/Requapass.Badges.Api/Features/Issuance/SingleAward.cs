using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// One award through the issuance core, for the award route and the game's route. With an
/// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) the assertion and the key are written in
/// one transaction, so a retry after a timeout or a crash finds the key and gets the first result; the
/// same key with a different request is refused with 422. Keys are per API client. The rows are written by
/// <see cref="AwardStore"/> (hand-written statements; on SQLite, a group commit).
/// </summary>
public sealed class SingleAward(
    BadgesDbContext db, PublicUrls urls, ObDocuments documents, IssuerKeys keys, TimeProvider clock, BadgeMetrics metrics,
    IOptions<MailOptions> mail, Pathways pathways, Audit.AuditTrail audit, AwardStore store)
{
    public async Task<Results<Created<AssertionResponse>, ProblemHttpResult, ValidationProblem>> AwardAsync(
        FoundClass found, AwardRequest request, string? idempotencyKey, string clientId, HttpContext http, CancellationToken ct)
    {
        var (badgeClass, issuerId, issuerDefault, badgeClassId) = (found.Entity, found.IssuerPublicId, found.IssuerDefaultVerification, found.Entity.PublicId);
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 200 || idempotencyKey.Any(c => c < 0x20 || c > 0x7E)))
        {
            return Problems.Invalid(HttpNames.IdempotencyKey, "The Idempotency-Key must be 1 to 200 printable ASCII characters.");
        }
        // Only a request with an Idempotency-Key is remembered, so only then is it hashed.
        var requestHash = idempotencyKey is null ? ""
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(badgeClassId + "\n" + JsonSerializer.Serialize(request))));
        if (idempotencyKey is not null && await Replay(clientId, idempotencyKey, requestHash, http, ct) is { } earlier)
        {
            return earlier;
        }
        if (badgeClass.ArchivedAt is not null)
        {
            return Problems.Conflict("badge-class-archived", "The badge class is archived and can no longer be awarded.");
        }
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var award = AwardValidation.Check(request, now, errors);
        if (award is null) { return errors.ToProblem(); }
        // Levels in order: a strict class at level N+1 needs level N held (Pathways).
        if (await pathways.MissingAsync(badgeClass, award.Recipient.LookupKey(), ct) is { } missing) { return missing.Problem(); }

        var assertion = Awarding.NewAssertion(award, badgeClass.Id, badgeClass.IssuerId, now);
        if ((award.Verification ?? issuerDefault) == VerificationType.Signed)
        {
            var (keyRow, key) = await keys.CurrentAsync(badgeClass.IssuerId, issuerId, ct);
            if (key is null)
            {
                return Problems.Conflict("no-signing-key", "The issuer's current signing key is not loaded in this service. Configure its PEM file or rotate the issuer's key.");
            }
            Awarding.Sign(assertion, keyRow!, key, badgeClass.PublicId, documents);
        }
        // One write (AwardStore): the assertion, its assertion.awarded event (public ids only), the audit entry,
        // the address for the award email, kept apart from the assertion until the mail is sent (README, Privacy),
        // and for the reminder before the badge expires (README, Expiry reminders), and the Idempotency-Key.
        var wanted = MailQueue.Wanted(award, mail.Value.Enabled, found.IssuerNotifiesRecipients, found.IssuerDefaultLocale);
        var rows = new AwardRows(
            assertion,
            Awarding.AwardedEvent(assertion, badgeClass.PublicId, issuerId, urls),
            audit.NewEntry(Audit.AuditAction.AssertionAwarded, new(Audit.AuditTargets.Assertion, assertion.PublicId, badgeClass.IssuerId)),
            wanted,
            ExpiryReminders.Wanted(award, wanted, found.IssuerExpiryReminderDays, now.UtcDateTime),
            idempotencyKey is null ? null : new AwardKey(clientId, idempotencyKey, requestHash));
        if (!await store.WriteAsync(rows, ct))
        {
            // A concurrent retry with the same key won the race: answer with what it stored.
            return await Replay(clientId, idempotencyKey!, requestHash, http, ct)
                ?? Problems.Conflict("idempotency-in-progress", "A request with this Idempotency-Key is still being processed. Retry shortly.");
        }
        metrics.Awarded(assertion.VerificationType, AwardSource.Single);
        return TypedResults.Created($"/api/v1/assertions/{assertion.PublicId}",
            AssertionResponse.From(assertion, badgeClass.PublicId, issuerId, urls));
    }

    private async Task<Results<Created<AssertionResponse>, ProblemHttpResult, ValidationProblem>?> Replay(
        string clientId, string key, string requestHash, HttpContext http, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ClientId == clientId && r.Key == key, ct);
        if (record is null) { return null; }
        if (record.RequestHash != requestHash)
        {
            return Problems.Unprocessable("idempotency-key-reused", "This Idempotency-Key was already used with a different request.");
        }
        var row = await db.Assertions.AsNoTracking().Where(a => a.Id == record.AssertionId)
            .Select(a => new { Entity = a, BadgeClassId = a.BadgeClass!.PublicId, IssuerId = a.BadgeClass.Issuer!.PublicId })
            .SingleAsync(ct);
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/api/v1/assertions/{row.Entity.PublicId}",
            AssertionResponse.From(row.Entity, row.BadgeClassId, row.IssuerId, urls));
    }
}
