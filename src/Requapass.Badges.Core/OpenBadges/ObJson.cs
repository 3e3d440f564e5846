using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.OpenBadges;

/// <summary>Serialises Open Badges documents the one way the service publishes them.</summary>
public static class ObJson
{
    /// <summary>The serializer settings: nulls omitted, dates as ISO 8601 UTC with Z, accents unescaped.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serialises a document to UTF-8 bytes.</summary>
    public static byte[] ToUtf8<T>(T document) => JsonSerializer.SerializeToUtf8Bytes(document, Options);

    /// <summary>Serialises a document to a string.</summary>
    public static string ToJson<T>(T document) => JsonSerializer.Serialize(document, Options);

    /// <summary>Formats an instant as OB 2.0 wants it: ISO 8601, UTC, whole seconds, with Z.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // French texts stay readable (no \u00e9 or \u0027). The documents are served as JSON with
            // nosniff and never inlined into HTML; the SVG baker splits any "]]>" in its CDATA.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new UtcDateConverter());
        options.MakeReadOnly();
        return options;
    }

    private sealed class UtcDateConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatDate(value));
    }
}
