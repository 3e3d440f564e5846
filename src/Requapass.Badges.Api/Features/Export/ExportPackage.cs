using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.Export;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.OpenBadges3;

namespace Requapass.Badges.Api.Features.Export;

/// <summary>What an issuer export includes (all optional).</summary>
public sealed record ExportFilters(DateTimeOffset? Since, long? BadgeClassId, string? BadgeClassPublicId, bool IncludeRevoked);

/// <summary>
/// Writes the export package, format <c>requapass-badges-export</c> 1.1 (docs/export-format.md), as a
/// ZIP straight to a stream: issuer.json, badgeclasses/, assertions/, baked/, assertions.csv, the Open
/// Badges 3.0 issuer.ob3.json and credentials/ (1.1, additive), and
/// manifest.json last (it lists the SHA-256 of every other file, so it can only be written once they
/// are). Memory stays flat: assertions are read 500 at a time by id, each file goes out as soon as it
/// is made, and the CSV, the manifest's file list and the ZIP central directory are spooled to
/// temporary files.
/// </summary>
public sealed class ExportPackage(BadgesDbContext db, ObDocuments documents, PublicUrls urls, RectecCatalogue catalogue, BadgeMetrics metrics, Credentials3 v3)
{
    public const string Format = "requapass-badges-export";

    /// <summary>1.1: the Open Badges 3.0 credentials beside the 2.0 files (new files only, so a 1.0 reader still reads it).</summary>
    public const string Version = "1.1";
    private const int Page = 500;
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The CSV header: French / English, as the spreadsheet shows it.</summary>
    public static readonly string[] CsvColumns =
    [
        "identifiant / id", "empreinte destinataire / recipient hash", "badge", "compétence / competency", "niveau / level",
        "date d'émission / issued on", "expiration / expires", "statut / status", "URL",
    ];

