using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// Enforces the <c>[MaxLength]</c> of every property of a request record, nested records and lists
/// included, and <see cref="TextRules"/> on every text it holds (dictionary keys too). The attributes
/// are the one statement of a limit: the OpenAPI document is generated from the same ones. Errors
/// are named by their JSON path (<c>evidence[2].narrative</c>).
/// </summary>
public static class InputRules
{
    private sealed record Rule(PropertyInfo Property, string Name, int? MaxLength);

    private static readonly ConcurrentDictionary<Type, Rule[]> Rules = new();

    /// <summary>True for the request records this applies to: the service's own, with properties to check.</summary>
    public static bool Applies(Type type) => IsOwnRecord(type) && RulesOf(type).Length > 0;

    public static void Check(object? value, ValidationErrors errors, string prefix = "")
    {
        if (value is null) { return; }
        foreach (var rule in RulesOf(value.GetType()))
        {
            var field = prefix.Length == 0 ? rule.Name : $"{prefix}.{rule.Name}";
            CheckValue(rule.Property.GetValue(value), rule.MaxLength, field, errors);
        }
    }

    private static void CheckValue(object? value, int? max, string field, ValidationErrors errors)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                if (max is { } m && text.Length > m) { errors.Add(field, $"{field} is longer than {m} characters."); }
                if (TextRules.Problem(text) is { } problem) { errors.Add(field, $"{field} {problem}."); }
                return;
            case IDictionary dictionary:
                if (max is { } maxEntries && dictionary.Count > maxEntries) { errors.Add(field, $"{field} has more than {maxEntries} entries."); }
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key.ToString() ?? "";
                    if (TextRules.Problem(key) is { } keyProblem) { errors.Add(field, $"A key of {field} {keyProblem}."); continue; }
                    if (key.Length > Limits.Language) { errors.Add(field, $"A key of {field} is longer than {Limits.Language} characters."); continue; }
                    CheckValue(entry.Value, null, $"{field}.{key}", errors);
                }
                return;
            case IEnumerable list when value is not JsonElement:
                var i = 0;
                foreach (var item in list)
                {
                    CheckValue(item, null, $"{field}[{i}]", errors);
                    i++;
                }
                if (max is { } maxItems && i > maxItems) { errors.Add(field, $"{field} has more than {maxItems} items."); }
                return;
            default:
                if (Applies(value.GetType())) { Check(value, errors, field); }
                return;
        }
    }

    private static Rule[] RulesOf(Type type) => Rules.GetOrAdd(type, static t =>
        [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.PropertyType != typeof(JsonElement) && p.PropertyType != typeof(JsonElement?)
                && (p.PropertyType == typeof(string) || typeof(IEnumerable).IsAssignableFrom(p.PropertyType) || IsOwnRecord(p.PropertyType)))
            .Select(p => new Rule(p, p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.GetCustomAttribute<MaxLengthAttribute>()?.Length))]);

    private static bool IsOwnRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Requapass.Badges.Api", StringComparison.Ordinal) == true;
}

/// <summary>
/// Runs <see cref="InputRules"/> on every argument of a route that is one of the service's request
/// records, before the handler: a request over a limit, or with a control character, is a 400
/// validation problem and nothing is stored. Added once, to the root route group.
/// </summary>
public static class InputRulesFilter
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // The request records a handler takes (its JSON body); services it is given are not inputs to judge.
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checkedArguments = context.MethodInfo.GetParameters()
            .Select((p, i) => (p, i))
            .Where(x => InputRules.Applies(x.p.ParameterType) && services?.IsService(x.p.ParameterType) != true
                && x.p.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromServicesAttribute>() is null)
            .Select(x => x.i).ToArray();
        if (checkedArguments.Length == 0) { return next; }
        return async invocation =>
        {
            var errors = new ValidationErrors();
            foreach (var i in checkedArguments)
            {
                InputRules.Check(invocation.Arguments[i], errors);
            }
            return errors.Any ? errors.ToProblem() : await next(invocation);
        };
    }
}
