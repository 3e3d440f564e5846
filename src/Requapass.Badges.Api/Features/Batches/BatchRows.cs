using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Csv;

namespace Requapass.Badges.Api.Features.Batches;

/// <summary>
/// Reads a bulk award's body into rows, as JSON (an array of award requests) or CSV (UTF-8, comma
/// or semicolon, header row), streaming, and never more than <see cref="BatchOptions.MaxRows"/>.
/// </summary>
internal static class BatchRows
{
    /// <summary>Rows read from the body, or the problem that stops the whole request.</summary>
    internal sealed record Parsed(List<(int Line, AwardRequest? Request, string? Error)> Rows, IResult? Failure)
    {
        public static Parsed Problem(IResult failure) => new([], failure);
    }

    private static IResult TooMany() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, type: Problems.Type("too-many-rows"),
        title: "Too many rows.", detail: $"A batch holds at most {BatchOptions.MaxRows} rows. Split it.");

    /// <summary>A JSON array of award requests, read element by element.</summary>
    public static async Task<Parsed> JsonAsync(Stream body, CancellationToken ct)
    {
        var rows = new List<(int, AwardRequest?, string?)>();
        try
        {
            var line = 0;
            await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, BatchProcessor.RowJson, ct))
            {
                if (++line > BatchOptions.MaxRows) { return Parsed.Problem(TooMany()); }
                try
                {
                    rows.Add(element.ValueKind == JsonValueKind.Object
                        ? (line, element.Deserialize<AwardRequest>(BatchProcessor.RowJson), null)
                        : (line, null, "Each row must be a JSON object (an award request)."));
                }
                catch (JsonException e)
                {
                    rows.Add((line, null, e is JsonValueException
                        ? $"The value at {e.Path} {e.Message}."
                        : $"The row does not read as an award request: {e.Message}"));
                }
            }
        }
        catch (JsonException e)
        {
            return Parsed.Problem(Problems.BadRequest("bad-json", $"The body must be a JSON array of award requests: {e.Message}"));
        }
        return new Parsed(rows, null);
    }

    private static readonly Dictionary<string, string> CsvColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["recipient"] = "recipient", ["email"] = "recipient", ["destinataire"] = "recipient",
        ["recipient_type"] = "recipient_type", ["type"] = "recipient_type",
        ["narrative"] = "narrative", ["evidence_url"] = "evidence_url", ["evidence_narrative"] = "evidence_narrative",
        ["issued_on"] = "issued_on", ["issuedon"] = "issued_on", ["expires"] = "expires", ["verification"] = "verification",
        ["notify"] = "notify", ["locale"] = "locale",
    };

    /// <summary>CSV read record by record (see <see cref="CsvRecordReader"/>); lines are the file's.</summary>
    public static async Task<Parsed> CsvAsync(Stream body, CancellationToken ct)
    {
        using var text = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        var csv = new CsvRecordReader(text);
        var rows = new List<(int, AwardRequest?, string?)>();
        try
        {
            var header = await csv.ReadHeaderAsync(ct);
            if (header is null || header.Count == 0) { return Parsed.Problem(Problems.BadRequest("bad-csv", "The CSV is empty: it needs a header row.")); }
            var columns = header.Select(h => CsvColumns.GetValueOrDefault(h.Trim())).ToList();
            var unknown = header.Where((h, i) => columns[i] is null).ToList();
            if (unknown.Count > 0)
            {
                return Parsed.Problem(Problems.BadRequest("bad-csv", $"Unknown CSV column(s): {string.Join(", ", unknown)}. Known: recipient, recipient_type, narrative, evidence_url, evidence_narrative, issued_on, expires, verification, notify, locale."));
            }
            if (!columns.Contains("recipient")) { return Parsed.Problem(Problems.BadRequest("bad-csv", "The CSV needs a recipient column.")); }
            while (await csv.ReadRecordAsync(ct) is { } record)
            {
                if (rows.Count >= BatchOptions.MaxRows) { return Parsed.Problem(TooMany()); }
                var line = csv.RecordLine;
                if (record.Count != header.Count)
                {
                    rows.Add((line, null, $"The row has {record.Count} fields; the header has {header.Count} (separator '{csv.Separator}')."));
                    continue;
                }
                string? Field(string name) => columns.IndexOf(name) is var i and >= 0 && !string.IsNullOrWhiteSpace(record[i]) ? record[i].Trim() : null;
                var (issuedOn, issuedError) = CsvDate(Field("issued_on"), "issued_on");
                var (expires, expiresError) = CsvDate(Field("expires"), "expires");
                var (notify, notifyError) = CsvBool(Field("notify"), "notify");
                if ((issuedError ?? expiresError ?? notifyError) is not null)
                {
                    rows.Add((line, null, issuedError ?? expiresError ?? notifyError));
                    continue;
                }
                var evidence = Field("evidence_url") is null && Field("evidence_narrative") is null ? null
                    : new[] { new EvidenceInput(Field("evidence_url"), Field("evidence_narrative"), null, null, null, null) };
                rows.Add((line, new AwardRequest(new RecipientInput(Field("recipient_type") ?? "email", Field("recipient")), issuedOn, expires,
                    Field("narrative"), evidence, Field("verification"), notify, Field("locale")), null));
            }
        }
        catch (DecoderFallbackException)
        {
            return Parsed.Problem(Problems.BadRequest("bad-csv", "The CSV is not UTF-8. Save it as \"CSV UTF-8\"."));
        }
        catch (CsvFormatException e)
        {
            return Parsed.Problem(Problems.BadRequest("bad-csv", e.Message));
        }
        return new Parsed(rows, null);
    }

    /// <summary>A yes or no as spreadsheets hold it, in the project's languages: true/false, yes/no, oui/non, ja/nee, 1/0.</summary>
    private static (bool? Value, string? Error) CsvBool(string? value, string field) => value?.ToLowerInvariant() switch
    {
        null => (null, null),
        "true" or "yes" or "oui" or "ja" or "1" => (true, null),
        "false" or "no" or "non" or "nee" or "0" => (false, null),
        _ => (null, $"{field} must be true or false (also yes/no, oui/non, ja/nee, 1/0)."),
    };

    /// <summary>ISO 8601 (2026-11-22 or 2026-11-22T10:00:00Z) or the French day/month/year (22/11/2026); a date alone is midnight UTC.</summary>
    private static (DateTimeOffset? Value, string? Error) CsvDate(string? value, string field)
    {
        if (value is null) { return (null, null); }
        if (value.Contains('T', StringComparison.OrdinalIgnoreCase) && !StrictDateConverter.HasZone(value))
        {
            // A time without a zone would be read in the server's zone: refused, as in JSON requests.
            return (null, $"{field} has a time but no time zone: write 2026-11-22T10:00:00Z or 2026-11-22T11:00:00+01:00, or the date alone.");
        }
        string[] formats = ["yyyy-MM-dd", "dd/MM/yyyy", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        return DateTimeOffset.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? (parsed, null)
            : (null, $"{field} is not a date: use 2026-11-22, 22/11/2026 or 2026-11-22T10:00:00Z.");
    }

    /// <summary>Feeds what is read into a hash, so the request can be fingerprinted while it streams.</summary>
    internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous.");
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            hash.AppendData(buffer.Span[..read]);
            return read;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
