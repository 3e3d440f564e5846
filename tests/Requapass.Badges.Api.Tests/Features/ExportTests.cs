using System.IO.Compression;
using System.IO.Hashing;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>The export package (issue #6) through HTTP on both stores: unzipped, checked, unbaked.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public class ExportTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [Test]
    public async Task Export_round_trip_every_hash_checks_and_every_baked_image_unbakes_to_its_assertion()
    {
        var partner = await NewPartnerAsync();
        var pngClass = await NewBadgeClassAsync(partner, "Accueil du public");
        var svgClass = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Travail en équipe", SvgDataUri())), 201))["id"]!.GetValue<string>();
        var hosted = new[] { await AwardAsync(partner, pngClass, "a@example.org"), await AwardAsync(partner, svgClass, "b@example.org") };
        var signed = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{pngClass}/assertions",
            new { recipient = new { type = "email", identity = "c@example.org" }, verification = "signed" }), 201);
        var signedOnSvg = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{svgClass}/assertions",
            new { recipient = new { type = "email", identity = "d@example.org" }, verification = "signed" }), 201);
        var revoked = await AwardAsync(partner, pngClass, "e@example.org");
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{revoked["id"]}/revoke", new { reason = "Erreur" });

        var response = await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/zip"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        var package = await Unzip(response);

        var manifest = JsonNode.Parse(package["manifest.json"])!.AsObject();
        Assert.That(manifest["format"]!.GetValue<string>(), Is.EqualTo("requapass-badges-export"));
        Assert.That(manifest["version"]!.GetValue<string>(), Is.EqualTo("1.1"));
        Assert.That(manifest["issuer"]!["id"]!.GetValue<string>(), Does.EndWith("/public/issuers/" + partner.IssuerId));
        Assert.That(manifest["counts"]!["assertions"]!.GetValue<int>(), Is.EqualTo(4), "revoked ones are left out by default");
        Assert.That(manifest["counts"]!["badgeClasses"]!.GetValue<int>(), Is.EqualTo(2));
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "export-manifest.schema.json")))!;
        Assert.That(JsonSchemaSubset.Validate(schema, manifest), Is.Empty, "manifest.json follows docs/export-manifest.schema.json");
        var broken = manifest.DeepClone().AsObject();
        broken.Remove("counts");
        broken["files"]![0]!["sha256"] = "not-a-hash";
        Assert.That(JsonSchemaSubset.Validate(schema, broken), Has.Count.EqualTo(2), "the schema check can fail");
        var listed = manifest["files"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.That(listed.Select(f => f["path"]!.GetValue<string>()), Is.EquivalentTo(package.Keys.Where(k => k != "manifest.json")),
            "the manifest lists every other file, once");
        foreach (var file in listed)
        {
            var bytes = package[file["path"]!.GetValue<string>()];
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(file["sha256"]!.GetValue<string>()), file["path"]!.ToString());
            Assert.That(bytes.Length, Is.EqualTo(file["bytes"]!.GetValue<long>()));
        }

        Assert.That(package.Keys, Does.Contain("issuer.json").And.Contain($"badgeclasses/{pngClass}.json").And.Contain($"badgeclasses/{pngClass}.png")
            .And.Contain($"badgeclasses/{svgClass}.svg").And.Not.Contain($"assertions/{revoked["id"]}.json"));
        var baked = package.Keys.Where(k => k.StartsWith("baked/", StringComparison.Ordinal)).ToList();
        Assert.That(baked, Has.Count.EqualTo(4));
        foreach (var path in baked)
        {
            var id = Path.GetFileNameWithoutExtension(path);
            var unbaked = path.EndsWith(".png", StringComparison.Ordinal) ? PngBaker.Unbake(package[path]) : SvgBaker.Unbake(package[path]);
            Assert.That(unbaked.Ok, Is.True, path);
            var record = package.TryGetValue($"assertions/{id}.json", out var json) ? Encoding.UTF8.GetString(json) : Encoding.ASCII.GetString(package[$"assertions/{id}.jws"]);
            Assert.That(unbaked.Payload, Is.EqualTo(record), $"{path} carries exactly assertions/{id}");
            // And the exported badge verifies as the volunteer's own download would.
            var form = new MultipartFormDataContent { { new ByteArrayContent(package[path]), "image", Path.GetFileName(path) } };
            var report = await Json(await Anonymous().PostAsync("/public/verify", form), 200);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, $"{path}: {report["checks"]!.ToJsonString()}");
        }
        Assert.That(baked, Does.Contain($"baked/{hosted[0]["id"]}.png").And.Contain($"baked/{hosted[1]["id"]}.svg").And.Contain($"baked/{signedOnSvg["id"]}.svg"));

        // The signed ones verify against the issuer's published key.
        var jws = Encoding.ASCII.GetString(package[$"assertions/{signed["id"]}.jws"]);
        var creator = JsonNode.Parse(Base64Url.Decode(jws.Split('.')[1]))!["verification"]!["creator"]!.GetValue<string>();
        var key = await Json(await Anonymous().GetAsync(new Uri(creator).PathAndQuery), 200);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key["publicKeyPem"]!.GetValue<string>());
        Assert.That(Jws.Verify(jws, rsa).Ok, Is.True);

        var csv = package["assertions.csv"];
        Assert.That(csv.AsSpan(0, 3).ToArray(), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with a BOM, for spreadsheets");
        var lines = Encoding.UTF8.GetString(csv.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo(string.Join(';', Api.Features.Export.ExportPackage.CsvColumns)));
        Assert.That(lines, Has.Length.EqualTo(5));
        Assert.That(lines.Skip(1).All(l => l.Contains(";valide / valid;", StringComparison.Ordinal)));
        Assert.That(string.Join("\n", package.Select(p => Encoding.UTF8.GetString(p.Value))), Does.Not.Contain("a@example.org"), "no clear recipient anywhere");
    }

    [Test]
    public async Task Since_gives_only_what_changed_revocations_included()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var old = await AwardAsync(partner, badgeClass, "old@example.org");
        var toRevoke = await AwardAsync(partner, badgeClass, "revoke@example.org");
        // The service judges its tokens by its own clock: moved by minutes, not hours, the fixture's tokens stay valid.
        await SinceAsync(partner, badgeClass, old, toRevoke);
    }

    private async Task SinceAsync(Partner partner, string badgeClass, JsonObject old, JsonObject toRevoke)
    {
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var cut = Factory.Clock.GetUtcNow();
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var fresh = await AwardAsync(partner, badgeClass, "new@example.org");
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{toRevoke["id"]}/revoke", new { reason = "Erreur" });

        var since = Uri.EscapeDataString(cut.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        var changed = await Unzip(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?since={since}&includeRevoked=true"));
        Assert.That(AssertionIds(changed), Is.EquivalentTo(new[] { fresh["id"]!.GetValue<string>(), toRevoke["id"]!.GetValue<string>() }));
        var manifest = JsonNode.Parse(changed["manifest.json"])!;
        Assert.That(manifest["filters"]!["since"]!.GetValue<string>(), Is.EqualTo(Uri.UnescapeDataString(since)));
        Assert.That(manifest["counts"]!["revoked"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(changed["assertions.csv"]), Does.Contain("révoqué / revoked"));

        var withoutRevoked = await Unzip(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?since={since}"));
        Assert.That(AssertionIds(withoutRevoked), Is.EqualTo(new[] { fresh["id"]!.GetValue<string>() }));
        var all = await Unzip(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?includeRevoked=true"));
        Assert.That(AssertionIds(all), Has.Count.EqualTo(3).And.Contains(old["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task The_badge_class_filter_exports_that_class_only()
    {
        var partner = await NewPartnerAsync();
        var first = await NewBadgeClassAsync(partner, "Premier");
        var second = await NewBadgeClassAsync(partner, "Second");
        var kept = await AwardAsync(partner, first);
        await AwardAsync(partner, second);
        var package = await Unzip(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?badgeClass={first}"));
        Assert.That(AssertionIds(package), Is.EqualTo(new[] { kept["id"]!.GetValue<string>() }));
        Assert.That(package.Keys.Where(k => k.StartsWith("badgeclasses/", StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)),
            Is.EqualTo(new[] { $"badgeclasses/{first}.json" }));
    }

    [Test]
    public async Task Spreadsheet_formulas_in_names_are_exported_as_text()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner, "=HYPERLINK(\"https://evil.example\";\"clic\")");
        await AwardAsync(partner, badgeClass);
        var package = await Unzip(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export"));
        var row = Encoding.UTF8.GetString(package["assertions.csv"]).Split("\r\n")[1];
        Assert.That(row, Does.Contain(";\"'=HYPERLINK(\"\"https://evil.example\"\";\"\"clic\"\")\";"));
    }

    [Test]
    public async Task Export_refuses_other_issuers_bad_filters_and_anonymous_callers()
    {
        var partner = await NewPartnerAsync();
        var stranger = await NewPartnerAsync("Autre association");
        var strangerClass = await NewBadgeClassAsync(stranger);
        await AssertProblem(await stranger.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export"), 403);
        // Staff may act on their own issuer only: any other id is another issuer's, 403 whether or not it exists.
        await AssertProblem(await partner.Client.GetAsync("/api/v1/issuers/nope123456789012/export"), 403);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?since=yesterday"), 400);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?since=2026-01-01T00:00:00"), 400);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?includeRevoked=yes"), 400);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/export?badgeClass={strangerClass}"), 404);
        var anonymous = await Anonymous().GetAsync($"/api/v1/issuers/{partner.IssuerId}/export");
        Assert.That((int)anonymous.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task A_volunteer_downloads_one_badge_as_a_zip()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var signed = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "c@example.org" }, verification = "signed" }), 201);
        var package = await Unzip(await Anonymous().GetAsync($"/public/assertions/{signed["id"]}/export"));
        Assert.That(package.Keys, Is.EquivalentTo(new[] { "manifest.json", "assertion.json", "assertion.jws", "badgeclass.json", "issuer.json", "baked.png", "credential.jwt" }));
        Assert.That(PngBaker.Unbake(package["baked.png"]).Payload, Is.EqualTo(Encoding.ASCII.GetString(package["assertion.jws"])));
        var manifest = JsonNode.Parse(package["manifest.json"])!;
        foreach (var file in manifest["files"]!.AsArray())
        {
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(package[file!["path"]!.GetValue<string>()])), Is.EqualTo(file["sha256"]!.GetValue<string>()));
        }

        var hosted = await AwardAsync(partner, badgeClass);
        var hostedPackage = await Unzip(await Anonymous().GetAsync($"/public/assertions/{hosted["id"]}/export"));
        Assert.That(PngBaker.Unbake(hostedPackage["baked.png"]).Payload, Is.EqualTo(Encoding.UTF8.GetString(hostedPackage["assertion.json"])));

        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{hosted["id"]}/revoke", new { reason = "Erreur" });
        await AssertProblem(await Anonymous().GetAsync($"/public/assertions/{hosted["id"]}/export"), 410);
        await AssertProblem(await Anonymous().GetAsync("/public/assertions/nope123456789012/export"), 404);
    }

    internal static async Task<Dictionary<string, byte[]>> Unzip(HttpResponseMessage response)
    {
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.That(entry.Crc32, Is.EqualTo(Crc32.HashToUInt32(copy.ToArray())), "the CRC-32 recorded for " + entry.FullName);
            Assert.That(files.TryAdd(entry.FullName, copy.ToArray()), Is.True, "no duplicate entry " + entry.FullName);
        }
        return files;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Requapass.Badges.sln"))) { return dir.FullName; }
        }
        throw new InvalidOperationException("The repository root was not found.");
    }

    private static List<string> AssertionIds(Dictionary<string, byte[]> package) =>
        [.. package.Keys.Where(k => k.StartsWith("assertions/", StringComparison.Ordinal)).Select(k => Path.GetFileNameWithoutExtension(k))];
}
