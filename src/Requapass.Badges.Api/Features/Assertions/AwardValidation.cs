using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Dates;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Recipients;

namespace Requapass.Badges.Api.Features.Assertions;

/// <summary>An award request that passed every check, in the form that is stored.</summary>
public sealed record ValidAward(
    RecipientIdentity Recipient, DateTimeOffset IssuedOn, DateTimeOffset? Expires, string? Narrative, IReadOnlyList<Evidence> Evidence,
    VerificationType? Verification, bool? Notify = null, string? Locale = null);

public static class AwardValidation
{
    /// <summary>
    /// The award's rules. <paramref name="checkLimits"/>: also the request's [MaxLength]s and text rules,
    /// for rows of a batch, which do not pass the route filter that checks a single award's body.
    /// </summary>
    public static ValidAward? Check(AwardRequest r, DateTimeOffset now, ValidationErrors errors, bool checkLimits = false)
    {
        if (checkLimits) { InputRules.Check(r, errors); }
        RecipientIdentity? recipient = null;
        if (r.Recipient is null)
        {
            errors.Add("recipient", "recipient is required: { \"type\": \"email\", \"identity\": \"...\" }.");
        }
        else if (RecipientIdentity.Names.Parse(r.Recipient.Type ?? "email") is not { } type)
        {
            errors.Add("recipient.type", "recipient.type must be email, url or telephone.");
        }
        else
        {
            var (identity, error) = RecipientNormalizer.Normalize(type, r.Recipient.Identity);
            if (error is not null) { errors.Add("recipient.identity", error); }
            recipient = identity;
        }

        var issuedOn = IssueDates.ToWholeSecondUtc(r.IssuedOn ?? now);
        DateTimeOffset? expires = r.Expires is { } e ? IssueDates.ToWholeSecondUtc(e) : null;
        if (IssueDates.Check(issuedOn, expires, now) is { } broken)
        {
            errors.Add(broken.Field, broken.Message);
        }

        var evidence = new List<Evidence>();
        for (var i = 0; i < (r.Evidence?.Count ?? 0); i++)
        {
            var item = r.Evidence![i];
            if (item is null || (string.IsNullOrWhiteSpace(item.Id) && string.IsNullOrWhiteSpace(item.Narrative)))
            {
                errors.Add($"evidence[{i}]", "Each evidence item needs an id (a URL) or a narrative.");
                continue;
            }
            errors.HttpUrl($"evidence[{i}].id", item.Id, required: false);
            evidence.Add(new Evidence
            {
                Id = Blank(item.Id), Narrative = Blank(item.Narrative), Name = Blank(item.Name),
                Description = Blank(item.Description), Genre = Blank(item.Genre), Audience = Blank(item.Audience),
            });
        }
        var verification = VerificationTypes.Parse(r.Verification);
        if (r.Verification is not null && verification is null) { errors.Add("verification", "verification must be hosted or signed."); }
        var locale = Mail.MailLanguages.Parse(r.Locale);
        if (r.Locale is not null && locale is null) { errors.Add("locale", "locale must be fr, nl or en."); }
        return errors.Any ? null : new ValidAward(recipient!, issuedOn, expires, Blank(r.Narrative), evidence, verification, r.Notify, locale);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
