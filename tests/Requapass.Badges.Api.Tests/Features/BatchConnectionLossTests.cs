using System.Text.Json.Nodes;
using Npgsql;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// A bulk job whose database connections are cut while it runs (issue #10): PostgreSQL terminates the
/// service's backends, as a failover or an administrator would. No mock: the faults are the server's.
/// </summary>
[TestFixture]
public class BatchConnectionLossTests() : ApiTestBase(DatabaseProvider.Postgres)
{
    private const int Rows = 3000;

    // Slow enough to be cut several times: chunks of 25 with a pause after each.
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Batch:SyncThreshold"] = "5",
        ["Batch:ChunkSize"] = "25",
        ["Batch:PauseBetweenChunks"] = "00:00:00.020",
        ["Batch:PollInterval"] = "00:00:00.100",
        ["Batch:Lease"] = "00:00:05",
    };

    [Test]
    public async Task A_job_whose_connections_are_terminated_completes_with_each_row_awarded_once()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var rows = new JsonArray([.. Enumerable.Range(0, Rows).Select(i => (JsonNode)BatchTests.Row($"cut{i}@example.org"))]);
        var accepted = await Json(await BatchTests.Send(partner, badgeClass, rows.ToJsonString(), "application/json", "connection-loss"), 202);
        var publicId = accepted["id"]!.GetValue<string>();

        // The test's own connection, outside the service's pool, excluded from the terminations.
        var builder = new NpgsqlConnectionStringBuilder(Factory.Database.ConnectionString) { Pooling = false };
        await using var admin = new NpgsqlConnection(builder.ToString());
        await admin.OpenAsync();
        var jobId = await ScalarAsync<long>(admin, $"SELECT id FROM batch_jobs WHERE public_id = '{publicId}'");
        var (rounds, terminated, cutAt) = (0, 0L, new List<int>());
        string status;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            status = await ScalarAsync<string>(admin, $"SELECT status FROM batch_jobs WHERE id = {jobId}");
            Assert.That(status, Is.Not.EqualTo("failed"), "a lost connection never fails a job");
            if (status == "completed" || DateTime.UtcNow > deadline) { break; }
            var done = await ScalarAsync<int>(admin, $"SELECT next_row FROM batch_jobs WHERE id = {jobId}");
            if (rounds < 8 && done > 0)
            {
                terminated += await ScalarAsync<long>(admin, """
                    SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                      -- the service's own connections only: an autovacuum worker on this database is the server's
                      AND usename = current_user AND backend_type = 'client backend') cut WHERE ok
                    """);
                rounds++;
                cutAt.Add(done);
            }
            await Task.Delay(rounds < 8 ? 400 : 100);
        }
        var assertions = await ScalarAsync<long>(admin, $"SELECT count(*) FROM assertions WHERE batch_job_id = {jobId}");
        var lines = await ScalarAsync<long>(admin, $"SELECT count(DISTINCT batch_line) FROM assertions WHERE batch_job_id = {jobId}");
        var recipients = await ScalarAsync<long>(admin, $"SELECT count(DISTINCT recipient_lookup) FROM assertions WHERE batch_job_id = {jobId}");
        var retries = Factory.Logs.Lines.Count(l => l.Contains("transient database fault", StringComparison.Ordinal));
        var givenUp = Factory.Logs.Lines.Count(l => l.Contains("stayed unavailable", StringComparison.Ordinal));
        TestContext.Progress.WriteLine($"Connection loss: {Rows} rows, {assertions} assertions, {lines} distinct lines, {recipients} distinct recipients, "
            + $"{terminated} backends terminated in {rounds} rounds (at rows {string.Join(", ", cutAt)}), {retries} in-place retries, "
            + $"{givenUp} claims given up to the lease, status {status}.");

        Assert.That(status, Is.EqualTo("completed"));
        Assert.That(rounds, Is.GreaterThanOrEqualTo(3), "the job was cut several times while it ran");
        Assert.That(terminated, Is.GreaterThanOrEqualTo(rounds), "each round terminated at least one backend of the service");
        Assert.That((assertions, lines, recipients), Is.EqualTo(((long)Rows, (long)Rows, (long)Rows)), "every row exactly once");
        var job = await BatchTests.WaitForJob(partner, publicId);
        Assert.That((job["awarded"]!.GetValue<int>(), job["failureReason"]), Is.EqualTo((Rows, (JsonNode?)null)));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
