namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// What a text accepted from a caller may hold, on both stores alike. PostgreSQL cannot store U+0000
/// in text at all, and the other C0 controls and unpaired surrogates have no place in a name or a
/// narrative: they break documents, CSV exports and terminals downstream. Tab, line feed and carriage
/// return stay (narratives have paragraphs).
/// </summary>
public static class TextRules
{
    /// <summary>Null when <paramref name="text"/> may be stored; otherwise why not, in plain words.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 && c is not ('\t' or '\n' or '\r') || c == 0x7F)
            {
                return $"contains the control character U+{(int)c:X4}, which is not accepted";
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return $"contains an unpaired surrogate (U+{(int)c:X4}), which is not valid Unicode text";
            }
            if (char.IsLowSurrogate(c))
            {
                return $"contains an unpaired surrogate (U+{(int)c:X4}), which is not valid Unicode text";
            }
        }
        return null;
    }

    /// <summary>
    /// The first refused text in a parsed JSON document, property names included, with its path. An escaped
    /// unpaired surrogate (<c>"\ud800"</c>) parses, but cannot be read as a string: that is a problem too.
    /// </summary>
    public static (string Path, string Problem)? Problem(System.Text.Json.JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case System.Text.Json.JsonValueKind.String:
                return Read(element, path);
            case System.Text.Json.JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Problem(item, $"{path}[{i++}]") is { } inItem) { return inItem; }
                }
                return null;
            case System.Text.Json.JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return (path, "has a property name that is not valid Unicode text (an unpaired surrogate)"); }
                    if (Problem(name) is { } inName) { return (path, $"has a property name that {inName}"); }
                    if (Problem(property.Value, $"{path}.{name}") is { } inValue) { return inValue; }
                }
                return null;
            default:
                return null;
        }

        static (string, string)? Read(System.Text.Json.JsonElement text, string at)
        {
            try
            {
                return Problem(text.GetString()!) is { } problem ? (at, problem) : null;
            }
            catch (InvalidOperationException)
            {
                return (at, "is not valid Unicode text (an unpaired surrogate)");
            }
        }
    }

    /// <summary>The first problem among <paramref name="values"/>, with the name of its field.</summary>
    public static (string Field, string Problem)? FirstProblem(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
    {
        foreach (var (key, strings) in values)
        {
            if (Problem(key) is { } keyProblem) { return ("(a field name)", keyProblem); }
            foreach (var value in strings)
            {
                if (value is not null && Problem(value) is { } problem) { return (key, problem); }
            }
        }
        return null;
    }
}
