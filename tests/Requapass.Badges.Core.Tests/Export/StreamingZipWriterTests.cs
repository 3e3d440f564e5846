using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Core.Export;

namespace Requapass.Badges.Core.Tests.Export;

/// <summary>The streaming ZIP writer, read back by .NET's own reader (which checks every CRC-32).</summary>
public class StreamingZipWriterTests
{
    private static readonly DateTimeOffset Stamp = new(2026, 11, 22, 10, 30, 44, TimeSpan.Zero);

    [Test]
    public async Task Stored_deflated_and_streamed_entries_read_back_with_their_hashes()
    {
        var output = new ForwardOnlyStream();
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"name\":\"Accueil du public\"}\n", 200)));
        var image = RandomNumberGenerator.GetBytes(5000);
        var csv = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"row {i};é;ok\r\n")));
        ZipFileRecord a, b, c;
        await using (var zip = new StreamingZipWriter(output, new MemoryStream(), Stamp))
        {
            a = await zip.AddAsync("badgeclasses/é.json", text, compress: true, default);
            b = await zip.AddAsync("baked/x.png", image, compress: false, default);
            c = await zip.AddStreamAsync("assertions.csv", new MemoryStream(csv), default);
            await zip.FinishAsync(default);
        }
        Assert.That(a.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(text))));
        Assert.That(c.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(csv))));
        Assert.That((a.Bytes, b.Bytes, c.Bytes), Is.EqualTo(((long)text.Length, (long)image.Length, (long)csv.Length)));

        using var archive = new ZipArchive(new MemoryStream(output.ToArray()), ZipArchiveMode.Read);
        Assert.That(archive.Entries.Select(e => e.FullName), Is.EqualTo(new[] { "badgeclasses/é.json", "baked/x.png", "assertions.csv" }));
        Assert.That(Read(archive.GetEntry("badgeclasses/é.json")!), Is.EqualTo(text));
        Assert.That(Read(archive.GetEntry("baked/x.png")!), Is.EqualTo(image));
        Assert.That(Read(archive.GetEntry("assertions.csv")!), Is.EqualTo(csv));
        Assert.That(archive.GetEntry("baked/x.png")!.CompressedLength, Is.EqualTo(image.Length), "images are stored");
        Assert.That(archive.GetEntry("badgeclasses/é.json")!.CompressedLength, Is.LessThan(text.Length / 4), "text is deflated");
        Assert.That(archive.GetEntry("baked/x.png")!.LastWriteTime.UtcDateTime, Is.EqualTo(new DateTime(2026, 11, 22, 10, 30, 44, DateTimeKind.Utc)).Within(TimeSpan.FromDays(1)));
    }

    [Test]
    public async Task More_than_65535_entries_get_zip64_end_records()
    {
        var output = new ForwardOnlyStream();
        await using (var zip = new StreamingZipWriter(output, new MemoryStream(), Stamp))
        {
            for (var i = 0; i < 70_000; i++) { await zip.AddAsync($"assertions/{i}.json", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), compress: false, default); }
            await zip.FinishAsync(default);
        }
        using var archive = new ZipArchive(new MemoryStream(output.ToArray()), ZipArchiveMode.Read);
        Assert.That(archive.Entries, Has.Count.EqualTo(70_000));
        Assert.That(Encoding.ASCII.GetString(Read(archive.GetEntry("assertions/69999.json")!)), Is.EqualTo("69999"));
    }

    [Test]
    public async Task Every_entry_records_the_crc32_of_its_content()
    {
        var output = new ForwardOnlyStream();
        var contents = new Dictionary<string, byte[]>
        {
            ["a.txt"] = Encoding.ASCII.GetBytes("hello, badge"),
            ["b.json"] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"é\":1}", 100))),
            ["c.csv"] = Encoding.UTF8.GetBytes("x;y\r\n1;2\r\n"),
        };
        await using (var zip = new StreamingZipWriter(output, new MemoryStream(), Stamp))
        {
            await zip.AddAsync("a.txt", contents["a.txt"], compress: false, default);
            await zip.AddAsync("b.json", contents["b.json"], compress: true, default);
            await zip.AddStreamAsync("c.csv", new MemoryStream(contents["c.csv"]), default);
            await zip.FinishAsync(default);
        }
        using var archive = new ZipArchive(new MemoryStream(output.ToArray()), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            Assert.That(entry.Crc32, Is.EqualTo(Crc32.HashToUInt32(contents[entry.FullName])), entry.FullName);
        }
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A response body: written forward only, never seeked or read.</summary>
    private sealed class ForwardOnlyStream : Stream
    {
        private readonly MemoryStream _inner = new();
        public byte[] ToArray() => _inner.ToArray();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The writer must write asynchronously, as Kestrel requires.");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _inner.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
