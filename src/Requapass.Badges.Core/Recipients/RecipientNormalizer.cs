using System.Text;

namespace Requapass.Badges.Core.Recipients;

/// <summary>
/// Normalises what a partner typed into the one form that is hashed, so that the same person always
/// gets the same hash input: email trimmed and lower-cased; URL absolute http(s) with scheme and host
/// lower-cased; telephone in E.164 (+, country code, digits only).
/// </summary>
public static class RecipientNormalizer
{
    /// <summary>Normalises <paramref name="raw"/> as a <paramref name="type"/>; the error explains a refusal.</summary>
    public static (RecipientIdentity? Identity, string? Error) Normalize(RecipientType type, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return (null, "The recipient identity is required.");
        }
        var (value, error) = type switch
        {
            RecipientType.Email => Email(raw),
            RecipientType.Url => Url(raw),
            RecipientType.Telephone => Telephone(raw),
            _ => (null, "Unknown recipient type."),
        };
        return value is null ? (null, error) : (new RecipientIdentity(type, value), null);
    }

    private static (string?, string?) Email(string raw)
    {
        var email = raw.Trim().ToLowerInvariant();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var ok = email.Length <= 254
            && at is > 0 and <= 64 && at == email.LastIndexOf('@')
            && IsLocalPart(email[..at]) && IsDomain(email[(at + 1)..]);
        return ok ? (email, null) : (null, "The email address is not valid.");
    }

    /// <summary>RFC 5321, section 4.1.2 Dot-string: atoms of printable characters joined by single dots.</summary>
    private static bool IsLocalPart(string local) =>
        local.Split('.').All(atom => atom.Length > 0
            && atom.All(c => c > ' ' && c < 127 && c is not ('<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '[' or ']' or '\\' or '@')));

    /// <summary>
    /// A host name with at least two labels (RFC 1035, section 2.3.1, as relaxed by RFC 1123): each label 1 to 63
    /// letters, digits or hyphens, not starting or ending with a hyphen; the last label not all digits.
    /// </summary>
    public static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        return domain.Length <= 253 && labels.Length >= 2
            && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            && !labels[^1].All(char.IsAsciiDigit);
    }

    private static (string?, string?) Url(string raw)
    {
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return (null, "The URL must be an absolute http or https URL.");
        }
        if (uri.UserInfo.Length > 0)
        {
            // A user name or password in a URL would be published in every document that carries it.
            return (null, "The URL may not hold a user name or password (user:pass@).");
        }
        // Uri lower-cases the scheme and host and drops a default port; path and query keep their case.
        return (uri.AbsoluteUri, null);
    }

    private static (string?, string?) Telephone(string raw)
    {
        var text = raw.Trim();
        var digits = new StringBuilder();
        var international = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+' && i == 0) { international = true; }
            else if (char.IsAsciiDigit(c)) { digits.Append(c); }
            else if (c is not (' ' or '.' or '-' or '(' or ')' or '/')) { return (null, "The telephone number has characters that are not digits."); }
        }
        var number = digits.ToString();
        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            number = number[2..];
        }
        // E.164 (ITU-T): a country code that does not start with 0, at most 15 digits in all.
        if (!international)
        {
            return (null, "The telephone number must be in international form, e.g. +33 6 12 34 56 78 or +32 470 12 34 56.");
        }
        if (number.Length is < 8 or > 15 || number[0] == '0')
        {
            return (null, "The telephone number is not a valid E.164 number.");
        }
        return ("+" + number, null);
    }
}
