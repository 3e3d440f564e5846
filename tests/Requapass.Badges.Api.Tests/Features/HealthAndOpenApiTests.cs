using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class HealthTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Health_IsHealthy(string path)
    {
        var response = await Anonymous().GetAsync(path);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var body = await response.Content.ReadAsStringAsync();
        // Both answer JSON: the status, and what each check found (liveness runs none).
        Assert.That(System.Text.Json.Nodes.JsonNode.Parse(body)!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"), body);
    }

    [Test]
    public async Task StartAndReadiness_LogNoEfCoreWarning()
    {
        Assert.That((int)(await Anonymous().GetAsync("/health/ready")).StatusCode, Is.EqualTo(200));
        // e.g. "The query uses the 'First'/'FirstOrDefault' operator without 'OrderBy' and filter operators".
        Assert.That(Factory.Logs.Lines.Where(l => l.StartsWith("Warning Microsoft.EntityFrameworkCore", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task SwaggerUi_IsServedInProductionOnlyWhenTurnedOn()
    {
        // This fixture runs as Production without the setting: no UI (PublicTrafficTests checks the same).
        Assert.That((int)(await Anonymous().GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(404));
        await using var database = await TestDatabase.CreateAsync(Provider);
        await using var factory = new BadgesApiFactory(database, new Dictionary<string, string?> { ["Service:SwaggerUi"] = "true" }, ownsDatabase: false);
        factory.StartServer();
        var response = await factory.CreateClient().GetAsync("/swagger/index.html");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("swagger"));
        Assert.That(response.Headers.Contains("Content-Security-Policy"), Is.False, "Swagger UI runs its scripts");
    }
}

/// <summary>The committed openapi/v1.json is the document the service serves.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed class OpenApiDocumentTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    public const string UpdateVariable = "REQUAPASS_UPDATE_OPENAPI";

    [Test]
    public async Task CommittedDocument_MatchesGeneratedOne()
    {
        var generated = await (await Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        var path = Path.Combine(RepositoryRoot(), "openapi", "v1.json");
        var normalized = JsonNode.Parse(generated)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, normalized);
        }
        Assert.That(File.Exists(path), Is.True, $"openapi/v1.json is missing: run the tests once with {UpdateVariable}=1.");
        var committed = await File.ReadAllTextAsync(path);
        Assert.That(committed, Is.EqualTo(normalized),
            $"openapi/v1.json differs from what the service serves: run `{UpdateVariable}=1 dotnet test --filter OpenApiDocumentTests` and commit the file.");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Requapass.Badges.sln"))) { dir = dir.Parent; }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
    }
}
