using System.Text;

namespace Requapass.Badges.Core.Csv;

/// <summary>
/// Reads CSV (RFC 4180) as spreadsheets write it, record by record from a stream, asynchronously:
/// comma or semicolon separated (French spreadsheets use semicolons; the header row decides), fields
/// optionally quoted with doubled quotes inside, quoted fields spanning lines, CRLF or LF line ends,
/// a UTF-8 BOM ignored. Each record knows the line it starts on, for error messages.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private int _position;
    private int _length;
    private int _line = 1;
    private char? _separator;

    /// <summary>The separator, known once the header has been read.</summary>
    public char Separator => _separator ?? ',';

    /// <summary>The line the last record read starts on (1-based).</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the header row and settles the separator: whichever of ';' and ',' it uses more, outside quotes.</summary>
    public async Task<IReadOnlyList<string>?> ReadHeaderAsync(CancellationToken ct)
    {
        var raw = new StringBuilder();
        var quoted = false;
        RecordLine = _line;
        while (await PeekAsync(ct) is var c && c >= 0)
        {
            _position++;
            if (c == '"') { quoted = !quoted; }
            if (!quoted && c is '\n') { _line++; break; }
            if (c == '\n') { _line++; }
            raw.Append((char)c);
        }
        if (raw.Length == 0 && _length == 0) { return null; }
        var text = raw.ToString().TrimEnd('\r');
        if (text.Length > 0 && text[0] == '\uFEFF') { text = text[1..]; }
        int semicolons = 0, commas = 0;
        quoted = false;
        foreach (var ch in text)
        {
            if (ch == '"') { quoted = !quoted; }
            else if (!quoted && ch == ';') { semicolons++; }
            else if (!quoted && ch == ',') { commas++; }
        }
        _separator = semicolons > commas ? ';' : ',';
        var header = new CsvRecordReader(new StringReader(text)) { _separator = _separator };
        return await header.ReadRecordAsync(ct) ?? [];
    }

    /// <summary>The next record, or null at the end. Blank lines are skipped.</summary>
    public async Task<IReadOnlyList<string>?> ReadRecordAsync(CancellationToken ct)
    {
        var separator = Separator;
        while (true)
        {
            if (await PeekAsync(ct) < 0) { return null; }
            RecordLine = _line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var wasQuoted = false;
            while (true)
            {
                var c = await PeekAsync(ct);
                if (c < 0) { break; }
                _position++;
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (await PeekAsync(ct) == '"') { _position++; field.Append('"'); }
                        else { quoted = false; }
                    }
                    else
                    {
                        if (c == '\n') { _line++; }
                        field.Append((char)c);
                    }
                    continue;
                }
                if (c == '"' && field.Length == 0 && !wasQuoted) { quoted = wasQuoted = true; continue; }
                if (c == separator) { fields.Add(field.ToString()); field.Clear(); wasQuoted = false; continue; }
                if (c == '\r') { continue; }
                if (c == '\n') { _line++; break; }
                field.Append((char)c);
            }
            if (quoted)
            {
                // RFC 4180, section 2 (rule 5): a quoted field ends with a quote. Without one the rest of the file
                // would silently become one field.
                throw new CsvFormatException(RecordLine, $"The quoted field that starts on line {RecordLine} is never closed: a quote (\") is missing.");
            }
            fields.Add(field.ToString());
            if (fields.Count == 1 && fields[0].Length == 0 && !wasQuoted) { continue; } // a blank line
            return fields;
        }
    }

    private async ValueTask<int> PeekAsync(CancellationToken ct)
    {
        if (_position == _length)
        {
            _length = await reader.ReadAsync(_buffer.AsMemory(), ct);
            _position = 0;
            if (_length == 0) { return -1; }
        }
        return _buffer[_position];
    }
}

/// <summary>CSV that cannot be read as records, with the line where the trouble starts.</summary>
public sealed class CsvFormatException(int line, string message) : FormatException(message)
{
    /// <summary>The 1-based line of the file where the unreadable record starts.</summary>
    public int Line { get; } = line;
}
