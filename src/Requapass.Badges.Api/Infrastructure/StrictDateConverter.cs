using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// Dates in requests are ISO 8601 date-times with a time zone (<c>Z</c> or <c>+01:00</c>). Without
/// one the reader would take the server's local time, so the same request would mean another instant
/// on another server: it is refused instead. Open Badges 2.0 publishes dates the same way
/// ("DateTime": ISO 8601 with a time zone).
/// </summary>
public sealed class StrictDateConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) { throw new JsonValueException("must be a date-time string such as 2026-11-22T10:00:00Z"); }
        var text = reader.GetString()!;
        if (!HasZone(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) || !text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            throw new JsonValueException("must be an ISO 8601 date-time with a time zone, such as 2026-11-22T10:00:00Z or 2026-11-22T11:00:00+01:00");
        }
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>Ends with Z, or with an offset +hh:mm / -hh:mm / +hhmm after the time.</summary>
    public static bool HasZone(string text)
    {
        var t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z')) { return true; }
        var time = t.IndexOfAny(['T', 't']);
        if (time < 0) { return false; }
        var sign = t.LastIndexOfAny(['+', '-']);
        return sign > time && t.Length - sign is 6 or 5 or 3;
    }
}
