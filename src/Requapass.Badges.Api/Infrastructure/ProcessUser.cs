namespace Requapass.Badges.Api.Infrastructure;

/// <summary>Who this process runs as, for messages about files it cannot read or write.</summary>
public static class ProcessUser
{
    /// <summary>The .NET container images run the service as the non-root user <c>app</c>, uid 1654.</summary>
    public const int ContainerAppUid = 1654;

    /// <summary>The effective uid on Linux (from /proc/self/status), or null where it cannot be read.</summary>
    public static int? Uid()
    {
        try
        {
            // "Uid:\treal\teffective\tsaved\tfilesystem"
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"uid 1654 (app)", or the user name alone where there is no uid.</summary>
    public static string Describe()
    {
        // A uid with no passwd entry (docker run --user 1000) has no name.
        var name = Environment.UserName;
        return Uid() is not { } uid ? $"user {name}" : string.IsNullOrEmpty(name) ? $"uid {uid}" : $"uid {uid} ({name})";
    }
}
