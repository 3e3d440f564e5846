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
public sealed class BadgesApiFactory(
    TestDatabase database, IReadOnlyDictionary<string, string?>? extra = null, bool ownsDatabase = true, string environment = "Production")
    : WebApplicationFactory<Program>
{
    public const string PublicBaseUrl = "https://badges.example.test";
    public const string AdminClientId = "test-admin";
    public static readonly string AdminSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>One RSA key file for the whole test run, written with owner-only permissions.</summary>
    public static readonly string BadgeKeyFile = WriteKey("rq-test-badge-key");

    /// <summary>A second key, configured so that rotation has somewhere to go.</summary>
    public static readonly string NextBadgeKeyFile = WriteKey("rq-test-badge-key-next");

    public static string WriteKey(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Environment.ProcessId}.pem");
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(2048);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) { File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); }
        }
        return path;
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Test-only service registrations, applied after the service's own (e.g. a stand-in IRecipientProof).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }
    public CapturedLogs Logs { get; } = new();

    /// <summary>The same lines, formatted as the service's console prints them.</summary>
    public ConsoleLines ConsoleOutput { get; } = new();
    public TestDatabase Database => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
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
            ["Signing:KeyFiles:0"] = BadgeKeyFile,
            ["Signing:KeyFiles:1"] = NextBadgeKeyFile,
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
            TestServices?.Invoke(services);
        });
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.Services.AddSingleton<ILoggerProvider>(sp => ConsoleOutput.Attach(sp));
            // EF Core logs each SQL command it runs here; tests count them to prove one query per read.
            logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
        });
    }

    public static async Task<BadgesApiFactory> StartAsync(
        DatabaseProvider provider, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? testServices = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var factory = new BadgesApiFactory(database, extra) { TestServices = testServices };
        factory.StartServer();
        return factory;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) { await database.DisposeAsync(); }
    }
}