    public async Task WriteIssuerAsync(Stream output, long issuerId, string issuerPublicId, ExportFilters filters, DateTimeOffset generatedAt, CancellationToken ct)
    {
        await using var spool = TempFile();
        await using var csvFile = TempFile();
        await using var manifestFile = TempFile();
        await using var zip = new StreamingZipWriter(output, spool, generatedAt);
        var issuerRow = await DocumentRows.Issuer(issuerPublicId, db, ct) ?? throw new InvalidOperationException("The issuer vanished.");
        using var manifest = new Utf8JsonWriter(manifestFile, Indented);
        manifest.WriteStartObject();
        manifest.WriteString("format", Format);
        manifest.WriteString("version", Version);
        manifest.WriteString("generatedAt", ObJson.FormatDate(generatedAt));
        manifest.WriteStartObject("issuer");
        manifest.WriteString("id", urls.Issuer(issuerPublicId));
        manifest.WriteString("name", issuerRow.Name);
        manifest.WriteEndObject();
        manifest.WriteStartObject("filters");
        if (filters.Since is { } sinceDate) { manifest.WriteString("since", ObJson.FormatDate(sinceDate)); } else { manifest.WriteNull("since"); }
        if (filters.BadgeClassPublicId is { } bc) { manifest.WriteString("badgeClass", bc); } else { manifest.WriteNull("badgeClass"); }
        manifest.WriteBoolean("includeRevoked", filters.IncludeRevoked);
        manifest.WriteEndObject();
        manifest.WriteStartArray("files");
        async Task Add(string path, byte[] content, bool compress) => Record(manifest, await zip.AddAsync(path, content, compress, ct));

        await Add("issuer.json", ObJson.ToUtf8(documents.Profile(issuerRow)), compress: true);
        // OB 3.0: the issuer Profile with its keys as JWKs (the kid of every credential's VC-JWT), as
        // GET /public/issuers/{issuerId}/ob3 serves it, so a host can check the credentials offline.
        await Add("issuer.ob3.json", ObJson.ToUtf8(v3.Documents.Profile(issuerRow, await Ob3Rows.KeysAsync(issuerPublicId, db, ct))), compress: true);
        var keys = new Dictionary<string, CredentialKey?>(StringComparer.Ordinal);

        var classes = new Dictionary<long, ExportClass>();
        var classRows = await db.BadgeClasses.AsNoTracking()
            .Where(b => b.IssuerId == issuerId && (filters.BadgeClassId == null || b.Id == filters.BadgeClassId))
            .OrderBy(b => b.Id)
            .Select(b => new
            {
                b.Id, b.PngImageId, b.SvgImageId, b.CatalogueCode,
                Row = new BadgeClassRow(b.PublicId, issuerPublicId, b.Language, b.Name, b.Description, b.CriteriaNarrative,
                    b.CriteriaUrl, b.TagsJson, b.AlignmentsJson, b.TranslationsJson, b.CatalogueCode, b.LevelRule, null),
            })
            .ToListAsync(ct);
        foreach (var c in classRows)
        {
            var classRow = await DocumentRows.WithPathAsync(c.Row, issuerId, db, ct);
            await Add($"badgeclasses/{c.Row.PublicId}.json", ObJson.ToUtf8(documents.BadgeClass(classRow)!), compress: true);
            // The baked image follows the class image, PNG first, as GET /public/assertions/{assertionId}/image does.
            (string Type, byte[] Content)? bakeWith = null;
            foreach (var imageId in new[] { c.PngImageId, c.SvgImageId })
            {
                if (imageId is null) { continue; }
                var image = await db.Images.AsNoTracking().Where(i => i.Id == imageId).Select(i => new { i.ContentType, i.Content }).SingleAsync(ct);
                var svg = image.ContentType.StartsWith("image/svg", StringComparison.Ordinal);
                await Add($"badgeclasses/{c.Row.PublicId}.{(svg ? "svg" : "png")}", image.Content, compress: svg);
                bakeWith ??= (image.ContentType, image.Content);
            }
            var entry = c.CatalogueCode is null ? null : catalogue.Find(c.CatalogueCode);
            classes[c.Id] = new ExportClass(c.Row.PublicId, c.Row.Name, entry?.CompetencyName.GetValueOrDefault(catalogue.DefaultLanguage) ?? entry?.Competency, entry?.Level, bakeWith, classRow);
        }

        var csv = new StreamWriter(csvFile, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        CsvLine(csv, CsvColumns);
        long assertions = 0, revoked = 0, baked = 0, credentials = 0;
        var now = generatedAt.UtcDateTime;
        var changedFrom = filters.Since?.UtcDateTime;
        for (long after = 0; ;)
        {
            var page = await db.Assertions.AsNoTracking()
                .Where(a => a.IssuerId == issuerId && a.Id > after
                    && (filters.BadgeClassId == null || a.BadgeClassId == filters.BadgeClassId)
                    && (changedFrom == null || a.UpdatedAt >= changedFrom)
                    && (filters.IncludeRevoked || a.RevokedAt == null))
                .OrderBy(a => a.Id).Take(Page)
                .Select(a => new { a.Id, a.BadgeClassId, Row = AssertionRow.From(a, a.BadgeClass!.PublicId, a.SigningKey != null ? a.SigningKey.PublicId : null) })
                .ToListAsync(ct);
            if (page.Count == 0) { break; }
            after = page[^1].Id;
            foreach (var item in page)
            {
                var row = item.Row;
                classes.TryGetValue(item.BadgeClassId, out var badgeClass);
                assertions++;
                string status;
                if (row.RevokedAt is not null)
                {
                    revoked++;
                    status = "révoqué / revoked";
                    // A revoked badge keeps its record (the JWS for a signed one, which its issuer's revocation
                    // list names; the 410 body for a hosted one) and is not baked. A badge erased at its
                    // recipient's request has no JWS left (Features/DataRights/Erasure.cs): its 410 body, as a hosted one.
                    if (row.IsSigned && row.Jws is { } jws) { await Add($"assertions/{row.PublicId}.jws", Encoding.ASCII.GetBytes(jws), compress: true); }
                    else { await Add($"assertions/{row.PublicId}.json", ObJson.ToUtf8(documents.Revoked(row)), compress: true); }
                }
                else
                {
                    status = row.Expires is { } expires && expires <= now ? "expiré / expired" : "valide / valid";
                    var payload = documents.BakedPayload(row);
                    await Add(row.IsSigned ? $"assertions/{row.PublicId}.jws" : $"assertions/{row.PublicId}.json", Encoding.UTF8.GetBytes(payload), compress: true);
                    if (badgeClass?.BakeWith is { } image)
                    {
                        var (path, bytes) = Bake(row, payload, image.Type, image.Content);
                        await Add($"baked/{row.PublicId}.{path}", bytes, compress: path == "svg");
                        baked++;
                    }
                    // OB 3.0 docformat.md, "File Format": a VC-JWT credential's file is its compact JWS, ".jwt". The key
                    // is chosen as /ob3 chooses it, once per key for the whole export; none loaded here, no file.
                    if (badgeClass is not null)
                    {
                        var keyId = row.SigningKeyPublicId ?? "";
                        if (!keys.TryGetValue(keyId, out var key)) { keys[keyId] = key = await v3.KeyAsync(issuerPublicId, row.SigningKeyPublicId, db, ct); }
                        if (key is not null)
                        {
                            var token = v3.Sign(v3.Documents.Credential(row, badgeClass.Row, issuerRow), key);
                            await Add($"credentials/{row.PublicId}.jwt", Encoding.ASCII.GetBytes(token), compress: true);
                            credentials++;
                        }
                    }
                }
                CsvLine(csv,
                [
                    row.PublicId, row.RecipientHash, badgeClass?.Name ?? row.BadgeClassPublicId, badgeClass?.Competency ?? "",
                    badgeClass?.Level?.ToString(CultureInfo.InvariantCulture) ?? "", ObJson.FormatDate(row.IssuedOn),
                    row.Expires is { } e ? ObJson.FormatDate(e) : "", status, documents.AssertionUrl(row),
                ]);
            }
        }
        await csv.FlushAsync(ct);
        csvFile.Position = 0;
        Record(manifest, await zip.AddStreamAsync("assertions.csv", csvFile, ct));

        manifest.WriteEndArray();
        manifest.WriteStartObject("counts");
        manifest.WriteNumber("badgeClasses", classes.Count);
        manifest.WriteNumber("assertions", assertions);
        manifest.WriteNumber("revoked", revoked);
        manifest.WriteNumber("baked", baked);
        manifest.WriteNumber("credentials", credentials);
        manifest.WriteNumber("files", zip.Entries);
        manifest.WriteEndObject();
        manifest.WriteEndObject();
        await manifest.FlushAsync(ct);
        manifestFile.Position = 0;
        await zip.AddStreamAsync("manifest.json", manifestFile, ct);
        await zip.FinishAsync(ct);
    }

    /// <summary>One volunteer's badge: its baked image, its JSON (and JWS), its class and issuer, a manifest.</summary>
    public async Task WriteBadgeAsync(Stream output, AssertionRow row, DateTimeOffset generatedAt, CancellationToken ct)
    {
        await using var spool = TempFile();
        await using var zip = new StreamingZipWriter(output, spool, generatedAt);
        var files = new List<ZipFileRecord>();
        async Task Add(string path, byte[] content, bool compress) => files.Add(await zip.AddAsync(path, content, compress, ct));

        var badgeClass = await DocumentRows.BadgeClass(row.BadgeClassPublicId, db, ct) ?? throw new InvalidOperationException("The badge class vanished.");
        var issuer = await DocumentRows.Issuer(badgeClass.IssuerPublicId, db, ct) ?? throw new InvalidOperationException("The issuer vanished.");
        var image = await (
            from b in db.BadgeClasses.AsNoTracking()
            where b.PublicId == row.BadgeClassPublicId
            join i in db.Images.AsNoTracking() on b.PngImageId ?? b.SvgImageId equals (long?)i.Id
            select new { i.ContentType, i.Content }).SingleOrDefaultAsync(ct);
        var json = row.IsSigned ? Encoding.UTF8.GetString(Core.Signing.Base64Url.Decode(row.Jws!.Split('.')[1])!) : ObJson.ToJson(documents.Assertion(row));
        var payload = row.IsSigned ? row.Jws! : json;
        await Add("assertion.json", Encoding.UTF8.GetBytes(json), compress: true);
        if (row.IsSigned) { await Add("assertion.jws", Encoding.ASCII.GetBytes(row.Jws!), compress: true); }
        await Add("badgeclass.json", ObJson.ToUtf8(documents.BadgeClass(badgeClass)!), compress: true);
        await Add("issuer.json", ObJson.ToUtf8(documents.Profile(issuer)), compress: true);
        if (image is not null)
        {
            var (extension, bytes) = Bake(row, payload, image.ContentType, image.Content);
            await Add($"baked.{extension}", bytes, compress: extension == "svg");
        }
        // OB 3.0 (format 1.1): the same award as a VC-JWT, as GET /public/assertions/{assertionId}/ob3 serves it.
        if (row.RevokedAt is null && await v3.KeyAsync(issuer.PublicId, row.SigningKeyPublicId, db, ct) is { } key)
        {
            await Add("credential.jwt", Encoding.ASCII.GetBytes(v3.Sign(v3.Documents.Credential(row, badgeClass, issuer), key)), compress: true);
        }
        var manifest = new MemoryStream();
        using (var writer = new Utf8JsonWriter(manifest, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format + "-badge");
            writer.WriteString("version", Version);
            writer.WriteString("generatedAt", ObJson.FormatDate(generatedAt));
            writer.WriteString("assertion", documents.AssertionUrl(row));
            writer.WriteString("verification", row.VerificationType.Name());
            writer.WriteStartArray("files");
            foreach (var file in files) { Record(writer, file); }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await zip.AddAsync("manifest.json", manifest.ToArray(), compress: true, ct);
        await zip.FinishAsync(ct);
    }

    /// <summary>The baked badge, as GET /public/assertions/{assertionId}/image serves it (OB 2.0 Baking).</summary>
    private (string Extension, byte[] Bytes) Bake(AssertionRow row, string payload, string contentType, byte[] image)
    {
        var svg = BadgeBaker.IsSvg(contentType);
        var baked = BadgeBaker.Bake(image, svg, payload, row.IsSigned, documents.AssertionUrl(row));
        metrics.Baked(svg ? BakeFormat.Svg : BakeFormat.Png);
        return (svg ? "svg" : "png", baked);
    }

    private static void Record(Utf8JsonWriter manifest, ZipFileRecord file)
    {
        manifest.WriteStartObject();
        manifest.WriteString("path", file.Path);
        manifest.WriteString("sha256", file.Sha256);
        manifest.WriteNumber("bytes", file.Bytes);
        manifest.WriteEndObject();
        // The writer buffers until flushed: hand it to the (temporary) file every 64 KB.
        if (manifest.BytesPending > 64 * 1024) { manifest.Flush(); }
    }

    /// <summary>RFC 4180 fields, semicolon-separated (as French spreadsheets read them), formula-safe.</summary>
    private static void CsvLine(StreamWriter csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) { csv.Write(';'); }
            var field = fields[i];
            // A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: quote it as text.
            if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r') { field = "'" + field; }
            if (field.AsSpan().IndexOfAny(";\"\r\n") >= 0) { field = "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""; }
            csv.Write(field);
        }
        csv.Write("\r\n");
    }

    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), "rq-export-" + Guid.NewGuid().ToString("N")),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    private sealed record ExportClass(string PublicId, string Name, string? Competency, int? Level, (string Type, byte[] Content)? BakeWith, BadgeClassRow Row);
}
