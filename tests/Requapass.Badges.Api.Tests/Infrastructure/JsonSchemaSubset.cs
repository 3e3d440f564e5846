using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// Checks a JSON value against the part of JSON Schema 2020-12 that docs/export-manifest.schema.json
/// uses: type (one or several), const, required, properties, items, pattern, minimum. Other keywords
/// (format, title, description) are annotations here. Returns every violation with its path.
/// </summary>
public static class JsonSchemaSubset
{
    private static readonly HashSet<string> Understood = ["$schema", "$id", "title", "description", "type", "const", "required", "properties", "items", "pattern", "minimum", "format"];

    public static List<string> Validate(JsonNode schema, JsonNode? value, string path = "$")
    {
        var errors = new List<string>();
        var s = schema.AsObject();
        foreach (var keyword in s.Select(p => p.Key).Where(k => !Understood.Contains(k)))
        {
            errors.Add($"{path}: the schema uses '{keyword}', which this checker does not understand");
        }
        if (s["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Contains(TypeOf(value))) { errors.Add($"{path}: expected {string.Join(" or ", allowed)}, found {TypeOf(value)}"); return errors; }
        }
        if (s["const"] is { } constant && !JsonNode.DeepEquals(constant, value)) { errors.Add($"{path}: expected {constant.ToJsonString()}"); }
        if (s["pattern"] is { } pattern && value is JsonValue v && v.TryGetValue<string>(out var text) && !Regex.IsMatch(text, pattern.GetValue<string>()))
        {
            errors.Add($"{path}: '{text}' does not match {pattern}");
        }
        if (s["minimum"] is { } minimum && value is JsonValue n && n.TryGetValue<double>(out var number) && number < minimum.GetValue<double>())
        {
            errors.Add($"{path}: {number} is below {minimum}");
        }
        if (value is JsonObject obj)
        {
            foreach (var name in s["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!obj.ContainsKey(name)) { errors.Add($"{path}: '{name}' is required"); }
            }
            foreach (var (name, sub) in s["properties"]?.AsObject() ?? [])
            {
                if (obj.TryGetPropertyValue(name, out var child)) { errors.AddRange(Validate(sub!, child, $"{path}.{name}")); }
            }
        }
        if (value is JsonArray array && s["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++) { errors.AddRange(Validate(items, array[i], $"{path}[{i}]")); }
        }
        return errors;
    }

    private static string TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value.AsValue().TryGetValue<long>(out _) ? "integer" : "number",
        _ => "unknown",
    };
}
