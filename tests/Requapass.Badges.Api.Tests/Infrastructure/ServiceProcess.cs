using System.Diagnostics;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>How a run of the real service ended: its exit code and what it printed.</summary>
public sealed record ServiceExit(int ExitCode, string Output, string Errors)
{
    public string[] ErrorLines => Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>
/// The built service (Requapass.Badges.Api.dll beside the tests) run as a child process with
/// settings in its environment, as an operator starts it: what it prints and its exit code are
/// what a user sees, which an in-process host cannot show.
/// </summary>
public static class ServiceProcess
{
    public static async Task<ServiceExit> RunAsync(
        IReadOnlyDictionary<string, string?> settings, string workingDirectory, string[]? args = null, int? uid = null, int? group = null)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "Requapass.Badges.Api.dll");
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        if (uid is { } id)
        {
            // As the container's non-root user: setpriv (util-linux) drops root for the child only.
            start.FileName = "setpriv";
            foreach (var a in new[] { $"--reuid={id}", $"--regid={id}", group is { } g ? $"--groups={g}" : "--clear-groups", Dotnet() })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = Dotnet();
        }
        start.ArgumentList.Add(dll);
        foreach (var a in args ?? []) { start.ArgumentList.Add(a); }

        // Nothing of the test run's own configuration leaks into the child.
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["HOME"] = workingDirectory;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The service did not exit within 90 s.\n{await output}\n{await errors}");
        }
        return new ServiceExit(process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// Starts the service as a long-running child process (environment as in <see cref="RunAsync"/>) and
    /// waits until it listens; the test can then call it over HTTP and kill it (SIGKILL) at any moment.
    /// </summary>
    public static async Task<RunningService> StartAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory)
    {
        var start = new ProcessStartInfo
        {
            FileName = Dotnet(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "Requapass.Badges.Api.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["HOME"] = workingDirectory;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { return; }
            lock (output) { output.AppendLine(e.Data); }
            var match = System.Text.RegularExpressions.Regex.Match(e.Data, @"Now listening on: (http://127\.0\.0\.1:\d+)");
            if (match.Success) { listening.TrySetResult(match.Groups[1].Value); }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (ready != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            lock (output) { Assert.Fail($"The service did not start listening.\n{output}"); }
        }
        return new RunningService(process, new Uri(await listening.Task), output);
    }

    private static string Dotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}

/// <summary>A service running as a child process: its address, its output so far, and a kill -9.</summary>
public sealed class RunningService(Process process, Uri baseAddress, System.Text.StringBuilder output) : IDisposable
{
    public Uri BaseAddress { get; } = baseAddress;

    public string Output { get { lock (output) { return output.ToString(); } } }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) { client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token); }
        return client;
    }

    /// <summary>SIGKILL, as kill -9: no shutdown, no flush, nothing the service can react to.</summary>
    public void KillHard()
    {
        if (!process.HasExited) { process.Kill(); }
        process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        process.Dispose();
    }
}
