using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>
/// Send a badge's award email again. The service does not keep the recipient's address, so staff give it;
/// it must be the badge's recipient (it must hash, with the badge's salt, to its recipient hash).
/// <c>locale</c>: fr, nl or en (default: the issuer's <c>defaultLocale</c>).
/// </summary>
public sealed record ResendEmailRequest([property: MaxLength(Limits.Email)] string? Email, [property: MaxLength(Limits.Language)] string? Locale = null);

/// <summary>The queued mail: its id, status (pending) and language. The address is not echoed.</summary>
public sealed record ResendEmailResponse(string MailId, string Status, string Locale, DateTime QueuedAt);

public static class MailApi
{
    public static RouteGroupBuilder MapMailEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Award emails")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/assertions/{assertionId}/resend-email", Resend).WithName("ResendAwardEmail")
            .WithSummary("Queue the award email again, to the recipient's address given in the body (it must match the badge's recipient).")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Accepted<ResendEmailResponse>, ProblemHttpResult, ValidationProblem>> Resend(
        string assertionId, ResendEmailRequest request, BadgesDbContext db, Addressed addressed, PublicUrls urls, TimeProvider clock,
        IOptions<MailOptions> mail, Issuance.OutboxSignals signals, Audit.AuditTrail audit, CancellationToken ct)
    {
        var found = await addressed.Assertion(assertionId, ct);
        if (found is null) { return Problems.NotFound("assertion"); }
        var errors = new ValidationErrors();
        errors.Required("email", request.Email);
        var (identity, error) = string.IsNullOrWhiteSpace(request.Email) ? (null, null) : RecipientNormalizer.Normalize(RecipientType.Email, request.Email);
        if (error is not null) { errors.Add("email", error); }
        var locale = MailLanguages.Parse(request.Locale);
        if (request.Locale is not null && locale is null) { errors.Add("locale", "locale must be fr, nl or en."); }
        if (errors.Any) { return errors.ToProblem(); }

        var assertion = found.Entity;
        if (!mail.Value.Enabled)
        {
            return Problems.Conflict("mail-not-configured", "Award emails are off on this service (Mail:Host is not set).");
        }
        if (RecipientIdentity.Names.Parse(assertion.RecipientType) != RecipientType.Email)
        {
            return Problems.Conflict("not-an-email-recipient", $"This badge's recipient is a {assertion.RecipientType}, not an email address.");
        }
        if (assertion.RevokedAt is not null)
        {
            return Problems.Conflict("assertion-revoked", "This badge was revoked; its email is not sent again.");
        }
        // The published hash is salted per assertion: the given address must hash to it (OB 2.0, IdentityObject).
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(identity!.Hash(assertion.RecipientSalt)), Encoding.ASCII.GetBytes(assertion.RecipientHash)))
        {
            return Problems.Unprocessable("recipient-mismatch", "This email address is not the badge's recipient.");
        }
        if (await db.AwardMails.AnyAsync(m => m.AssertionId == assertion.Id && m.Kind == MailKinds.Award && m.Status == MailStatus.Pending, ct)
            || await db.AwardMailRequests.AnyAsync(r => r.AssertionId == assertion.Id, ct))
        {
            return Problems.Conflict("mail-pending", "An email for this badge is already waiting to be sent.");
        }
        var issuerLocale = await db.Issuers.Where(i => i.Id == assertion.IssuerId).Select(i => i.DefaultLocale).SingleAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var queued = MailQueue.NewMail(assertion.Id, assertion.IssuerId, null, identity.Normalized,
            locale ?? MailLanguages.Parse(issuerLocale) ?? MailLanguages.Default, new Uri(urls.Base).Host, now);
        db.AwardMails.Add(queued);
        audit.Record(Audit.AuditAction.AwardMailResent, new(Audit.AuditTargets.Assertion, assertion.PublicId, assertion.IssuerId));
        await db.SaveChangesAsync(ct);
        signals.MailQueued();
        return TypedResults.Accepted((string?)null, new ResendEmailResponse(queued.PublicId, queued.Status, queued.Locale, now));
    }
}
