using System.Runtime.Versioning;
using System.Security.Cryptography;
using Npgsql;
using Requapass.Badges.Api.Tests.Infrastructure;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// A misconfigured start, as an operator sees it: the real service as a child process exits with
/// code 1 and prints one line per problem, all of them, without a stack trace.
/// </summary>
[TestFixture]
public sealed class StartupProblemTests
{
    private const int ContainerAppUid = 1654;
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"rq-start-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        if (!OperatingSystem.IsWindows())
        {
            // Root-owned and 0755 when the tests run as root: readable, not writable, by uid 1654.
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        }
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>A production configuration that starts; each test spoils it.</summary>
    private Dictionary<string, string?> Valid() => new()
    {
        ["Service:PublicBaseUrl"] = "https://badges.example.test",
        ["Service:DataDirectory"] = Path.Combine(_folder, "data"),
        ["Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Signing:KeyFiles:0"] = BadgesApiFactory.BadgeKeyFile,
    };

    [Test]
    public async Task Start_WithSeveralBadSettings_Exits1_WithOneLinePerProblem()
    {
        var settings = Valid();
        settings["Database:Provider"] = "Mysql";
        settings["Service:PublicBaseUrl"] = "ftp://badges.example.test";
        settings["Auth:TokenLifetime"] = "a quarter of an hour";
        settings["Auth:BootstrapAdminClientId"] = "admin";
        settings["Auth:BootstrapAdminClientSecret"] = "too-short";
        settings["Batch:ChunkSize"] = "0";
        settings["Logging:Format"] = "xml";
        settings["Telemetry:OtlpEndpoint"] = "collector:4317";

        var run = await ServiceProcess.RunAsync(settings, _folder);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        string[] expected =
        [
            "Database:Provider must be one of Sqlite, Postgres (got 'Mysql')",
            "Service:PublicBaseUrl must be an absolute http(s) URL",
            "Auth:TokenLifetime must be a duration such as 00:15:00 (got 'a quarter of an hour')",
            "Auth:BootstrapAdminClientSecret must be at least 24 characters",
            "Batch:ChunkSize must be between 1 and 5000",
            "Telemetry:OtlpEndpoint must be an absolute http(s) URL",
            "Logging:Format must be one of Json, Simple (got 'xml')",
        ];
        AssertOneLineEach(run, expected);
    }

    [Test]
    public async Task Start_OnAPostgresDatabaseThatDoesNotExist_SaysToCreateIt()
    {
        var name = $"rq_missing_{Guid.NewGuid():N}";
        var settings = Valid();
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Database = name }.ToString();
        settings["Batch:ChunkSize"] = "0";

