using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Export;

/// <summary>A file written to the archive: its path, SHA-256 (hex) and size, uncompressed.</summary>
public sealed record ZipFileRecord(string Path, string Sha256, long Bytes);

/// <summary>
/// Writes a ZIP archive (PKWARE APPNOTE 6.3.x) straight to a forward-only stream, in constant memory:
/// each entry goes out as soon as it is added, and the central directory records are spooled to a
/// temporary stream and copied after the last entry. ZIP64 records are written when the archive
/// needs them (more than 65,535 entries, or offsets past 4 GiB), so a 100,000-badge export is one
/// valid archive. Names are UTF-8 (general purpose bit 11). Already-compressed images are stored;
/// text is deflated.
/// </summary>
public sealed class StreamingZipWriter : IAsyncDisposable
{
    private const uint LocalHeader = 0x04034b50, CentralHeader = 0x02014b50, DataDescriptor = 0x08074b50;
    private const uint EndOfCentralDirectory = 0x06054b50, Zip64End = 0x06064b50, Zip64Locator = 0x07064b50;
    private const ushort Utf8Names = 1 << 11, SizesInDescriptor = 1 << 3;
    private const ushort Stored = 0, Deflated = 8;

    private readonly Stream _output;
    private readonly Stream _central;
    private readonly (ushort Time, ushort Date) _stamp;
    private long _offset;
    private long _entries;

