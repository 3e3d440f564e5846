using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>The service refuses to start with keys it must not sign with.</summary>
[TestFixture]
public sealed class KeyConfigurationTests
{
    private static string ExampleKey()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Requapass.Badges.sln"))) { dir = dir.Parent; }
        return Path.Combine(dir.FullName, "keys.example", "example-signing-key.pem");
    }

    [Test]
    public async Task ExampleKey_IsRefusedInProduction()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new BadgesApiFactory(database, new Dictionary<string, string?>
        {
            ["Signing:KeyFiles:0"] = ExampleKey(), ["Signing:KeyFiles:1"] = null,
        }, ownsDatabase: false);
        var error = Assert.Catch(factory.StartServer);
        Assert.That(error!.ToString(), Does.Contain("example key"));
    }

    [TestCase(1024, "2048")]
    [TestCase(0, "does not exist")]
    public async Task SmallOrMissingKey_StopsTheStart(int bits, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rq-key-{Guid.NewGuid():N}.pem");
        if (bits > 0)
        {
            using var rsa = System.Security.Cryptography.RSA.Create(bits);
            await File.WriteAllTextAsync(file, rsa.ExportPkcs8PrivateKeyPem());
        }
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new BadgesApiFactory(database, new Dictionary<string, string?> { ["Signing:KeyFiles:0"] = file }, ownsDatabase: false);
        var error = Assert.Catch(factory.StartServer);
        Assert.That(error!.ToString(), Does.Contain(message));
        Assert.That(error.ToString(), Does.Not.Contain("PRIVATE KEY"));
        File.Delete(file);
    }

    [Test]
    public async Task Production_WithoutATokenKey_RefusesToStart()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new BadgesApiFactory(database, new Dictionary<string, string?> { ["Auth:SigningKey"] = "" }, ownsDatabase: false);
        var error = Assert.Catch(factory.StartServer);
        Assert.That(error!.ToString(), Does.Contain("Auth:SigningKey is required"));
    }
}
