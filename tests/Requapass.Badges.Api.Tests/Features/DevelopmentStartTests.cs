using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Api.Tests.Storage;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>With nothing configured, Development makes its own keys and first admin; nothing else does.</summary>
[TestFixture]
public sealed class DevelopmentStartTests
{
    [Test]
    public async Task Development_WithNothingConfigured_GeneratesOwnerOnlyKeys_AndADevAdmin()
    {
        var data = Path.Combine(Path.GetTempPath(), $"rq-dev-{Guid.NewGuid():N}");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var factory = new BadgesApiFactory(database, new Dictionary<string, string?>
        {
            ["Service:DataDirectory"] = data, ["Auth:SigningKey"] = "", ["Auth:BootstrapAdminClientId"] = "",
            ["Auth:BootstrapAdminClientSecret"] = "", ["Signing:KeyFiles:0"] = "", ["Signing:KeyFiles:1"] = "",
        }, ownsDatabase: false, environment: "Development"))
        {
            factory.StartServer();
            foreach (var file in new[] { "dev-signing-key.pem", "dev-token-signing.key" })
            {
                var path = Path.Combine(data, file);
                Assert.That(File.Exists(path), Is.True, file);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), file);
                }
            }
            var profile = await (await factory.CreateClient().GetAsync("/health/ready")).Content.ReadAsStringAsync();
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(profile)!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"), profile);
        }
        await using var context = SchemaTests.Context(database);
        Assert.That(await context.ApiClients.Select(c => c.ClientId).ToListAsync(), Is.EqualTo(new[] { "dev-admin" }));
        Assert.That(await context.SigningKeys.CountAsync(), Is.EqualTo(1), "the REQUAPASS issuer's key is published from the start");
        Directory.Delete(data, recursive: true);
    }
}
