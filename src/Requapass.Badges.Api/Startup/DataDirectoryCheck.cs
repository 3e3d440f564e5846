using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Startup;

/// <summary>
/// The folders the service writes to must be writable by the user it runs as. A host folder mounted
/// as /app/data belongs to a host user, not to the container's app user (uid 1654); SQLite would
/// then fail later with "SQLite Error 14: unable to open database file" and no hint.
/// </summary>
public static class DataDirectoryCheck
{
    /// <summary>Creates <paramref name="folder"/> when missing and proves it writable; null when it is.</summary>
    public static string? Problem(string setting, string folder, string? file = null)
    {
        folder = Path.GetFullPath(folder);
        var what = $"the folder {folder}";
        try
        {
            Directory.CreateDirectory(folder);
            // A real file, not a permission bit check: ACLs, read-only mounts and root squash all count.
            using (new FileStream(Path.Combine(folder, $".write-test-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            if (file is not null && File.Exists(file))
            {
                what = $"the SQLite file {Path.GetFullPath(file)}";
                using var _ = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            }
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
            var uid = ProcessUser.Uid()?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<uid>";
            var verb = Directory.Exists(folder) ? "written" : "created";
            return $"{setting}: {what} cannot be {verb} by {ProcessUser.Describe()} ({reason}). "
                + $"Make it that user's (chown -R {uid} {folder}; for a host folder mounted into the container, chown it on the host to uid {ProcessUser.ContainerAppUid}, the image's app user) "
                + "or run the container as the folder's owner (docker run --user \"$(stat -c %u:%g <host folder>)\").";
        }
    }
}
