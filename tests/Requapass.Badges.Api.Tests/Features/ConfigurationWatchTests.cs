using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The configuration files are read once, not watched (issue #14: with the SQLite data folder under the
/// content root, every write-ahead-log write woke the watcher).
/// </summary>
[TestFixture]
public sealed class ConfigurationWatchTests
{
    [Test]
    public async Task NoConfigurationFileIsWatched()
    {
        await using var factory = await BadgesApiFactory.StartAsync(DatabaseProvider.Sqlite);
        var root = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var files = root.Providers.OfType<JsonConfigurationProvider>().Select(p => p.Source).ToList();
        Assert.That(files, Is.Not.Empty, "appsettings.json is read");
        Assert.That(files.Where(f => f.ReloadOnChange).Select(f => f.Path), Is.Empty);
    }
}
