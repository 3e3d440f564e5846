using System.Buffers;
using System.Text.Json;

namespace Requapass.Badges.Core.JsonLd;

/// <summary>How a document's <c>@context</c> was understood.</summary>
public enum ContextKind
{
    /// <summary>The Open Badges 2.0 context (possibly with extension or inline contexts).</summary>
    OpenBadgesV2,
    /// <summary>An Open Badges 1.x context: a version this verifier does not upgrade.</summary>
    OpenBadgesV1,
    /// <summary>No <c>@context</c> at all.</summary>
    Missing,
    /// <summary>Only contexts that are neither Open Badges 2.0 nor known extensions.</summary>
    Unknown,
}

/// <summary>A document rewritten to the Open Badges 2.0 terms, with what was noticed on the way.</summary>
public sealed record NormalizedDocument(JsonElement Document, ContextKind Context, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads Open Badges JSON-LD with the local copies of the Open Badges 2.0 context and of the 2.0
/// extension contexts (embedded in this assembly; nothing is ever fetched from w3id.org or
/// openbadgespec.org). A document may use the published terms, keywords (<c>@id</c>, <c>@type</c>),
/// compact IRIs (<c>obi:recipient</c>, <c>schema:name</c>) or full IRIs for the same properties and
/// classes; after normalisation every property and type that the 2.0 context defines is written with
/// its term (the first term when the context has aliases: <c>hosted</c> becomes <c>HostedBadge</c>,
/// <c>verify</c> becomes <c>verification</c>). Anything else (extension properties, unknown terms) is
/// kept as written. This is IRI expansion and re-compaction against one known vocabulary, not a full
/// JSON-LD processor: it is what a verifier needs to compare documents by meaning.
/// </summary>
public static class ObContext
{
    /// <summary>The URLs the Open Badges 2.0 context is published at.</summary>
    public static readonly IReadOnlySet<string> V2Urls = new HashSet<string>(StringComparer.Ordinal)
    {
        "https://w3id.org/openbadges/v2", "http://w3id.org/openbadges/v2",
        "https://w3id.org/openbadges/v2/", "https://openbadgespec.org/v2/context.json",
        "https://w3id.org/openbadges/v2/context.json",
    };

    private const string Obi = "https://w3id.org/openbadges#";
    private static readonly Dictionary<string, string> V2Terms;
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Extensions;
    private static readonly Dictionary<string, string> Inverse;

    static ObContext()
    {
        var assembly = typeof(ObContext).Assembly;
        const string prefix = "Requapass.Badges.Core.JsonLd.Contexts.";
        V2Terms = Terms(Read(assembly, prefix + "openbadges-v2.json"));
        Extensions = new(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix + "extensions.", StringComparison.Ordinal)))
        {
            var extension = name[(prefix.Length + "extensions.".Length)..^".json".Length];
            var terms = Terms(Read(assembly, name));
            // The extension contexts are published under both hosts (OB 2.0 "Extensions").
            Extensions[$"https://w3id.org/openbadges/extensions/{extension}/context.json"] = terms;
            Extensions[$"https://openbadgespec.org/extensions/{extension}/context.json"] = terms;
        }
        Inverse = new(StringComparer.Ordinal);
        foreach (var term in V2Terms.Keys)
        {
            if (ActiveContext.V2.Expand(term) is { } iri) { Inverse.TryAdd(iri, term); }
        }
    }

    /// <summary>True when <paramref name="url"/> is a context this verifier holds locally.</summary>
    public static bool IsKnown(string url) => V2Urls.Contains(url) || Extensions.ContainsKey(url);

    /// <summary>The full IRI of an Open Badges 2.0 term ("Assertion" is https://w3id.org/openbadges#Assertion).</summary>
    public static string? ExpandTerm(string term) => ActiveContext.V2.Expand(term);

    /// <summary>Rewrites <paramref name="document"/> to the Open Badges 2.0 terms.</summary>
    public static NormalizedDocument Normalize(JsonElement document)
    {
        var warnings = new List<string>();
        var kind = ContextKind.Missing;
        if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("@context", out var top))
        {
            kind = Classify(top);
        }
        // A document without a context is read with the 2.0 terms (it is reported separately).
        var start = kind == ContextKind.Missing ? ActiveContext.V2 : ActiveContext.Empty;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, document, start, warnings, depth: 0);
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return new NormalizedDocument(JsonElement.ParseValue(ref reader), kind, warnings);
    }

    private static ContextKind Classify(JsonElement context)
    {
        var urls = context.ValueKind switch
        {
            JsonValueKind.String => [context.GetString()!],
            JsonValueKind.Array => context.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).ToArray(),
            _ => Array.Empty<string>(),
        };
        if (urls.Any(V2Urls.Contains)) { return ContextKind.OpenBadgesV2; }
        if (urls.Any(u => u.Contains("openbadges/v1", StringComparison.Ordinal) || u.Contains("openbadgespec.org/v1", StringComparison.Ordinal)))
        {
            return ContextKind.OpenBadgesV1;
        }
        return ContextKind.Unknown;
    }

    private static void Write(Utf8JsonWriter writer, JsonElement node, ActiveContext context, List<string> warnings, int depth)
    {
        if (depth > 64)
        {
            // Deeper than any badge: cut rather than recurse without bound.
            writer.WriteNullValue();
            warnings.Add("The document nests more than 64 levels; the rest was not read.");
            return;
        }
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                if (node.TryGetProperty("@context", out var local)) { context = context.With(local, warnings); }
                writer.WriteStartObject();
                var written = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in node.EnumerateObject())
                {
                    var name = property.Name == "@context" ? "@context" : context.Canonical(property.Name, property.Value);
                    if (!written.Add(name))
                    {
                        warnings.Add($"\"{property.Name}\" repeats \"{name}\"; the first value is used.");
                        continue;
                    }
                    writer.WritePropertyName(name);
                    if (name == "@context") { property.Value.WriteTo(writer); }
                    else if (name == "type") { WriteTypes(writer, property.Value, context); }
                    else { Write(writer, property.Value, context, warnings, depth + 1); }
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in node.EnumerateArray()) { Write(writer, item, context, warnings, depth + 1); }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void WriteTypes(Utf8JsonWriter writer, JsonElement value, ActiveContext context)
    {
        if (value.ValueKind == JsonValueKind.String) { writer.WriteStringValue(context.CanonicalType(value.GetString()!)); return; }
        if (value.ValueKind != JsonValueKind.Array) { value.WriteTo(writer); return; }
        writer.WriteStartArray();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) { writer.WriteStringValue(context.CanonicalType(item.GetString()!)); }
            else { item.WriteTo(writer); }
        }
        writer.WriteEndArray();
    }

    /// <summary>The term definitions of a context document: term to IRI (possibly compact).</summary>
    private static Dictionary<string, string> Terms(JsonElement contextDocument)
    {
        var terms = new Dictionary<string, string>(StringComparer.Ordinal);
        if (contextDocument.TryGetProperty("@context", out var body)) { AddTerms(terms, body); }
        return terms;
    }

    private static void AddTerms(Dictionary<string, string> terms, JsonElement definitions)
    {
        if (definitions.ValueKind != JsonValueKind.Object) { return; }
        foreach (var term in definitions.EnumerateObject())
        {
            if (term.Name.StartsWith('@')) { continue; }
            var iri = term.Value.ValueKind switch
            {
                JsonValueKind.String => term.Value.GetString(),
                JsonValueKind.Object when term.Value.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
                _ => null,
            };
            if (iri is not null) { terms[term.Name] = iri; }
            else { terms.Remove(term.Name); }
        }
    }

    private static JsonElement Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing embedded context {name}.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    /// <summary>The term definitions in force at one point of a document.</summary>
    private sealed class ActiveContext(IReadOnlyDictionary<string, string> terms)
    {
        private readonly IReadOnlyDictionary<string, string> _terms = terms;

        /// <summary>No terms: a document's own @context is applied to it.</summary>
        public static ActiveContext Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

        /// <summary>The Open Badges 2.0 terms, shared: most documents name exactly this context.</summary>
        public static ActiveContext V2 { get; } = new(V2Terms);

        public ActiveContext With(JsonElement context, List<string> warnings)
        {
            // The common case, without copying a dictionary: the 2.0 context on its own.
            if (context.ValueKind == JsonValueKind.String && V2Urls.Contains(context.GetString()!) && (ReferenceEquals(this, Empty) || ReferenceEquals(this, V2)))
            {
                return V2;
            }
            var merged = new Dictionary<string, string>(_terms, StringComparer.Ordinal);
            Merge(merged, context, warnings);
            return new ActiveContext(merged);
        }

        private static void Merge(Dictionary<string, string> terms, JsonElement context, List<string> warnings)
        {
            switch (context.ValueKind)
            {
                case JsonValueKind.String:
                    var url = context.GetString()!;
                    if (V2Urls.Contains(url)) { foreach (var (k, v) in V2Terms) { terms[k] = v; } }
                    else if (Extensions.TryGetValue(url, out var extension)) { foreach (var (k, v) in extension) { terms[k] = v; } }
                    else
                    {
                        // Never fetched (issue #5: the service never reaches out for contexts). Its terms
                        // stay undefined, so properties it would define keep the names they are written with.
                        warnings.Add($"The context {url} is not one this verifier knows; it was not fetched.");
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in context.EnumerateArray()) { Merge(terms, item, warnings); }
                    break;
                case JsonValueKind.Object:
                    AddTerms(terms, context);
                    break;
                case JsonValueKind.Null:
                    terms.Clear();
                    break;
            }
        }

        /// <summary>JSON-LD IRI expansion (vocabulary-relative): terms, compact IRIs, absolute IRIs.</summary>
        public string? Expand(string value, int depth = 0)
        {
            if (depth > 8) { return null; }
            if (value.StartsWith('@')) { return value; }
            if (_terms.TryGetValue(value, out var definition))
            {
                return definition == value ? value : Expand(definition, depth + 1);
            }
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) { return null; }
            var (prefix, suffix) = (value[..colon], value[(colon + 1)..]);
            if (prefix == "_" || suffix.StartsWith("//", StringComparison.Ordinal)) { return value; }
            return _terms.TryGetValue(prefix, out var ns) && Expand(ns, depth + 1) is { } expanded ? expanded + suffix : value;
        }

        /// <summary>The 2.0 term for a property name, or the name as written.</summary>
        public string Canonical(string name, JsonElement value)
        {
            if (name == "@id") { return "id"; }
            if (name == "@type") { return "type"; }
            var iri = Expand(name);
            if (iri is null) { return name; }
            // "revoked" (a boolean on an Assertion) and "revokedAssertions" (the list on a
            // RevocationList) share the IRI obi:revoked; the value tells them apart.
            if (iri == Obi + "revoked")
            {
                return value.ValueKind is JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.String ? "revokedAssertions" : "revoked";
            }
            return Inverse.TryGetValue(iri, out var term) ? term : name;
        }

        /// <summary>The 2.0 class term for a type value, or the value as written.</summary>
        public string CanonicalType(string type) =>
            Expand(type) is { } iri && Inverse.TryGetValue(iri, out var term) ? term : type;
    }
}