        var run = await ServiceProcess.RunAsync(settings, _folder);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var role = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString).Username;
        AssertOneLineEach(run, [$"the PostgreSQL database '{name}' does not exist", $"createdb -O {role} {name}", "Batch:ChunkSize must be between 1 and 5000"],
            problems: 2);
    }

    [Test]
    public async Task Start_WhenPostgresCannotBeReached_SaysWhichServer()
    {
        var settings = Valid();
        settings["Database:Provider"] = "Postgres";
        // Port 1 (tcpmux) has no PostgreSQL behind it: the connection is refused at once.
        settings["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=requapass;Password=requapass;Database=requapass";

        var run = await ServiceProcess.RunAsync(settings, _folder);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        AssertOneLineEach(run, ["cannot reach the PostgreSQL server at 127.0.0.1:1"]);
    }

    [Test]
    public async Task Start_WithBadMailSettings_SaysWhatToChange()
    {
        var settings = Valid();
        settings["Mail:Host"] = "smtp.example.org";
        settings["Mail:Security"] = "ssl";
        settings["Mail:From"] = "badges at example.org";
        settings["Mail:User"] = "badges";

        var run = await ServiceProcess.RunAsync(settings, _folder);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        AssertOneLineEach(run,
        [
            "Mail:Security must be one of None, StartTls, Tls (got 'ssl')",
            "Mail:From must be an email address (got 'badges at example.org')",
            "Mail:User and Mail:Password go together",
        ]);
    }

    [Test]
    public async Task Start_WithBadRetentionSettings_SaysWhatToChange()
    {
        var settings = Valid();
        settings["Retention:AbandonedSkillsMapDays"] = "7";
        settings["Retention:BatchSize"] = "0";
        settings["Retention:Interval"] = "hourly";

        var run = await ServiceProcess.RunAsync(settings, _folder);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        AssertOneLineEach(run,
        [
            "Retention:Interval must be a duration such as 00:15:00 (got 'hourly')",
            "Retention:BatchSize must be between 1 and 5000",
            "Retention:AbandonedSkillsMapDays must be between 30 and 3650",
        ]);
    }

    [Test, SupportedOSPlatform("linux")]
    public async Task Start_WithADataFolderItCannotWrite_NamesTheFolderTheUidAndTheFix()
    {
        RequireLinux();
        var data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, (UnixFileMode)0b101_101_101);
        var settings = Valid();
        settings["Service:DataDirectory"] = data;

        // Root may write anywhere: as root, run the service as the container's app user instead.
        var asRoot = Environment.UserName == "root";
        var run = await ServiceProcess.RunAsync(settings, _folder, uid: asRoot ? ContainerAppUid : null);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var uid = asRoot ? $"uid {ContainerAppUid}" : "uid ";
        // As uid 1654 the test key (0600, root's) is unreadable too: both are reported, together.
        AssertOneLineEach(run, asRoot
            ? [$"Service:DataDirectory: the folder {data} cannot be written by {uid}", $"Signing key file {BadgesApiFactory.BadgeKeyFile} cannot be read by {uid}"]
            : [$"Service:DataDirectory: the folder {data} cannot be written by {uid}"]);
        Assert.That(run.Errors, Does.Contain("chown").And.Contain("--user"));
    }

    [Test, SupportedOSPlatform("linux")]
    public async Task Migrate_AsTheAppUser_ReadsA0640KeyOnlyThroughItsGroup()
    {
        RequireLinux();
        if (Environment.UserName != "root") { Assert.Ignore("Switching to uid 1654 needs root."); }
        // The README's container recipe: a key the host user owns, 0640, and the group added to the
        // app user (docker run --group-add); the data folder is the app user's (here: world-writable).
        var key = Path.Combine(_folder, "platform.pem");
        using (var rsa = RSA.Create(2048)) { await File.WriteAllTextAsync(key, rsa.ExportPkcs8PrivateKeyPem()); }
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_111_111);
        var settings = Valid();
        settings["Signing:KeyFiles:0"] = key;

        var withoutGroup = await ServiceProcess.RunAsync(settings, _folder, ["migrate"], uid: ContainerAppUid);
        Assert.That(withoutGroup.ExitCode, Is.EqualTo(1), withoutGroup.ToString());
        AssertOneLineEach(withoutGroup, [$"Signing key file {key} cannot be read by uid {ContainerAppUid}"]);
        Assert.That(withoutGroup.Errors, Does.Contain("--group-add"));

        var withGroup = await ServiceProcess.RunAsync(settings, _folder, ["migrate"], uid: ContainerAppUid, group: 0);
        Assert.That(withGroup.ExitCode, Is.EqualTo(0), withGroup.ToString());
        Assert.That(File.Exists(Path.Combine(data, "requapass.db")), Is.True);
    }

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux()) { Assert.Ignore("File permissions and uids as on the Linux container."); }
    }

    /// <summary>A heading, then exactly one line for each expected problem; no stack trace anywhere.</summary>
    private static void AssertOneLineEach(ServiceExit run, string[] expected, int? problems = null)
    {
        var lines = run.ErrorLines;
        Assert.That(lines[0], Does.StartWith("Requapass Badges cannot start"), run.ToString());
        Assert.That(lines, Has.Length.EqualTo(1 + (problems ?? expected.Length)), run.ToString());
        foreach (var fragment in expected)
        {
            Assert.That(lines.Count(l => l.Contains(fragment, StringComparison.Ordinal)), Is.EqualTo(1), $"{fragment}\n{run}");
        }
        Assert.That(run.Output + run.Errors, Does.Not.Contain("   at ").And.Not.Contain("Exception"), run.ToString());
    }
}