    /// <param name="output">Where the archive goes (an HTTP response body, a file); written forward only.</param>
    /// <param name="centralDirectorySpool">A scratch stream (a temporary file) for the central directory.</param>
    /// <param name="timestamp">The modification time recorded for every entry.</param>
    public StreamingZipWriter(Stream output, Stream centralDirectorySpool, DateTimeOffset timestamp)
    {
        (_output, _central) = (output, centralDirectorySpool);
        var t = timestamp.UtcDateTime;
        _stamp = ((ushort)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2)), (ushort)(((Math.Max(t.Year, 1980) - 1980) << 9) | (t.Month << 5) | t.Day));
    }

    /// <summary>Entries written so far.</summary>
    public long Entries => _entries;

    /// <summary>Adds a file whose content is in memory; returns its record for a manifest.</summary>
    public async Task<ZipFileRecord> AddAsync(string path, ReadOnlyMemory<byte> content, bool compress, CancellationToken ct)
    {
        var crc = Crc32.HashToUInt32(content.Span);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        ReadOnlyMemory<byte> data = content;
        var method = Stored;
        if (compress && content.Length > 64)
        {
            var deflated = new MemoryStream(content.Length / 2 + 64);
            using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) { deflate.Write(content.Span); }
            if (deflated.Length < content.Length) { (data, method) = (deflated.GetBuffer().AsMemory(0, (int)deflated.Length), Deflated); }
        }
        var name = Encoding.UTF8.GetBytes(path);
        var start = _offset;
        var header = new byte[30];
        WriteLocalHeader(header, name.Length, method, Utf8Names, crc, (uint)data.Length, (uint)content.Length);
        await WriteAsync(header, ct);
        await WriteAsync(name, ct);
        await WriteAsync(data, ct);
        AppendCentral(name, method, Utf8Names, crc, data.Length, content.Length, start);
        return new ZipFileRecord(path, sha, content.Length);
    }

    /// <summary>
    /// Adds a file read from a stream of unknown length (a large CSV), deflated on the way, with its
    /// CRC and sizes in a data descriptor after the data.
    /// </summary>
    public async Task<ZipFileRecord> AddStreamAsync(string path, Stream content, CancellationToken ct)
    {
        var name = Encoding.UTF8.GetBytes(path);
        var start = _offset;
        var header = new byte[30];
        const ushort flags = Utf8Names | SizesInDescriptor;
        WriteLocalHeader(header, name.Length, Deflated, flags, 0, 0, 0);
        await WriteAsync(header, ct);
        await WriteAsync(name, ct);
        var counting = new CountingStream(_output);
        var running = new Crc32();
        long size = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var deflate = new DeflateStream(counting, CompressionLevel.Fastest, leaveOpen: true))
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                running.Append(buffer.AsSpan(0, read));
                sha.AppendData(buffer, 0, read);
                size += read;
                await deflate.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        _offset += counting.Written;
        var crc = running.GetCurrentHashAsUInt32();
        if (counting.Written > uint.MaxValue || size > uint.MaxValue) { throw new InvalidOperationException("A streamed entry larger than 4 GiB is not supported."); }
        var descriptor = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor, DataDescriptor);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(4), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(8), (uint)counting.Written);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(12), (uint)size);
        await WriteAsync(descriptor, ct);
        AppendCentral(name, Deflated, flags, crc, counting.Written, size, start);
        return new ZipFileRecord(path, Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }

    /// <summary>Copies the central directory and writes the end records. Call once, after the last entry.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        var directoryOffset = _offset;
        _central.Position = 0;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await _central.ReadAsync(buffer, ct)) > 0) { await WriteAsync(buffer.AsMemory(0, read), ct); }
        var directorySize = _offset - directoryOffset;
        var zip64 = _entries >= ushort.MaxValue || directoryOffset >= uint.MaxValue || directorySize >= uint.MaxValue;
        if (zip64)
        {
            // APPNOTE 4.3.14 and 4.3.15: the ZIP64 end of central directory record and its locator.
            var record = new byte[56 + 20];
            var r = record.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(r, Zip64End);
            BinaryPrimitives.WriteUInt64LittleEndian(r[4..], 44);
            BinaryPrimitives.WriteUInt16LittleEndian(r[12..], 45);
            BinaryPrimitives.WriteUInt16LittleEndian(r[14..], 45);
            BinaryPrimitives.WriteUInt64LittleEndian(r[24..], (ulong)_entries);
            BinaryPrimitives.WriteUInt64LittleEndian(r[32..], (ulong)_entries);
            BinaryPrimitives.WriteUInt64LittleEndian(r[40..], (ulong)directorySize);
            BinaryPrimitives.WriteUInt64LittleEndian(r[48..], (ulong)directoryOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[56..], Zip64Locator);
            BinaryPrimitives.WriteUInt64LittleEndian(r[64..], (ulong)_offset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[72..], 1);
            await WriteAsync(record, ct);
        }
        var end = new byte[22];
        var e = end.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(e, EndOfCentralDirectory);
        BinaryPrimitives.WriteUInt16LittleEndian(e[8..], zip64 ? ushort.MaxValue : (ushort)_entries);
        BinaryPrimitives.WriteUInt16LittleEndian(e[10..], zip64 ? ushort.MaxValue : (ushort)_entries);
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], zip64 ? uint.MaxValue : (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(e[16..], zip64 ? uint.MaxValue : (uint)directoryOffset);
        await WriteAsync(end, ct);
        await _output.FlushAsync(ct);
    }

    private void WriteLocalHeader(Span<byte> h, int nameLength, ushort method, ushort flags, uint crc, uint compressed, uint size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(h, LocalHeader);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 20);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], method);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], _stamp.Time);
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], _stamp.Date);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], size);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameLength);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], 0);
    }

    /// <summary>APPNOTE 4.3.12; a ZIP64 extra field (4.5.3) carries an offset past 4 GiB.</summary>
    private void AppendCentral(byte[] name, ushort method, ushort flags, uint crc, long compressed, long size, long offset)
    {
        var zip64 = offset >= uint.MaxValue;
        var record = new byte[46 + name.Length + (zip64 ? 12 : 0)];
        var c = record.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(c, CentralHeader);
        BinaryPrimitives.WriteUInt16LittleEndian(c[4..], 45 | (3 << 8)); // made by: 4.5, Unix
        BinaryPrimitives.WriteUInt16LittleEndian(c[6..], zip64 ? (ushort)45 : (ushort)20);
        BinaryPrimitives.WriteUInt16LittleEndian(c[8..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(c[10..], method);
        BinaryPrimitives.WriteUInt16LittleEndian(c[12..], _stamp.Time);
        BinaryPrimitives.WriteUInt16LittleEndian(c[14..], _stamp.Date);
        BinaryPrimitives.WriteUInt32LittleEndian(c[16..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(c[20..], (uint)compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(c[24..], (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(c[28..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(c[30..], zip64 ? (ushort)12 : (ushort)0);
        BinaryPrimitives.WriteUInt32LittleEndian(c[38..], 0644u << 16); // rw-r--r-- for unzip on Unix
        BinaryPrimitives.WriteUInt32LittleEndian(c[42..], zip64 ? uint.MaxValue : (uint)offset);
        name.CopyTo(c[46..]);
        if (zip64)
        {
            var x = c[(46 + name.Length)..];
            BinaryPrimitives.WriteUInt16LittleEndian(x, 0x0001);
            BinaryPrimitives.WriteUInt16LittleEndian(x[2..], 8);
            BinaryPrimitives.WriteUInt64LittleEndian(x[4..], (ulong)offset);
        }
        _central.Write(record);
        _entries++;
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _output.WriteAsync(data, ct);
        _offset += data.Length;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _central.DisposeAsync();

    /// <summary>Passes writes through and counts them (the compressed size of a streamed entry).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes are asynchronous.");
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
