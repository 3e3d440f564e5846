using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Requapass.Badges.Api.Tests.OpenBadges3;

/// <summary>
/// 1EdTech's published Open Badges 3.0 JSON Schemas (vendored in Schemas/, see its README), evaluated by
/// JsonSchema.Net with formats enforced (date-time is part of the data model: DateTimeZ).
/// </summary>
public static class Ob3Schemas
{
    private static readonly Lazy<JsonSchema> Credential = new(() => Load("ob_v3p0_achievementcredential.json"));
    private static readonly Lazy<JsonSchema> Profile = new(() => Load("ob_v3p0_profile.json"));

    /// <summary>The schema's errors for an AchievementCredential; empty when it conforms.</summary>
    public static IReadOnlyList<string> CredentialErrors(JsonNode document) => Errors(Credential.Value, document);

    /// <summary>The schema's errors for a Profile; empty when it conforms.</summary>
    public static IReadOnlyList<string> ProfileErrors(JsonNode document) => Errors(Profile.Value, document);

    private static JsonSchema Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "OpenBadges3", "Schemas", file);
        // Each schema is registered under its own $id by FromText; two files share $defs names, so each
        // gets its own registry.
        return JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static List<string> Errors(JsonSchema schema, JsonNode document)
    {
        var element = JsonSerializer.Deserialize<JsonElement>(document.ToJsonString());
        var result = schema.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        var errors = new List<string>();
        Collect(result, errors);
        return errors;
    }

    // Only the failures that make the document fail: a passing node (a "contains" that found its item, a
    // "oneOf" with its one branch) is not descended into, though some of its branches failed.
    private static void Collect(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid) { return; }
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add($"{node.InstanceLocation} ({node.EvaluationPath}): {keyword} {message}");
        }
        foreach (var child in node.Details ?? []) { Collect(child, errors); }
    }
}
