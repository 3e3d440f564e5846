namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// The loop of the workers that scan the database on a timer (expiry announcements, expiry reminders,
/// the retention sweep): a round, then a pause, until the node stops. A round that fails (the database
/// away, or not yet migrated) is reported and tried again after the pause; each round is its own short
/// transaction(s), so nothing is left half-written, and a worker that stopped on a failure would do
/// nothing more.
/// </summary>
public static class PollingLoop
{
    public static async Task RunAsync(Func<CancellationToken, Task> round, Func<TimeSpan> pause, Action<Exception> failed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed(e);
            }
            try
            {
                // Real time: this paces the scans, it is not a domain instant.
                await Task.Delay(pause(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
