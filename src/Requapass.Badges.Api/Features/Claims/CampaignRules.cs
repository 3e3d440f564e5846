using System.Globalization;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>A campaign request that passed every check, as it is stored.</summary>
public sealed record ValidCampaign(
    string Kind, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int MaxClaims, int CodeCount,
    IReadOnlyList<string> AllowedDomains, bool Review, string? Locale);

public static class CampaignRules
{
    public static ValidCampaign? Check(CreateCampaignRequest r, DateTimeOffset now, ValidationErrors errors)
    {
        var kind = r.Kind?.Trim().ToLowerInvariant();
        if (kind is not (CampaignKinds.SingleUse or CampaignKinds.MultiUse))
        {
            errors.Add("kind", "kind must be single-use or multi-use.");
        }
        var name = string.IsNullOrWhiteSpace(r.Name) ? null : r.Name.Trim();
        errors.Required("name", name);
        if (name is not null && name.Any(char.IsControl)) { errors.Add("name", "name must be one line."); }

        var startsAt = Seconds(r.StartsAt ?? now);
        if (r.EndsAt is not { } endsAtGiven)
        {
            errors.Add("endsAt", "endsAt is required.");
        }
        var endsAt = Seconds(r.EndsAt ?? now);
        if (r.EndsAt is not null && endsAt <= startsAt) { errors.Add("endsAt", "endsAt must be after startsAt."); }
        if (r.EndsAt is not null && endsAt > startsAt.AddDays(Limits.ClaimCampaignDays)) { errors.Add("endsAt", $"A campaign lasts at most {Limits.ClaimCampaignDays} days."); }
        if (r.EndsAt is not null && endsAt <= now) { errors.Add("endsAt", "endsAt must be in the future."); }

        int codes = 1, maxClaims = 0;
        if (kind == CampaignKinds.SingleUse)
        {
            codes = r.Codes ?? r.MaxClaims ?? 0;
            if (codes is < 1 or > Limits.ClaimCodes) { errors.Add("codes", $"codes (single-use) must be between 1 and {Limits.ClaimCodes:N0}."); }
            maxClaims = r.MaxClaims ?? codes;
            if (maxClaims < 1 || maxClaims > codes) { errors.Add("maxClaims", "maxClaims must be between 1 and the number of codes."); }
        }
        else if (kind == CampaignKinds.MultiUse)
        {
            if (r.Codes is not null and not 1) { errors.Add("codes", "A multi-use campaign has one code."); }
            maxClaims = r.MaxClaims ?? 0;
            if (maxClaims is < 1 or > Limits.ClaimsPerCampaign) { errors.Add("maxClaims", $"maxClaims is required, between 1 and {Limits.ClaimsPerCampaign:N0}."); }
        }

        var domains = new List<string>();
        for (var i = 0; i < (r.AllowedDomains?.Count ?? 0); i++)
        {
            if (Domain(r.AllowedDomains![i]) is { } domain) { if (!domains.Contains(domain)) { domains.Add(domain); } }
            else { errors.Add($"allowedDomains[{i}]", "Each allowed domain must be a domain name such as example.org."); }
        }
        var locale = MailLanguages.Parse(r.Locale);
        if (r.Locale is not null && locale is null) { errors.Add("locale", "locale must be fr, nl or en."); }
        return errors.Any ? null : new ValidCampaign(kind!, name!, startsAt, endsAt, maxClaims, codes, domains, r.Review ?? false, locale);
    }

    /// <summary>
    /// A domain name in its ASCII form, lower case (IDNA, RFC 5891: a Unicode name is stored as its
    /// A-labels), or null when it is not one: labels of letters, digits and hyphens (RFC 1035, section
    /// 2.3.1), at least two, 253 characters at most. A leading "@" is forgiven.
    /// </summary>
    public static string? Domain(string? value)
    {
        var text = value?.Trim().TrimStart('@').TrimEnd('.');
        if (string.IsNullOrEmpty(text) || text.Length > Limits.Domain) { return null; }
        try
        {
            var ascii = new IdnMapping().GetAscii(text).ToLowerInvariant();
            var labels = ascii.Split('.');
            return ascii.Length <= Limits.Domain && labels.Length >= 2
                && labels.All(l => l.Length is >= 1 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-') && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                ? ascii : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
