using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>What a start or a lost-link request became: a bad request (said), or accepted (whatever was done).</summary>
public sealed record SkillsMapMailOutcome(IReadOnlyDictionary<string, string[]>? Errors, bool MailOff = false);

/// <summary>
/// The two ways a link is mailed: a new map (<see cref="StartAsync"/>) and fresh links to an address's
/// maps (<see cref="LinksAsync"/>). Both queue skills-map-link mails (the worker draws the token as it
/// writes the mail) and answer the same whether the address has maps, is over its caps, or not: the
/// mail, not the answer, proves the address. Per address: at most
/// <see cref="PublicTrafficOptions.SkillsMapMailsPerAddressPerHour"/> mails an hour and
/// <see cref="PublicTrafficOptions.SkillsMapsPerAddress"/> maps.
/// </summary>
public sealed class SkillsMapMails(
    BadgesDbContext db, TimeProvider clock, PublicUrls urls, OutboxSignals signals, IOptions<MailOptions> mail,
    IOptions<PublicTrafficOptions> traffic, ILogger<SkillsMapMails> log)
{
    public async Task<SkillsMapMailOutcome> StartAsync(StartSkillsMapRequest r, string defaultLocale, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var identity = Address(r.Email, errors);
        var locale = r.Locale is null ? defaultLocale : MailLanguages.Parse(r.Locale);
        if (locale is null) { errors.Add("locale", "locale must be fr, nl or en."); }
        var title = string.IsNullOrWhiteSpace(r.Title) ? null : r.Title.Trim();
        if (errors.Any) { return new(errors.ToDictionary()); }
        if (!mail.Value.Enabled) { return new(null, MailOff: true); }
        var lookup = identity!.LookupKey();
        var now = clock.GetUtcNow().UtcDateTime;
        if (await MailsLeftAsync(lookup, now, ct) == 0
            || await db.SkillsMaps.CountAsync(m => m.RecipientLookup == lookup, ct) >= traffic.Value.SkillsMapsPerAddress)
        {
            log.LogInformation("A skills map start was answered without a mail: the address is over its caps.");
            return new(null);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The map's first hash is of a token nobody holds: the map opens once the worker mails its link.
        var map = new SkillsMapEntity
        {
            PublicId = PublicIds.New(), TokenHash = SkillsMapTokens.New().Hash, RecipientLookup = lookup, Address = identity.Normalized,
            Locale = locale!, Title = title, LastUsedAt = now, CreatedAt = now, UpdatedAt = now,
        };
        db.SkillsMaps.Add(map);
        await db.SaveChangesAsync(ct);
        Queue(map, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        signals.MailQueued();
        log.LogInformation("Skills map {Map} started; its link is queued.", map.PublicId);
        return new(null);
    }

    public async Task<SkillsMapMailOutcome> LinksAsync(SkillsMapLinksRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var identity = Address(r.Email, errors);
        if (errors.Any) { return new(errors.ToDictionary()); }
        if (!mail.Value.Enabled) { return new(null, MailOff: true); }
        var lookup = identity!.LookupKey();
        var now = clock.GetUtcNow().UtcDateTime;
        // One mail per map, within what the address may still be sent this hour (the oldest maps first).
        var left = await MailsLeftAsync(lookup, now, ct);
        if (left == 0) { return new(null); }
        var maps = await db.SkillsMaps.Where(m => m.RecipientLookup == lookup).OrderBy(m => m.Id).Take(Math.Min(left, traffic.Value.SkillsMapsPerAddress)).ToListAsync(ct);
        foreach (var map in maps) { Queue(map, now); }
        if (maps.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            signals.MailQueued();
        }
        return new(null);
    }

    private void Queue(SkillsMapEntity map, DateTime now)
    {
        var queued = MailQueue.NewMail(null, null, null, map.Address, map.Locale, new Uri(urls.Base).Host, now, MailKinds.SkillsMapLink);
        queued.SkillsMapId = map.Id;
        db.AwardMails.Add(queued);
    }

    /// <summary>
    /// How many more link mails the address may be sent this hour: its link mails of the last hour are
    /// counted through its maps (the mail rows lose their address once sent).
    /// </summary>
    private async Task<int> MailsLeftAsync(string lookup, DateTime now, CancellationToken ct)
    {
        var since = now.AddHours(-1);
        var recent = await (
            from m in db.AwardMails
            where m.Kind == MailKinds.SkillsMapLink && m.CreatedAt > since
            join s in db.SkillsMaps on m.SkillsMapId equals (long?)s.Id
            where s.RecipientLookup == lookup
            select m.Id).CountAsync(ct);
        return Math.Max(0, traffic.Value.SkillsMapMailsPerAddressPerHour - recent);
    }

    private static RecipientIdentity? Address(string? email, ValidationErrors errors)
    {
        errors.Required("email", email);
        if (string.IsNullOrWhiteSpace(email)) { return null; }
        var (identity, error) = RecipientNormalizer.Normalize(RecipientType.Email, email);
        if (error is not null) { errors.Add("email", error); }
        return identity;
    }
}
