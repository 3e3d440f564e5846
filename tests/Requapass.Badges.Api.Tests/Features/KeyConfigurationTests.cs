using System.Security.Cryptography;
using Requapass.Badges.Api.Tests.Infrastructure;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The service refuses to start with keys it must not sign with. Run as the real service in a child
/// process, as an operator starts it: exit code 1 and a line naming the problem, never the key itself.
/// (In an in-process test host, a host that fails to start can surface as an ObjectDisposedException
/// instead of its reason, depending on timing; the process is what users meet.)
/// </summary>
[TestFixture]
public sealed class KeyConfigurationTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"rq-keys-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private Dictionary<string, string?> Production() => new()
    {
        ["Service:PublicBaseUrl"] = "https://badges.example.test",
        ["Service:DataDirectory"] = Path.Combine(_folder, "data"),
        ["Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Signing:KeyFiles:0"] = BadgesApiFactory.BadgeKeyFile,
    };

    private static string ExampleKey()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Requapass.Badges.sln"))) { dir = dir.Parent; }
        return Path.Combine(dir.FullName, "keys.example", "example-signing-key.pem");
    }

    private async Task<ServiceExit> StartAsync(Dictionary<string, string?> settings)
    {
        var run = await ServiceProcess.RunAsync(settings, _folder, ["migrate"]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output + run.Errors, Does.Not.Contain("PRIVATE KEY"), "a key's contents never reach the output");
        return run;
    }

    [Test]
    public async Task ExampleKey_IsRefusedInProduction()
    {
        var settings = Production();
        settings["Signing:KeyFiles:0"] = ExampleKey();
        var run = await StartAsync(settings);
        Assert.That(run.Errors, Does.Contain("example key"), run.ToString());
    }

    [TestCase(1024, "2048")]
    [TestCase(0, "does not exist")]
    public async Task SmallOrMissingKey_StopsTheStart(int bits, string message)
    {
        var file = Path.Combine(_folder, "key.pem");
        if (bits > 0)
        {
            using var rsa = RSA.Create(bits);
            await File.WriteAllTextAsync(file, rsa.ExportPkcs8PrivateKeyPem());
        }
        var settings = Production();
        settings["Signing:KeyFiles:0"] = file;
        var run = await StartAsync(settings);
        Assert.That(run.Errors, Does.Contain(message), run.ToString());
    }

    [Test]
    public async Task Production_WithoutATokenKey_RefusesToStart()
    {
        var settings = Production();
        settings["Auth:SigningKey"] = "";
        var run = await StartAsync(settings);
        Assert.That(run.Errors, Does.Contain("Auth:SigningKey is required"), run.ToString());
    }
}
