using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// The real service, in process, on a real database, configured as in production: explicit signing
/// key, bootstrap admin from configuration, public base URL. Only time and log capture are swapped.
/// </summary>
public sealed class BadgesApiFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? extra = null, bool ownsDatabase = true) : WebApplicationFactory<Program>
{
    public const string PublicBaseUrl = "https://badges.example.test";
    public const string AdminClientId = "test-admin";
    public static readonly string AdminSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public FakeClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public CapturedLogs Logs { get; } = new();
    public TestDatabase Database => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string?>
        {
            ["Service:PublicBaseUrl"] = PublicBaseUrl,
            ["Service:DataDirectory"] = Path.Combine(Path.GetTempPath(), "rq-test-data"),
            ["Database:Provider"] = database.Provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:BootstrapAdminClientId"] = AdminClientId,
            ["Auth:BootstrapAdminClientSecret"] = AdminSecret,
            ["Catalogue:IssuerUrl"] = "https://www.requapass.example",
            ["Catalogue:IssuerEmail"] = "contact@requapass.example",
            ["Auth:TokenRequestsPerMinute"] = "100000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            // EF Core logs each SQL command it runs here; tests count them to prove one query per read.
            logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
        });
    }

    public static async Task<BadgesApiFactory> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var factory = new BadgesApiFactory(database, extra);
        factory.StartServer();
        return factory;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) { await database.DisposeAsync(); }
    }
}
