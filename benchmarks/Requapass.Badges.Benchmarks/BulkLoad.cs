using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Requapass.Badges.Core.Recipients;

namespace Requapass.Badges.Benchmarks;

/// <summary>
/// Issue #6 benchmarks, through HTTP against a service started by benchmarks/bulk.sh on 127.0.0.1:
/// (1) a 10,000-row hosted CSV batch, timed from the POST to the job's completion, beside a bare SQL
/// insert of the same rows (one prepared statement, one transaction) into the same table of the same
/// database, in the same run; (2) an export of 100,000 assertions (seeded by that bare insert),
/// streamed to nowhere, with its throughput and the service's resident memory sampled while it runs.
/// </summary>
public static class BulkLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (mode, baseUrl, clientId, secret, provider, connection) = (args[0], args[1], args[2], args[3], args[4], args[5]);
        using var session = await CatalogueSession.StartAsync(baseUrl, clientId, secret, TimeSpan.FromMinutes(30));
        var (http, issuer, badgeClass) = (session.Http, session.Issuer, session.BadgeClass);
        await using var db = Open(provider, connection);
        await db.OpenAsync();
        var ids = await Ids(db, badgeClass);
        return mode == "batch-path"
            ? await Batch(http, db, provider, badgeClass, ids, int.Parse(args[6], CultureInfo.InvariantCulture))
            : await Export(http, db, provider, issuer, ids, int.Parse(args[6], CultureInfo.InvariantCulture), int.Parse(args[7], CultureInfo.InvariantCulture));
    }

    private static async Task<int> Batch(HttpClient http, DbConnection db, string provider, string badgeClass, (long Class, long Issuer) ids, int rows)
    {
        // Hosted (the baseline stores hosted rows), then once signed for the record: the REQUAPASS issuer signs by default.
        foreach (var (round, verification) in new[] { (0, "hosted"), (1, "hosted"), (2, "signed") })
        {
            var label = round switch { 0 => "warm-up", 1 => "measured", _ => "signed, for information" };
            var csv = new StringBuilder("recipient;narrative;verification\r\n");
            for (var i = 0; i < rows; i++) { csv.Append(CultureInfo.InvariantCulture, $"r{round}-v{i}@example.org;Session du 22 novembre;{verification}\r\n"); }
            var watch = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch")
            {
                Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"),
            };
            request.Headers.Add("Idempotency-Key", $"bench-{Guid.NewGuid()}");
            var accepted = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();
            var jobId = accepted!["id"]!.GetValue<string>();
            var acceptedAfter = watch.Elapsed;
            JsonObject job;
            do
            {
                await Task.Delay(20);
                job = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{jobId}"))!;
            }
            while (job["status"]!.GetValue<string>() is "queued" or "running");
            var batch = watch.Elapsed;
            var bare = await BareInsert(db, ids, rows, $"bare{round}");
            Console.WriteLine($"{provider} {label}: batch of {rows} rows {batch.TotalSeconds:0.000} s (202 after {acceptedAfter.TotalSeconds:0.000} s; {job["awarded"]} awarded, {job["status"]}); "
                + $"bare SQL insert of {rows} rows {bare.TotalSeconds:0.000} s; ratio {batch / bare:0.00}");
        }
        return 0;
    }

    private static async Task<int> Export(HttpClient http, DbConnection db, string provider, string issuer, (long Class, long Issuer) ids, int count, int pid)
    {
        // A tenth first, then the rest: if memory grew with the row count, the two peaks would differ tenfold.
        var first = count / 10;
        foreach (var (rows, prefix) in new[] { (first, "export-a"), (count - first, "export-b") })
        {
            var seeded = await BareInsert(db, ids, rows, prefix);
            Console.WriteLine($"{provider}: seeded {rows} more hosted assertions by bare SQL in {seeded.TotalSeconds:0.0} s");
            var before = Memory(pid);
            var total = await Count(db, ids);
            var watch = Stopwatch.StartNew();
            long bytes = 0, maxRss = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested) { maxRss = Math.Max(maxRss, Memory(pid).Rss); await Task.Delay(25); }
            });
            using (var response = await http.GetAsync($"/api/v1/issuers/{issuer}/export", HttpCompletionOption.ResponseHeadersRead))
            await using (var body = await response.Content.ReadAsStreamAsync())
            {
                var buffer = new byte[256 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0) { bytes += read; }
            }
            watch.Stop();
            await sampling.CancelAsync();
            await sampler;
            Console.WriteLine($"export of {total} assertions: {bytes / 1048576.0:0.0} MB in {watch.Elapsed.TotalSeconds:0.0} s = "
                + $"{total / watch.Elapsed.TotalSeconds:0} assertions/s, {bytes / 1048576.0 / watch.Elapsed.TotalSeconds:0.0} MB/s; "
                + $"service RSS {before.Rss / 1024} MB before, {maxRss / 1024} MB at most during it");
        }
        return 0;
    }

    /// <summary>The baseline: the same rows, one prepared INSERT, one transaction.</summary>
    private static async Task<TimeSpan> BareInsert(DbConnection db, (long Class, long Issuer) ids, int rows, string prefix)
    {
        var watch = Stopwatch.StartNew();
        await using var tx = await db.BeginTransactionAsync();
        await using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO assertions (public_id, badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, recipient_lookup,
                issued_on, narrative, verification_type, created_at, updated_at)
            VALUES (@public_id, @class, @issuer, 'email', @hash, @salt, @lookup, @now, 'Session du 22 novembre', 'hosted', @now, @now)
            """;
        var p = new Dictionary<string, DbParameter>();
        foreach (var name in new[] { "public_id", "class", "issuer", "hash", "salt", "lookup", "now" })
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "@" + name;
            insert.Parameters.Add(parameter);
            p[name] = parameter;
        }
        p["class"].Value = ids.Class;
        p["issuer"].Value = ids.Issuer;
        p["now"].Value = DateTime.UtcNow;
        foreach (var name in new[] { "public_id", "hash", "salt", "lookup" }) { p[name].Value = ""; } // typed before Prepare (Npgsql)
        await insert.PrepareAsync();
        for (var i = 0; i < rows; i++)
        {
            // The same work per row as an award: normalise, salt, hash, lookup key, public id.
            var (identity, _) = RecipientNormalizer.Normalize(RecipientType.Email, $"{prefix}-{i}@example.org");
            var salt = RecipientIdentity.NewSalt();
            p["public_id"].Value = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
            p["hash"].Value = identity!.Hash(salt);
            p["salt"].Value = salt;
            p["lookup"].Value = identity.LookupKey();
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return watch.Elapsed;
    }

    private static async Task<(long Class, long Issuer)> Ids(DbConnection db, string badgeClass)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT id, issuer_id FROM badge_classes WHERE public_id = @id";
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = ("@id", badgeClass);
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<long> Count(DbConnection db, (long Class, long Issuer) ids)
    {
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM assertions WHERE issuer_id = {ids.Issuer} AND revoked_at IS NULL";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static DbConnection Open(string provider, string connection) =>
        provider == "Postgres" ? new NpgsqlConnection(connection) : new SqliteConnection(connection);

    /// <summary>Resident and peak resident memory of a process, in KB (Linux /proc).</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) { rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture); }
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) { peak = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture); }
        }
        return (rss, peak);
    }
}
