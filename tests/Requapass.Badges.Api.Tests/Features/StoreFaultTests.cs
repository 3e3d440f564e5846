using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// PostgreSQL goes away for real: the service reaches it through a TCP relay that the test stops
/// (every connection reset, new ones refused) and starts again. While it is away, awards, public
/// reads and readiness answer 503 with Retry-After and a problem that says so; afterwards everything
/// works again without a restart.
/// </summary>
[TestFixture(DatabaseProvider.Postgres)]
public sealed class DatabaseOutageTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private TcpForwarder? _relay;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        _relay = new TcpForwarder(target.Host!, target.Port).Start();
        target.Port = _relay.Port;
        target.Timeout = 3;
        var factory = new BadgesApiFactory(database, new Dictionary<string, string?> { ["Database:ConnectionString"] = target.ToString() });
        factory.StartServer();
        return factory;
    }

    [OneTimeTearDown]
    public async Task StopRelay()
    {
        if (_relay is not null) { await _relay.DisposeAsync(); }
    }

    [Test]
    public async Task While_the_database_is_down_awards_reads_and_readiness_answer_503_then_recover()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var awarded = await AwardAsync(partner, badgeClass, "before@example.org");
        var id = awarded["id"]!.GetValue<string>();

        await _relay!.StopAsync();
        try
        {
            var award = await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "email", identity = "during@example.org" } });
            await AssertUnavailableAsync(award);
            await AssertUnavailableAsync(await Anonymous().GetAsync($"/public/assertions/{id}"));
            await AssertUnavailableAsync(await Anonymous().GetAsync($"/public/badges/{badgeClass}"));
            var ready = await Anonymous().GetAsync("/health/ready");
            Assert.That((int)ready.StatusCode, Is.EqualTo(503));
            Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("unreachable"));
        }
        finally
        {
            _relay.Start();
        }

        // Back: the pool drops its broken connections and opens new ones.
        Assert.That((int)(await Anonymous().GetAsync("/health/ready")).StatusCode, Is.EqualTo(200));
        Assert.That((int)(await Anonymous().GetAsync($"/public/assertions/{id}")).StatusCode, Is.EqualTo(200));
        await AwardAsync(partner, badgeClass, "after@example.org");
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(2), "nothing was stored while the database was away");
    }

    internal static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await AssertProblem(response, 503);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:store-unavailable"));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
    }
}

/// <summary>
/// The SQLite file lives on a small tmpfs of its own (mounted as root, as on the CI machine), which the
/// test fills up, then remounts read-only: real ENOSPC and EROFS under the database, not a fake. An
/// award answers 507 (full) or 503 (read-only) and stores nothing; readiness fails; freeing space or
/// remounting read-write brings everything back without a restart.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed class DiskFaultTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), $"rq-disk-{Guid.NewGuid():N}");

    private string ConnectionString => $"Data Source={Path.Combine(_mount, "requapass.db")}";

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        Directory.CreateDirectory(_mount);
        Root("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", _mount);
        var database = await TestDatabase.CreateAsync(Provider);
        var factory = new BadgesApiFactory(database, new Dictionary<string, string?> { ["Database:ConnectionString"] = ConnectionString });
        factory.StartServer();
        return factory;
    }

    private BadgesApiFactory RestartWithoutMigrating()
    {
        var factory = new BadgesApiFactory(Factory.Database, new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
        }, ownsDatabase: false);
        factory.StartServer();
        return factory;
    }

    [OneTimeTearDown]
    public void Unmount()
    {
        Root("umount", "-l", _mount);
        Directory.Delete(_mount);
    }

    [Test]
    public async Task A_full_disk_is_507_and_a_read_only_one_503_and_readiness_says_so()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        await AwardAsync(partner, badgeClass, "before@example.org");

        var filler = Path.Combine(_mount, "filler");
        Fill(filler);
        var full = await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type = "email", identity = "full@example.org" }, narrative = new string('n', 16_000) });
        var problem = await AssertProblem(full, 507);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:store-full"));
        var ready = await Anonymous().GetAsync("/health/ready");
        Assert.That((int)ready.StatusCode, Is.EqualTo(503));
        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("no space"));
        File.Delete(filler);
        Assert.That((int)(await Anonymous().GetAsync("/health/ready")).StatusCode, Is.EqualTo(200));

        // Read-only: a file system cannot be remounted read-only under files open for writing, so this node
        // stops, the volume goes read-only, and a node starts on it (without migrating, which would write).
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Root("mount", "-o", "remount,ro", _mount);
        try
        {
            Factory = RestartWithoutMigrating();
            var readOnly = await WithToken(partner.Token).PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
                new { recipient = new { type = "email", identity = "ro@example.org" } });
            problem = await AssertProblem(readOnly, 503);
            Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:store-unavailable"));
            Assert.That(readOnly.Headers.RetryAfter, Is.Not.Null);
            Assert.That((int)(await Anonymous().GetAsync("/health/ready")).StatusCode, Is.EqualTo(503));
            // Reads fail too (SQLite cannot open the write-ahead log's shared memory on a read-only file
            // system), but each opened the file, read-only: several lookups at once (of different ids, so
            // that none waits for another's answer), so several pooled contexts have held such a
            // connection when the disk comes back.
            var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Anonymous().GetAsync($"/public/badges/{i:x24}")));
            foreach (var read in reads) { await DatabaseOutageTests.AssertUnavailableAsync(read); }
        }
        finally
        {
            Root("mount", "-o", "remount,rw", _mount);
        }

        // The node recovers without a restart: no connection opened read-only outlives the request that opened it.
        var readiness = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Anonymous().GetAsync("/health/ready")));
        Assert.That(readiness.Select(r => (int)r.StatusCode), Is.All.EqualTo(200));
        partner = partner with { Client = WithToken(partner.Token) };
        await NewBadgeClassAsync(partner);
        await AwardAsync(partner, badgeClass, "after@example.org");
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(2), "the awards refused on a full and on a read-only disk left nothing behind");
    }

    /// <summary>Writes until the file system says there is no space left.</summary>
    private static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        var block = new byte[64 * 1024];
        try
        {
            while (true) { file.Write(block); }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
        try
        {
            while (true) { file.Write(block, 0, 1); }
        }
        catch (IOException)
        {
            // Not one byte more.
        }
    }

    /// <summary>Runs a mount command as root (directly, or through sudo without a password); fails the fixture otherwise.</summary>
    private static void Root(string command, params string[] arguments)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? command : "sudo") { RedirectStandardError = true };
        if (!asRoot) { start.ArgumentList.Add("-n"); start.ArgumentList.Add(command); }
        foreach (var a in arguments) { start.ArgumentList.Add(a); }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command} {string.Join(' ', arguments)}` failed ({process.ExitCode}): {error.Trim()}. The disk-fault tests need root or password-less sudo.");
        }
    }
}
