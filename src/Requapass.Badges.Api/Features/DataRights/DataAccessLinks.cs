using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.DataRights;

/// <summary>
/// The volunteer's proof of an address, as for a skills map (no account, no password): a request queues
/// a data-access-link mail, the mail worker draws the 256-bit token as it writes the mail and stores its
/// SHA-256 on the access row (<see cref="DataAccessEntity"/>). The answer is the same whether the address
/// holds anything, is over its hourly cap, or not: the mail, not the answer, proves the address. A link
/// lives <see cref="DataRightsOptions.LinkLifetime"/> and opens <see cref="DataRightsOptions.LinkUses"/> times.
/// </summary>
public sealed class DataAccessLinks(
    BadgesDbContext db, TimeProvider clock, PublicUrls urls, OutboxSignals signals, IOptions<MailOptions> mail,
    IOptions<PublicTrafficOptions> traffic, IOptions<DataRightsOptions> options, ILogger<DataAccessLinks> log)
{
    public async Task<SkillsMapMailOutcome> RequestAsync(DataAccessRequest r, string defaultLocale, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("email", r.Email);
        RecipientIdentity? identity = null;
        if (!string.IsNullOrWhiteSpace(r.Email))
        {
            (identity, var error) = RecipientNormalizer.Normalize(RecipientType.Email, r.Email);
            if (error is not null) { errors.Add("email", error); }
        }
        var locale = r.Locale is null ? defaultLocale : MailLanguages.Parse(r.Locale);
        if (locale is null) { errors.Add("locale", "locale must be fr, nl or en."); }
        if (errors.Any) { return new(errors.ToDictionary()); }
        if (!mail.Value.Enabled) { return new(null, MailOff: true); }
        var lookup = identity!.LookupKey();
        var now = clock.GetUtcNow().UtcDateTime;
        // Dead links go first (their unsent mails with them): nothing of an expired link outlives the next request.
        await db.DataAccesses.Where(a => a.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        var since = now.AddHours(-1);
        if (await db.DataAccesses.CountAsync(a => a.RecipientLookup == lookup && a.CreatedAt > since, ct) >= traffic.Value.DataAccessMailsPerAddressPerHour)
        {
            log.LogInformation("A data access request was answered without a mail: the address is over its hourly cap.");
            return new(null);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The first hash is of a token nobody holds: the link opens once the worker mails it.
        var access = new DataAccessEntity
        {
            PublicId = PublicIds.New(), TokenHash = SkillsMapTokens.New().Hash, RecipientLookup = lookup, Locale = locale!,
            UsesLeft = options.Value.LinkUses, ExpiresAt = now + options.Value.LinkLifetime, CreatedAt = now,
        };
        db.DataAccesses.Add(access);
        await db.SaveChangesAsync(ct);
        var queued = MailQueue.NewMail(null, null, null, identity.Normalized, access.Locale, new Uri(urls.Base).Host, now, MailKinds.DataAccessLink);
        queued.DataAccessId = access.Id;
        db.AwardMails.Add(queued);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        signals.MailQueued();
        log.LogInformation("Data access {Access} asked for; its link is queued.", access.PublicId);
        return new(null);
    }

    /// <summary>
    /// The access a presented token opens, one use spent; null when the token is unknown, expired or used
    /// up. The use is taken in one conditional statement: of requests racing for the last use, one gets it.
    /// </summary>
    public async Task<DataAccessEntity?> OpenAsync(string? token, CancellationToken ct)
    {
        var hash = SkillsMapTokens.Presented(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var used = await db.DataAccesses.Where(a => a.TokenHash == hash && a.UsesLeft > 0 && a.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.UsesLeft, a => a.UsesLeft - 1), ct);
        return used == 0 ? null : await db.DataAccesses.AsNoTracking().SingleOrDefaultAsync(a => a.TokenHash == hash, ct);
    }
}
