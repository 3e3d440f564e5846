using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Features.Issuers;

/// <summary>Create or replace an issuer profile. <c>image</c> is an optional PNG/SVG data: URI.</summary>
/// <summary><c>defaultVerification</c>: "hosted" (default) or "signed", for awards that do not choose.</summary>
/// <summary>
/// Award emails: <c>notifyRecipients</c> (default true) and <c>defaultLocale</c> (fr, nl or en; default fr)
/// apply to awards that do not choose, and are kept when left out of an update; <c>mailSenderName</c>
/// (the From display name; default the issuer's name), <c>mailReplyTo</c> (default the issuer's email)
/// and <c>mailMessage</c> (a short message shown in the mail) are replaced like the other texts.
/// <c>expiryReminderDays</c>: how many days before a badge expires its recipient gets one reminder email,
/// 1 to 90, or 0 for none (default 14; kept when left out of an update). Turning reminders off forgets
/// the addresses held for this issuer's pending reminders.
/// <c>territory</c>: where the issuer works, an ISO 3166-2 department or province code (FR-59, BE-WHT;
/// Features/Statistics/Territories.cs lists them), for the statistics only (never in Open Badges
/// documents); kept when left out of an update, cleared by an empty string.
/// </summary>
public sealed record IssuerRequest(
    [property: MaxLength(Limits.Name)] string? Name, [property: MaxLength(Limits.Url)] string? Url, [property: MaxLength(Limits.Email)] string? Email, [property: MaxLength(Limits.Description)] string? Description,
    [property: MaxLength(Limits.Telephone)] string? Telephone, [property: MaxLength(Limits.ImageDataUri)] string? Image, [property: MaxLength(Limits.Code)] string? DefaultVerification = null,
    bool? NotifyRecipients = null, [property: MaxLength(Limits.Language)] string? DefaultLocale = null,
    [property: MaxLength(Limits.MailSenderName)] string? MailSenderName = null, [property: MaxLength(Limits.Email)] string? MailReplyTo = null,
    [property: MaxLength(Limits.MailMessage)] string? MailMessage = null,
    [property: Range(0, Mail.ExpiryReminders.MaxDays)] int? ExpiryReminderDays = null,
    [property: MaxLength(Limits.Territory)] string? Territory = null);

public sealed record IssuerResponse(
    string Id, string OpenBadgesId, string Name, string Url, string Email, string? Description,
    string? Telephone, string? ImageUrl, bool IsCatalogueOwner, string DefaultVerification, DateTime CreatedAt, DateTime UpdatedAt,
    bool NotifyRecipients, string DefaultLocale, string? MailSenderName, string? MailReplyTo, string? MailMessage, int ExpiryReminderDays,
    string? Territory)
{
    public static IssuerResponse From(IssuerEntity e, PublicUrls urls) => new(
        e.PublicId, urls.Issuer(e.PublicId), e.Name, e.Url, e.Email, e.Description, e.Telephone,
        e.ImageId is null ? null : urls.IssuerImage(e.PublicId), e.IsCatalogueOwner, e.DefaultVerification.Name(), e.CreatedAt, e.UpdatedAt,
        e.NotifyRecipients, e.DefaultLocale, e.MailSenderName, e.MailReplyTo, e.MailMessage, e.ExpiryReminderDays, e.Territory);
}

/// <summary>An issuer's award email settings, checked and normalised.</summary>
public sealed record IssuerMailSettings(string? Locale, string? SenderName, string? ReplyTo, string? Message);

public static class IssuerValidation
{
    /// <summary>
    /// The award email settings. The sender name and reply-to go into mail headers: a line break there
    /// would start a header of the caller's choosing (header injection), so they are refused, although
    /// the text rules let texts hold line breaks; the sender's code checks again (Features/Mail).
    /// </summary>
    public static IssuerMailSettings Mail(IssuerRequest r, ValidationErrors errors)
    {
        var locale = Features.Mail.MailLanguages.Parse(r.DefaultLocale);
        if (r.DefaultLocale is not null && locale is null) { errors.Add("defaultLocale", "defaultLocale must be fr, nl or en."); }
        if (r.ExpiryReminderDays is < 0 or > Features.Mail.ExpiryReminders.MaxDays)
        {
            errors.Add("expiryReminderDays", $"expiryReminderDays must be between 0 (no reminders) and {Features.Mail.ExpiryReminders.MaxDays}.");
        }
        var senderName = Blank(r.MailSenderName);
        if (senderName is not null && senderName.Any(c => c is '\r' or '\n' or '\t'))
        {
            errors.Add("mailSenderName", "mailSenderName must be one line (no line breaks or tabs).");
        }
        var replyTo = Blank(r.MailReplyTo);
        if (replyTo is not null)
        {
            if (r.MailReplyTo!.Any(char.IsControl)) { errors.Add("mailReplyTo", "mailReplyTo must be one email address, on one line."); }
            else if (RecipientNormalizer.Normalize(RecipientType.Email, replyTo) is { Error: null } email) { replyTo = email.Identity!.Normalized; }
            else { errors.Add("mailReplyTo", "mailReplyTo must be an email address."); }
        }
        return new IssuerMailSettings(locale, senderName, replyTo, Blank(r.MailMessage));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Checks a request; returns the normalised telephone (E.164) when one was given.</summary>
    public static string? Check(IssuerRequest r, ValidationErrors errors)
    {
        errors.Required("name", r.Name);
        errors.HttpUrl("url", r.Url);
        if (string.IsNullOrWhiteSpace(r.Email))
        {
            errors.Add("email", "email is required.");
        }
        else if (RecipientNormalizer.Normalize(RecipientType.Email, r.Email).Error is { } emailError)
        {
            errors.Add("email", emailError);
        }
        if (!string.IsNullOrEmpty(r.Territory) && Statistics.Territories.Parse(r.Territory) is null)
        {
            errors.Add("territory", "territory must be an ISO 3166-2 code of a French department or a Belgian province (e.g. FR-59, BE-WHT), or empty.");
        }
        if (r.DefaultVerification is not null && VerificationTypes.Parse(r.DefaultVerification) is null)
        {
            errors.Add("defaultVerification", "defaultVerification must be hosted or signed.");
        }
        if (string.IsNullOrWhiteSpace(r.Telephone)) { return null; }
        var (phone, phoneError) = RecipientNormalizer.Normalize(RecipientType.Telephone, r.Telephone);
        if (phoneError is not null) { errors.Add("telephone", phoneError); }
        return phone?.Normalized;
    }
}
