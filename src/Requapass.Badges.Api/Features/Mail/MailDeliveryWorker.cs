using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>
/// Sends due award mails and expiry reminders (<see cref="MailKinds"/>). A node claims each mail with a lease and a claim token (an atomic conditional
/// update), builds it (the baked image, the texts), sends it, and records the outcome on condition that it
/// still holds the claim. Sent or abandoned, the mail's address is set to null in that same update.
/// Failures wait <see cref="MailOptions.FirstRetryDelay"/>, doubling up to <see cref="MailOptions.MaxRetryDelay"/>,
/// until <see cref="MailOptions.GiveUpAfter"/> has passed since the mail was queued: then it is failed.
/// A connection that cannot be made ends the round (the other due mails wait for the next poll rather
/// than each waiting for a server that is away). A node that dies between the server's acceptance and
/// the record leaves the mail to the next claim after the lease: it is sent again, with the same
/// Message-ID, so delivery is at least once (README, Award emails).
/// </summary>
public sealed class MailDeliveryWorker(
    IServiceScopeFactory scopes, Issuance.OutboxSignals signals, MailSender sender, MailComposer composer, PublicUrls urls, TimeProvider clock,
    IOptions<Options.SkillsMapsOptions> skillsMaps,
    IOptions<MailOptions> options, BadgeMetrics metrics, ILogger<MailDeliveryWorker> log) : BackgroundService
{
    private const int PerRound = 20;

    private sealed record Claimed(
        long Id, string PublicId, long AssertionId, string? Address, string Locale, string MessageId, int Attempts, DateTime CreatedAt,
        string AssertionPublicId, bool Revoked, string BadgeName, string BadgeLanguage, string TranslationsJson,
        string IssuerName, string IssuerEmail, string? SenderName, string? ReplyTo, string? Message, string Kind, DateTime? Expires,
        string? ReviewComment, long SkillsMapId, bool Discovery = false);
    // SkillsMapId: the skills map of a skills-map-link mail, or the data access of a data-access-link mail.

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            log.LogInformation("Mail:Host is not set: award emails are off.");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == PerRound) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not yet migrated, or the database away: claimed mails wait for their lease.
                log.LogWarning("Award mails could not be sent; retrying at the next round. {Error}", MailSender.Describe(e, null));
            }
            try
            {
                await signals.WaitForMailAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: up to <see cref="PerRound"/> due mails, on one SMTP connection; returns how many were due.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var documents = scope.ServiceProvider.GetRequiredService<ObDocuments>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.AwardMails.AsNoTracking()
            .Where(m => m.Status == MailStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(PerRound).Select(m => m.Id).ToListAsync(ct);
        SmtpClient? client = null;
        try
        {
            foreach (var id in due)
            {
                var mail = await ClaimAsync(db, id, ct);
                if (mail is null) { continue; }
                var (token, claimed) = mail.Value;
                if (claimed.Revoked || claimed.Address is null)
                {
                    await RecordAsync(db, claimed, token, MailStatus.Failed, claimed.Revoked ? "The badge was revoked before its mail was sent." : "The mail has no address.");
                    continue;
                }
                if (claimed.Kind == MailKinds.ExpiryReminder && claimed.Expires <= clock.GetUtcNow().UtcDateTime)
                {
                    // A reminder held up (by an SMTP outage) past the date it announces would say something false.
                    await RecordAsync(db, claimed, token, MailStatus.Failed, "The badge expired before its reminder was sent.");
                    continue;
                }
                MimeKit.MimeMessage message;
                try
                {
                    message = await ComposeAsync(db, documents, claimed, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await RecordAsync(db, claimed, token, MailSender.IsPermanent(e) ? MailStatus.Failed : MailStatus.Pending, MailSender.Describe(e, claimed.Address));
                    continue;
                }
                try
                {
                    client ??= await sender.ConnectAsync(ct);
                    await client.SendAsync(message, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    await RecordAsync(db, claimed, token, MailSender.IsPermanent(e) ? MailStatus.Failed : MailStatus.Pending, MailSender.Describe(e, claimed.Address));
                    if (client is { IsConnected: true }) { continue; }
                    // No server to talk to: the other due mails wait for the next round.
                    break;
                }
                // Accepted by the server: recorded at once, to keep the send-then-record window short.
                await RecordAsync(db, claimed, token, MailStatus.Sent, null);
            }
        }
        finally
        {
            if (client is not null)
            {
                try { if (client.IsConnected) { await client.DisconnectAsync(quit: true, CancellationToken.None); } }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogDebug("SMTP QUIT failed: {Error}", MailSender.Describe(e, null)); }
                client.Dispose();
            }
        }
        return due.Count;
    }

    private async Task<(string Token, Claimed Mail)?> ClaimAsync(BadgesDbContext db, long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid().ToString("N");
        var lease = now + options.Value.Lease;
        // The conditions are repeated on the row itself: of two nodes claiming together, one gets it.
        var claimed = await db.AwardMails
            .Where(m => m.Id == id && m.Status == MailStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, lease).SetProperty(m => m.ClaimToken, token), ct);
        if (claimed != 1) { return null; }
        var mail = await (
            from m in db.AwardMails.AsNoTracking()
            where m.Id == id && m.ClaimToken == token && m.Status == MailStatus.Pending
            join a in db.Assertions.AsNoTracking() on m.AssertionId equals (long?)a.Id
            join i in db.Issuers.AsNoTracking() on m.IssuerId equals (long?)i.Id
            select new Claimed(m.Id, m.PublicId, a.Id, m.Address, m.Locale, m.MessageId, m.Attempts, m.CreatedAt, a.PublicId, a.RevokedAt != null,
                a.BadgeClass!.Name, a.BadgeClass.Language, a.BadgeClass.TranslationsJson, i.Name, i.Email, i.MailSenderName, i.MailReplyTo, i.MailMessage,
                m.Kind, a.Expires, null, 0L,
                // A class a game client is bound to is a discovery badge: its mail invites the player to a skills map.
                db.ApiClients.Any(c => c.BadgeClassId == a.BadgeClassId && c.Role == Auth.Caller.GameRole)))
            .SingleOrDefaultAsync(ct)
            // A claim's rejection has no badge: its claim names the class, and holds the reviewer's comment.
            ?? await (
            from m in db.AwardMails.AsNoTracking()
            where m.Id == id && m.ClaimToken == token && m.Status == MailStatus.Pending && m.Kind == MailKinds.ClaimRejected
            join c in db.Claims.AsNoTracking() on m.ClaimId equals (long?)c.Id
            join k in db.ClaimCampaigns.AsNoTracking() on c.CampaignId equals k.Id
            join b in db.BadgeClasses.AsNoTracking() on k.BadgeClassId equals b.Id
            join i in db.Issuers.AsNoTracking() on m.IssuerId equals (long?)i.Id
            select new Claimed(m.Id, m.PublicId, 0, m.Address, m.Locale, m.MessageId, m.Attempts, m.CreatedAt, c.PublicId, false,
                b.Name, b.Language, b.TranslationsJson, i.Name, i.Email, i.MailSenderName, i.MailReplyTo, i.MailMessage, m.Kind, null, c.ReviewComment, 0L))
            .SingleOrDefaultAsync(ct)
            // A skills map's link: no issuer, no badge; the map names itself (its public id, in the logs).
            ?? await (
            from m in db.AwardMails.AsNoTracking()
            where m.Id == id && m.ClaimToken == token && m.Status == MailStatus.Pending && m.Kind == MailKinds.SkillsMapLink
            join s in db.SkillsMaps.AsNoTracking() on m.SkillsMapId equals (long?)s.Id
            select new Claimed(m.Id, m.PublicId, 0, m.Address, m.Locale, m.MessageId, m.Attempts, m.CreatedAt, s.PublicId, false,
                "", "", "", "", "", null, null, null, m.Kind, null, null, s.Id))
            .SingleOrDefaultAsync(ct)
            // A volunteer's link to their own data: no issuer, no badge; the access row names itself (in the logs).
            ?? await (
            from m in db.AwardMails.AsNoTracking()
            where m.Id == id && m.ClaimToken == token && m.Status == MailStatus.Pending && m.Kind == MailKinds.DataAccessLink
            join d in db.DataAccesses.AsNoTracking() on m.DataAccessId equals (long?)d.Id
            select new Claimed(m.Id, m.PublicId, 0, m.Address, m.Locale, m.MessageId, m.Attempts, m.CreatedAt, d.PublicId, false,
                "", "", "", "", "", null, null, null, m.Kind, null, null, d.Id))
            .SingleOrDefaultAsync(ct)
            // An application's step has no badge either: its application names the class, its step holds the staff's words.
            ?? await (
            from m in db.AwardMails.AsNoTracking()
            where m.Id == id && m.ClaimToken == token && m.Status == MailStatus.Pending && m.ApplicationEventId != null
            join e in db.ApplicationEvents.AsNoTracking() on m.ApplicationEventId equals (long?)e.Id
            join p in db.Applications.AsNoTracking() on e.ApplicationId equals p.Id
            join b in db.BadgeClasses.AsNoTracking() on p.BadgeClassId equals b.Id
            join i in db.Issuers.AsNoTracking() on m.IssuerId equals (long?)i.Id
            select new Claimed(m.Id, m.PublicId, 0, m.Address, m.Locale, m.MessageId, m.Attempts, m.CreatedAt, p.PublicId, false,
                b.Name, b.Language, b.TranslationsJson, i.Name, i.Email, i.MailSenderName, i.MailReplyTo, i.MailMessage, m.Kind, null, e.Message, 0L))
            .SingleOrDefaultAsync(ct);
        return mail is null ? null : (token, mail);
    }

    private async Task<MimeKit.MimeMessage> ComposeAsync(BadgesDbContext db, ObDocuments documents, Claimed m, CancellationToken ct)
    {
        if (m.Kind == MailKinds.SkillsMapLink)
        {
            // The token is drawn now, as the mail is written, and only its hash is stored: no clear token
            // waits in the database for the worker. It replaces the map's previous one (the old links die).
            var (link, hash) = SkillsMaps.SkillsMapTokens.New();
            await db.SkillsMaps.Where(s => s.Id == m.SkillsMapId).ExecuteUpdateAsync(s => s.SetProperty(x => x.TokenHash, hash), ct);
            return composer.Compose(new MailContent(m.Address!, MailLanguages.Parse(m.Locale) ?? MailLanguages.Default, m.MessageId, urls.SkillsMap(link),
                "", "", "", null, null, null, null, clock.GetUtcNow(), MailKinds.SkillsMapLink));
        }
        if (m.Kind == MailKinds.DataAccessLink)
        {
            // As a skills map's link: the token is drawn as the mail is written, only its hash is stored.
            var (link, hash) = SkillsMaps.SkillsMapTokens.New();
            await db.DataAccesses.Where(d => d.Id == m.SkillsMapId).ExecuteUpdateAsync(s => s.SetProperty(x => x.TokenHash, hash), ct);
            return composer.Compose(new MailContent(m.Address!, MailLanguages.Parse(m.Locale) ?? MailLanguages.Default, m.MessageId, urls.DataAccess(link),
                "", "", "", null, null, null, null, clock.GetUtcNow(), MailKinds.DataAccessLink));
        }
        var badgeName = BadgeName(m);
        if (m.Kind == MailKinds.ClaimRejected || MailKinds.Application.Contains(m.Kind))
        {
            return composer.Compose(new MailContent(m.Address!, MailLanguages.Parse(m.Locale) ?? MailLanguages.Default, m.MessageId, "",
                badgeName, m.IssuerName, m.IssuerEmail, m.SenderName, m.ReplyTo, m.ReviewComment, null, clock.GetUtcNow(), m.Kind));
        }
        // The award mail carries the baked badge; a reminder only links to it (the volunteer has it already).
        var image = m.Kind == MailKinds.Award ? await BadgeImage.BakeAsync(db, documents, metrics, m.AssertionId, badgeName, ct) : null;
        return composer.Compose(new MailContent(m.Address!, MailLanguages.Parse(m.Locale) ?? MailLanguages.Default, m.MessageId, urls.Assertion(m.AssertionPublicId),
            badgeName, m.IssuerName, m.IssuerEmail, m.SenderName, m.ReplyTo, m.Message, image, clock.GetUtcNow(), m.Kind, m.Expires,
            m.Kind == MailKinds.Award && m.Discovery ? skillsMaps.Value.Start(urls.Base) : null));
    }

    /// <summary>The badge class's name in the mail's language when the class has that translation.</summary>
    private static string BadgeName(Claimed m)
    {
        if (m.Kind is MailKinds.SkillsMapLink or MailKinds.DataAccessLink) { return ""; }
        if (m.Locale == m.BadgeLanguage) { return m.BadgeName; }
        try
        {
            return BadgeClasses.BadgeClassJson.Translations(m.TranslationsJson).TryGetValue(m.Locale, out var t) && !string.IsNullOrWhiteSpace(t.Name)
                ? t.Name : m.BadgeName;
        }
        catch (System.Text.Json.JsonException)
        {
            return m.BadgeName;
        }
    }

    /// <summary>The outcome of one attempt, on condition that this node still holds the claim. Sent or failed: the address goes.</summary>
    private async Task RecordAsync(BadgesDbContext db, Claimed mail, string token, string status, string? error)
    {
        var settings = options.Value;
        var attempts = mail.Attempts + 1;
        var now = clock.GetUtcNow().UtcDateTime;
        var next = now;
        if (status == MailStatus.Pending)
        {
            var wait = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
            next = now + wait;
            if (next > mail.CreatedAt + settings.GiveUpAfter)
            {
                (status, error) = (MailStatus.Failed, $"Gave up after {attempts} attempts. Last: {error}");
            }
        }
        var mine = db.AwardMails.Where(m => m.Id == mail.Id && m.ClaimToken == token && m.Status == MailStatus.Pending);
        // CancellationToken.None: an outcome, above all a sent mail, is recorded even while the node stops.
        var recorded = status == MailStatus.Pending
            ? await mine.ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, error).SetProperty(m => m.LeaseUntil, (DateTime?)null).SetProperty(m => m.ClaimToken, (string?)null)
                .SetProperty(m => m.UpdatedAt, now), CancellationToken.None)
            : await mine.ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, status).SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error).SetProperty(m => m.Address, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null)
                .SetProperty(m => m.ClaimToken, (string?)null).SetProperty(m => m.UpdatedAt, now).SetProperty(m => m.CompletedAt, now), CancellationToken.None);
        metrics.Mail(status == MailStatus.Pending ? "retrying" : status);
        // The subject is what the mail is about: an assertion, a claim, an application or a skills map (by kind).
        if (recorded == 0) { log.LogWarning("Mail {Mail} ({Kind}): the claim was lost before its outcome was recorded.", mail.PublicId, mail.Kind); }
        else if (status == MailStatus.Sent) { log.LogInformation("Mail {Mail} ({Kind}) about {Subject} sent (attempt {Attempt}).", mail.PublicId, mail.Kind, mail.AssertionPublicId, attempts); }
        else if (status == MailStatus.Failed) { log.LogWarning("Mail {Mail} ({Kind}) about {Subject} failed: {Error}", mail.PublicId, mail.Kind, mail.AssertionPublicId, error); }
        else { log.LogInformation("Mail {Mail} ({Kind}) attempt {Attempt} failed; retrying at {Next:o}. {Error}", mail.PublicId, mail.Kind, attempts, next, error); }
    }
}
