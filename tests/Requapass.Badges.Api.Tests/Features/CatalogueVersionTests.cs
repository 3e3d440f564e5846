using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// A new catalogue version reaches a live database at the next start: the catalogue classes and the
/// adopted copies nobody edited get the new texts, an issuer's edits are kept, and a second start with
/// the same file changes nothing. The new version comes in through Catalogue:File.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class CatalogueVersionTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string EditedName = "Accueil oral, à la manière de la MDA";
    private const string NewVersion = "2099.1.1";

    [Test]
    public async Task NewCatalogueVersion_UpdatesUntouchedClassesAndCopies_KeepsEdits_AndIsIdempotent()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        string partnerId, partnerToken, ownerId;
        await using (var first = Start(database, file: null))
        {
            var admin = Client(first, await AdminTokenAsync(first));
            ownerId = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!["id"]!.GetValue<string>();
            partnerId = (await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new { name = "MDA Tourcoing", url = "https://mda.example.org", email = "c@mda.example.org" }), 201))["id"]!.GetValue<string>();
            var staff = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "MDA staff", role = "staff", issuerId = partnerId }), 201);
            partnerToken = await TokenAsync(first, staff["clientId"]!.GetValue<string>(), staff["clientSecret"]!.GetValue<string>());
            var partner = Client(first, partnerToken);
            await Json(await partner.PostAsync($"/api/v1/issuers/{partnerId}/catalogue", null), 200);
            var copy = (await ByCode(partner, partnerId))["COM-ORAL-N1"];
            await Json(await partner.PutAsJsonAsync($"/api/v1/badge-classes/{copy["id"]}", new
            {
                name = EditedName,
                description = "Accueille les visiteurs de la maison des associations.",
                criteria = new { narrative = "- Accueille les visiteurs" },
                tags = new[] { "accueil" },
            }), 200);
        }

        var file = ChangedCatalogue();
        string before;
        await using (var second = Start(database, file))
        {
            var admin = Client(second, await AdminTokenAsync(second));
            var partner = Client(second, partnerToken);
            var owner = await ByCode(admin, ownerId);
            var copies = await ByCode(partner, partnerId);

            // Untouched catalogue classes and untouched copies carry the new texts, in every language.
            foreach (var c in new[] { owner["COM-ORAL-N1"], owner["COM-ORAL-N2"], copies["COM-ORAL-N2"] })
            {
                Assert.That(c["name"]!.GetValue<string>(), Does.EndWith(" (révisé)"), c["catalogueCode"]!.ToString());
                Assert.That(c["translations"]!["en"]!["name"]!.GetValue<string>(), Does.EndWith(" (revised)"));
                Assert.That(c["description"]!.GetValue<string>(), Does.StartWith("Nouvelle description"));
                Assert.That(c["criteria"]!["narrative"]!.GetValue<string>(), Does.StartWith("- Nouveau critère"));
            }
            // levelNames come from the file: every level-2 class is tagged with the new name.
            Assert.That(copies["COM-ORAL-N2"]["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("Palier 2"));
            Assert.That(copies["ORG-EQUIPE-N2"]["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("Palier 2"));

            // The published BadgeClass follows.
            var published = await Json(await second.CreateClient().GetAsync($"/public/badges/{copies["COM-ORAL-N2"]["id"]}"), 200);
            Assert.That(published["name"]!.GetValue<string>(), Does.EndWith(" (révisé)"));
            Assert.That(published["description"]!.GetValue<string>(), Does.StartWith("Nouvelle description"));
            Assert.That(published["alignment"]![0]!["targetDescription"]!.GetValue<string>(), Does.StartWith("Nouvelle description"));

            // The issuer's edit is kept, published as edited, and the skip is logged.
            Assert.That(copies["COM-ORAL-N1"]["name"]!.GetValue<string>(), Is.EqualTo(EditedName));
            var edited = await Json(await second.CreateClient().GetAsync($"/public/badges/{copies["COM-ORAL-N1"]["id"]}"), 200);
            Assert.That(edited["name"]!.GetValue<string>(), Is.EqualTo(EditedName));
            Assert.That(second.Logs.Lines, Has.Some.Contains($"COM-ORAL-N1 of issuer {partnerId}").And.Contains("kept"));

            // Recorded: owner N1 + 8 level-2 classes, partner 8 level-2 copies; the edited copy kept.
            var versions = await Versions(second);
            Assert.That(versions.Select(v => v.Version), Is.EqualTo(new[] { RectecCatalogue.Load().Version, NewVersion }));
            Assert.That((versions[^1].UpdatedClasses, versions[^1].KeptClasses), Is.EqualTo((17, 1)));
            before = (await JsonArray(await admin.GetAsync($"/api/v1/issuers/{ownerId}/badge-classes"))).ToJsonString()
                + (await JsonArray(await partner.GetAsync($"/api/v1/issuers/{partnerId}/badge-classes"))).ToJsonString();
        }

        await using (var third = Start(database, file))
        {
            var admin = Client(third, await AdminTokenAsync(third));
            var partner = Client(third, partnerToken);
            var after = (await JsonArray(await admin.GetAsync($"/api/v1/issuers/{ownerId}/badge-classes"))).ToJsonString()
                + (await JsonArray(await partner.GetAsync($"/api/v1/issuers/{partnerId}/badge-classes"))).ToJsonString();
            Assert.That(after, Is.EqualTo(before), "the same file a second time changes nothing, not even updatedAt");
            Assert.That(await Versions(third), Has.Count.EqualTo(2));
        }
        File.Delete(file);
    }

    [Test]
    public async Task DutchCatalogue_ReachesADatabaseSeededBeforeIt_AndUneditedCopies_KeepingAnEditedCopy()
    {
        // The catalogue as it shipped before Dutch, byte for byte: French and English, version 2026.12.1.
        var previous = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "rectec-catalogue-2026.12.1.json");
        Assert.That(RectecCatalogue.LoadFile(previous).Languages, Is.EqualTo(new[] { "fr", "en" }));
        await using var database = await TestDatabase.CreateAsync(Provider);
        string partnerId, partnerToken, ownerId, editedCopy;
        await using (var before = Start(database, previous))
        {
            var admin = Client(before, await AdminTokenAsync(before));
            ownerId = (await JsonArray(await admin.GetAsync("/api/v1/issuers"))).Single(i => i!["isCatalogueOwner"]!.GetValue<bool>())!["id"]!.GetValue<string>();
            partnerId = (await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new { name = "Vrijwilligerspunt Kortrijk", url = "https://vp.example.org", email = "info@vp.example.org" }), 201))["id"]!.GetValue<string>();
            var staff = await Json(await admin.PostAsJsonAsync("/api/v1/clients", new { name = "VP staff", role = "staff", issuerId = partnerId }), 201);
            partnerToken = await TokenAsync(before, staff["clientId"]!.GetValue<string>(), staff["clientSecret"]!.GetValue<string>());
            var partner = Client(before, partnerToken);
            await Json(await partner.PostAsync($"/api/v1/issuers/{partnerId}/catalogue", null), 200);
            var copies = await ByCode(partner, partnerId);
            Assert.That(copies["COM-ORAL-N2"]["translations"]!.AsObject().Select(t => t.Key), Is.EqualTo(new[] { "en" }), "no Dutch before");
            await AssertProblem(await before.CreateClient().GetAsync($"/public/badges/{copies["COM-ORAL-N2"]["id"]}/translations/nl"), 404);
            // The partner words one class its own way (a Dutch name it wrote itself, among others).
            editedCopy = copies["ORG-EQUIPE-N1"]["id"]!.GetValue<string>();
            await Json(await partner.PutAsJsonAsync($"/api/v1/badge-classes/{editedCopy}", new
            {
                name = "Travail en équipe au Vrijwilligerspunt",
                description = "Participe aux permanences du point bénévolat.",
                criteria = new { narrative = "- Tient une permanence" },
                translations = new Dictionary<string, object> { ["nl"] = new { name = "Teamwerk in het Vrijwilligerspunt", description = "Neemt deel aan de permanenties." } },
            }), 200);
        }

        await using (var after = Start(database, file: null))
        {
            var admin = Client(after, await AdminTokenAsync(after));
            var partner = Client(after, partnerToken);
            var owner = await ByCode(admin, ownerId);
            var copies = await ByCode(partner, partnerId);
            foreach (var (code, c) in owner.Concat(copies.Where(c => c.Key != "ORG-EQUIPE-N1")))
            {
                var nl = c["translations"]!["nl"];
                Assert.That(nl?["name"]?.GetValue<string>(), Does.EndWith($"– Niveau {c["catalogueCode"]!.GetValue<string>()[^1]}"), $"{code} of {c["issuerId"]}");
                Assert.That(c["translations"]!["en"]!["name"]!.GetValue<string>(), Does.Contain("Level"), "English stays");
            }
            Assert.That(copies["COM-ORAL-N2"]["translations"]!["nl"]!["name"]!.GetValue<string>(), Is.EqualTo("Mondelinge communicatie – Niveau 2"));
            var dutch = await Json(await after.CreateClient().GetAsync($"/public/badges/{copies["COM-ORAL-N2"]["id"]}/translations/nl"), 200);
            Assert.That(dutch["description"]!.GetValue<string>(), Does.StartWith("Communiceert mondeling helder"));

            // The edited copy keeps every word its issuer wrote, its own Dutch included.
            var edited = copies["ORG-EQUIPE-N1"];
            Assert.That(edited["name"]!.GetValue<string>(), Is.EqualTo("Travail en équipe au Vrijwilligerspunt"));
            Assert.That(edited["translations"]!["nl"]!["name"]!.GetValue<string>(), Is.EqualTo("Teamwerk in het Vrijwilligerspunt"));
            Assert.That(after.Logs.Lines, Has.Some.Contains($"ORG-EQUIPE-N1 of issuer {partnerId}").And.Contains("kept"));

            var versions = await Versions(after);
            Assert.That(versions.Select(v => v.Version), Is.EqualTo(new[] { "2026.12.1", RectecCatalogue.Load().Version }));
            Assert.That(RectecCatalogue.Load().Version, Is.Not.EqualTo("2026.12.1"), "the Dutch texts came with a new version");
            Assert.That((versions[^1].UpdatedClasses, versions[^1].KeptClasses), Is.EqualTo((63, 1)), "32 REQUAPASS classes and 31 untouched copies");
        }
    }

    [Test]
    public async Task CatalogueFile_WithAMissingTranslation_StopsTheStart()
    {
        var catalogue = EmbeddedJson();
        catalogue["badges"]![3]!["description"]!.AsObject().Remove("en");
        var file = Write(catalogue);
        // The real service in a child process, as an operator starts it (an in-process host that fails
        // to start can report an ObjectDisposedException instead of its reason, depending on timing).
        var folder = Path.Combine(Path.GetTempPath(), $"rq-catalogue-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var run = await ServiceProcess.RunAsync(new Dictionary<string, string?>
            {
                ["Service:PublicBaseUrl"] = "https://badges.example.test",
                ["Service:DataDirectory"] = Path.Combine(folder, "data"),
                ["Auth:SigningKey"] = BadgesApiFactory.SigningKey,
                ["Signing:KeyFiles:0"] = BadgesApiFactory.BadgeKeyFile,
                ["Catalogue:File"] = file,
            }, folder, ["migrate"]);
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Errors, Does.Contain("Catalogue:File").And.Contains("missing in 'en'"), run.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            File.Delete(file);
        }
    }

    private static BadgesApiFactory Start(TestDatabase database, string? file)
    {
        var factory = new BadgesApiFactory(database, new Dictionary<string, string?> { ["Catalogue:File"] = file }, ownsDatabase: false);
        factory.StartServer();
        return factory;
    }

    private static async Task<string> AdminTokenAsync(BadgesApiFactory factory) =>
        await TokenAsync(factory, BadgesApiFactory.AdminClientId, BadgesApiFactory.AdminSecret);

    private static async Task<string> TokenAsync(BadgesApiFactory factory, string clientId, string secret) =>
        (await Json(await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { clientId, clientSecret = secret }), 200))["access_token"]!.GetValue<string>();

    private static HttpClient Client(BadgesApiFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static async Task<Dictionary<string, JsonNode>> ByCode(HttpClient client, string issuerId) =>
        (await JsonArray(await client.GetAsync($"/api/v1/issuers/{issuerId}/badge-classes")))
            .ToDictionary(c => c!["catalogueCode"]!.GetValue<string>(), c => c!);

    private static async Task<List<Data.Entities.CatalogueVersionEntity>> Versions(BadgesApiFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BadgesDbContext>().CatalogueVersions.OrderBy(v => v.Id).ToListAsync();
    }

    /// <summary>The shipped catalogue, version bumped, two classes reworded and level 2 renamed in French.</summary>
    private static string ChangedCatalogue()
    {
        var catalogue = EmbeddedJson();
        catalogue["version"] = NewVersion;
        catalogue["levelNames"]!["fr"]![1] = "Palier 2";
        foreach (var badge in catalogue["badges"]!.AsArray().Where(b => b!["code"]!.GetValue<string>() is "COM-ORAL-N1" or "COM-ORAL-N2"))
        {
            badge!["name"]!["fr"] = badge["name"]!["fr"]!.GetValue<string>() + " (révisé)";
            badge["name"]!["en"] = badge["name"]!["en"]!.GetValue<string>() + " (revised)";
            badge["description"]!["fr"] = "Nouvelle description : " + badge["description"]!["fr"]!.GetValue<string>();
            badge["criteria"]!["fr"]![0] = "Nouveau critère.";
        }
        return Write(catalogue);
    }

    private static JsonObject EmbeddedJson()
    {
        using var stream = typeof(RectecCatalogue).Assembly.GetManifestResourceStream("Requapass.Badges.Core.Catalogue.rectec-catalogue.json")!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    private static string Write(JsonObject catalogue)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rq-catalogue-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, catalogue.ToJsonString());
        return file;
    }
}
