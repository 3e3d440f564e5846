using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Applications;

/// <summary>
/// Every step of an application, written in the transaction of its change of status: the history row
/// (who, when, what, the message), the volunteer's mail when the step has one (queued in award_mails,
/// sent by the mail worker: nothing lost, nothing sent twice), and the outbox event for webhooks.
/// The mail's address is the map's, copied into the mail row, which drops it once sent or abandoned.
/// Staff's steps (approve, reject, ask for more) are audited here too, in the same transaction.
/// </summary>
public sealed class ApplicationJournal(PublicUrls urls, IOptions<Options.MailOptions> mail, Audit.AuditTrail audit)
{
    /// <summary>Stages the step on <paramref name="db"/>; true when a mail was queued (signal the worker after the commit).</summary>
    public bool Record(
        BadgesDbContext db, ApplicationEntity application, string issuerPublicId, string badgeClassPublicId, string step, string actor,
        string? message, string? address, DateTime at, string? assertionPublicId = null)
    {
        var entry = new ApplicationEventEntity { Application = application, Kind = step, Actor = actor, Message = message, CreatedAt = at };
        if (application.Id != 0) { (entry.Application, entry.ApplicationId) = (null, application.Id); }
        db.ApplicationEvents.Add(entry);
        var queued = false;
        if (MailKind(step) is { } kind && mail.Value.Enabled && address is not null)
        {
            var row = MailQueue.NewMail(null, application.IssuerId, null, address, application.Locale, new Uri(urls.Base).Host, at, kind);
            row.ApplicationEvent = entry;
            db.AwardMails.Add(row);
            queued = true;
        }
        if (EventType(step) is { } type)
        {
            db.OutboxEvents.Add(Outbox.New(type, application.IssuerId, application.PublicId, new
            {
                applicationId = application.PublicId, issuerId = issuerPublicId, badgeClassId = badgeClassPublicId,
                status = application.Status, step, assertionId = assertionPublicId,
            }, at));
        }
        if (AuditAction(step) is { } action)
        {
            audit.Record(action, new(Audit.AuditTargets.Application, application.PublicId, application.IssuerId));
        }
        return queued;
    }

    private static Audit.AuditAction? AuditAction(string step) => step switch
    {
        ApplicationSteps.Approved => Audit.AuditAction.ApplicationApproved,
        ApplicationSteps.Rejected => Audit.AuditAction.ApplicationRejected,
        ApplicationSteps.InfoRequested => Audit.AuditAction.ApplicationInfoRequested,
        _ => null,
    };

    /// <summary>The mail a step sends the volunteer. An approval's mail is the award's own (the issuance core queues it); the volunteer's own steps but the first need none.</summary>
    private static string? MailKind(string step) => step switch
    {
        ApplicationSteps.Submitted => MailKinds.ApplicationReceived,
        ApplicationSteps.InfoRequested => MailKinds.ApplicationInfoRequested,
        ApplicationSteps.Rejected => MailKinds.ApplicationRejected,
        _ => null,
    };

    private static string? EventType(string step) => step switch
    {
        ApplicationSteps.Submitted or ApplicationSteps.Resubmitted => EventTypes.ApplicationSubmitted,
        ApplicationSteps.InfoRequested => EventTypes.ApplicationInfoRequested,
        ApplicationSteps.Approved or ApplicationSteps.Rejected => EventTypes.ApplicationDecided,
        ApplicationSteps.Withdrawn => EventTypes.ApplicationWithdrawn,
        _ => null,
    };
}
