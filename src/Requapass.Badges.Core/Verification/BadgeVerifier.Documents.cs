using System.Text.Json;
using Requapass.Badges.Core.JsonLd;

namespace Requapass.Badges.Core.Verification;

/// <summary>Resolving linked documents (fetched or embedded) and reading them through the 2.0 context.</summary>
public sealed partial class BadgeVerifier
{

    /// <summary>Shape of the assertion; resolves, checks and reports its badge class and issuer.</summary>
    private async Task<(JsonElement? BadgeClass, JsonElement? Issuer)> ResolveAndCheckAsync(JsonElement assertion)
    {
        _report.AddRange(ObShape.Assertion(assertion));
        var badge = await ResolveLinkAsync(assertion, "badge", "badgeclass", "BadgeClass");
        if (badge is null) { return (null, null); }
        if (badge.Fetched) { _report.AddRange(ObShape.BadgeClass(badge.Document, embedded: true)); }
        _report.BadgeClass = badge.Document;
        var issuer = await ResolveLinkAsync(badge.Document, "issuer", "issuer", "Profile");
        if (issuer is null) { return (badge.Document, null); }
        if (issuer.Fetched) { _report.AddRange(ObShape.Profile(issuer.Document)); }
        _report.Issuer = issuer.Document;
        return (badge.Document, issuer.Document);
    }

    /// <summary>
    /// The object a property links to. An IRI is fetched. An embedded object with an http(s) id is
    /// fetched as well and the fetched copy used, as the official validator does: an embedded copy is
    /// the badge holder's word, the hosted one the issuer's (so an embedded issuer cannot bring its
    /// own publicKey). Other embedded objects are used as they are.
    /// </summary>
    private async Task<Resolved?> ResolveLinkAsync(JsonElement node, string property, string name, string label)
    {
        if (!node.TryGetProperty(property, out var value))
        {
            return null; // the shape checks already said it is missing
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var embeddedId = ObValues.String(value, "id");
            if (embeddedId is null || !ObValues.IsHttpUrl(embeddedId))
            {
                if (embeddedId is null) { _report.Warn($"{name}.id", $"The embedded {label} has no id."); }
                return new Resolved(value, Fetched: false);
            }
            return await FetchDocumentAsync(embeddedId, name, label);
        }
        if (value.ValueKind == JsonValueKind.String && ObValues.IsHttpUrl(value.GetString()))
        {
            return await FetchDocumentAsync(value.GetString()!, name, label);
        }
        _report.Fail($"{name}.fetch", $"The {label} is neither an embedded object nor an http(s) URL that can be fetched.");
        return null;
    }

    private Task<Resolved?> FetchDocumentAsync(string url, string name, string label)
    {
        if (!_resolved.TryGetValue(url, out var task))
        {
            task = FetchDocumentCoreAsync(url, name, label);
            _resolved[url] = task;
        }
        return task;
    }

    private async Task<Resolved?> FetchDocumentCoreAsync(string url, string name, string label)
    {
        var answer = await _source.GetAsync(new Uri(url), JsonAccept, _ct);
        if (!answer.Ok)
        {
            _report.Fail($"{name}.fetch", $"The {label} {url} could not be fetched: {answer.Message}");
            return null;
        }
        if (answer.Status != 200)
        {
            _report.Fail($"{name}.fetch", $"The {label} {url} answered HTTP {answer.Status}, not 200.");
            return null;
        }
        var read = answer.Read;
        if (read is null)
        {
            if (ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json)
            {
                _report.Fail($"{name}.fetch", $"The {label} {url} is not a JSON object.");
                return null;
            }
            answer.Read = read = ObContext.Normalize(json);
        }
        var document = Report(read, name, required: name is "badgeclass" or "issuer");
        var id = ObValues.String(document, "id");
        _report.Check($"{name}.id", id == url, $"The {label} fetched from {url} has that id.",
            $"The {label} fetched from {url} declares another id ({id ?? "none"}).");
        return new Resolved(document, Fetched: true);
    }

    /// <summary>Normalises a document's terms and reports on its @context.</summary>
    private JsonElement Normalize(JsonElement json, string name, bool required) => Report(ObContext.Normalize(json), name, required);

    private JsonElement Report(NormalizedDocument normalized, string name, bool required)
    {
        switch (normalized.Context)
        {
            case ContextKind.OpenBadgesV2:
                break;
            case ContextKind.OpenBadgesV1:
                _report.Fail($"jsonld.{name}", "The document uses an Open Badges 1.x context; this verifier reads Open Badges 2.0 only.");
                break;
            case ContextKind.Missing when required:
                _report.Fail($"jsonld.{name}", "The document has no @context: it is not Open Badges 2.0 JSON-LD (the context https://w3id.org/openbadges/v2 is required).");
                break;
            case ContextKind.Missing:
                _report.Warn($"jsonld.{name}", "The document has no @context; it was read with the Open Badges 2.0 terms.");
                break;
            case ContextKind.Unknown:
                _report.Warn($"jsonld.{name}", "The document does not name the Open Badges 2.0 context; its terms were read as written.");
                break;
        }
        foreach (var warning in normalized.Warnings) { _report.Warn($"jsonld.{name}", warning); }
        return normalized.Document;
    }

    private static bool IsSigned(JsonElement assertion) =>
        assertion.TryGetProperty("verification", out var v) && ObValues.HasType(v, "SignedBadge");

    private static DateTimeOffset? Date(JsonElement node, string name) =>
        ObValues.IsDateWithZone(ObValues.String(node, name))
        && DateTimeOffset.TryParse(ObValues.String(node, name), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : null;

    private static JsonElement? ParseJson(byte[]? body)
    {
        if (body is null || body.Length == 0) { return null; }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 128 });
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool LooksLikeJws(string text)
    {
        if (text.Length < 5 || text.Count(ch => ch == '.') != 2) { return false; }
        foreach (var ch in text)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')) { return false; }
        }
        return true;
    }

    private static IEnumerable<JsonElement> Items(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];

    private static List<string> Strings(JsonElement value) =>
        [.. Items(value).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];

    private sealed record Resolved(JsonElement Document, bool Fetched);
}
