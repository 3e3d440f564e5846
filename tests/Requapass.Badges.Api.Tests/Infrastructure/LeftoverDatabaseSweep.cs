using Npgsql;
using Requapass.Badges.Api.Tests.Infrastructure;

// The root namespace of the test assembly: this set-up runs once, before every fixture.
namespace Requapass.Badges.Api.Tests;

/// <summary>
/// Before the run, drops the PostgreSQL test databases that earlier runs left behind, so that a
/// leak (a crashed run, a refused drop) does not accumulate on the server.
/// </summary>
[SetUpFixture]
public sealed class LeftoverDatabaseSweep
{
    /// <summary>
    /// Only databases created this long before the run are leftovers: a younger one may belong to a run
    /// that is starting right now on the same server and has not connected to it yet.
    /// </summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(2);

    [OneTimeSetUp]
    public async Task DropLeftovers()
    {
        try
        {
            var dropped = await TestDatabase.SweepAsync(DateTime.UtcNow, Margin);
            if (dropped.Count > 0)
            {
                TestContext.Progress.WriteLine($"Dropped {dropped.Count} test databases left by earlier runs: {string.Join(", ", dropped)}");
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // No server: each PostgreSQL fixture fails on its own and says why; SQLite tests still run.
            TestContext.Progress.WriteLine($"No leftover sweep: PostgreSQL is not reachable ({e.Message}).");
        }
    }
}
