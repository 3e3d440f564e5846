using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Requapass.Badges.Core.Verification;

/// <summary>The value rules of Open Badges 2.0 ("Data Validation"): IRIs, dates, hashes, types.</summary>
public static partial class ObValues
{
    [GeneratedRegex(@"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UrnUuid();

    [GeneratedRegex(@"^_:\S+$")]
    private static partial Regex BlankNode();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex DateWithZone();

    [GeneratedRegex(@"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")]
    private static partial Regex IdentityHash();

    [GeneratedRegex(@"^\S+@\S+\.\S+$")]
    private static partial Regex Email();

    /// <summary>An IRI as OB 2.0 accepts one: http(s) URL, urn:uuid, or a blank node id.</summary>
    public static bool IsIri(string? value) =>
        value is not null && (IsHttpUrl(value) || UrnUuid().IsMatch(value) || BlankNode().IsMatch(value));

    /// <summary>An absolute http or https URL.</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) && u.Host.Length > 0;

    /// <summary>An ISO 8601 date-time with a time zone (Z or an offset), that parses.</summary>
    public static bool IsDateWithZone(string? value) =>
        value is not null && DateWithZone().IsMatch(value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary><c>sha256$</c> or <c>md5$</c> (lower-case prefix) and hex of the right length.</summary>
    public static bool IsIdentityHash(string? value) => value is not null && IdentityHash().IsMatch(value);

    /// <summary>A plausible email address.</summary>
    public static bool IsEmail(string? value) => value is not null && Email().IsMatch(value);

    /// <summary>
    /// True when <c>type</c> is, or lists, one of <paramref name="expected"/>. Compared as terms: the
    /// verifier first rewrites compact and full IRIs to their Open Badges 2.0 terms (ObContext), so
    /// an IRI that merely ends in "/Assertion" is not an Assertion.
    /// </summary>
    public static bool HasType(JsonElement node, params string[] expected)
    {
        if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty("type", out var type)) { return false; }
        return type.ValueKind switch
        {
            JsonValueKind.String => expected.Contains(type.GetString()!),
            JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && expected.Contains(t.GetString()!)),
            _ => false,
        };
    }

    /// <summary>The string value of a property, or null.</summary>
    public static string? String(JsonElement node, string name) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
