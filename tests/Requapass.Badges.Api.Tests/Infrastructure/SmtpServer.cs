using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MimeKit;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for the award-email tests: smtp4dev (a .NET tool pinned in
/// .config/dotnet-tools.json, restored by scripts/smtp.sh), started once per test run on two loopback
/// ports, read through its HTTP API. Mails are kept in memory; each test sends to addresses of its own,
/// so fixtures never read each other's mails. Not restored: the tests that need it fail and say how.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static SmtpServer? _shared;

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _api;

    private SmtpServer(Process process, StringBuilder output, int smtpPort, int apiPort)
    {
        (_process, _output, SmtpPort) = (process, output, smtpPort);
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int SmtpPort { get; }

    /// <summary>The run's server, started by the first test that asks for it.</summary>
    public static async Task<SmtpServer> SharedAsync()
    {
        await Starting.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            Starting.Release();
        }
    }

    internal static async Task StopSharedAsync()
    {
        if (_shared is not null) { await _shared.DisposeAsync(); }
        _shared = null;
    }

    private static async Task<SmtpServer> StartAsync()
    {
        var root = RepositoryRoot();
        var (smtpPort, apiPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo
        {
            FileName = Dotnet(), WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "tool", "run", "smtp4dev", "--", $"--smtpport={smtpPort}", $"--urls=http://127.0.0.1:{apiPort}", "--bindaddress=127.0.0.1",
            "--db=", "--imapport=", "--pop3port=", "--nousersettings", "--hostname=localhost", "--tlsmode=None", "--messagestokeep=100000",
        })
        {
            start.ArgumentList.Add(a);
        }
        // Its settings and data folder in a temporary place, not the user's.
        start.Environment["XDG_CONFIG_HOME"] = Directory.CreateTempSubdirectory("rq-smtp4dev-").FullName;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new SmtpServer(process, output, smtpPort, apiPort);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                string said;
                lock (output) { said = output.ToString(); }
                throw new InvalidOperationException(
                    $"smtp4dev did not start (exit code {process.ExitCode}). Run `bash scripts/smtp.sh` (dotnet tool restore) first.\n{said}");
            }
            if (await server.ReadyAsync()) { return server; }
            await Task.Delay(200);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("smtp4dev did not answer within 90 s.");
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var smtp = new TcpClient();
            await smtp.ConnectAsync(IPAddress.Loopback, SmtpPort);
            return (await _api.GetAsync("api/messages?pageSize=1")).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The recipients of every message received so far whose recipient holds <paramref name="term"/>, one entry per message.</summary>
    public async Task<List<string>> RecipientsAsync(string term)
    {
        var list = JsonNode.Parse(await _api.GetStringAsync($"api/messages?searchTerms={Uri.EscapeDataString(term)}&pageSize=100000"))!;
        return [.. list["results"]!.AsArray().SelectMany(m => m!["to"]!.AsArray().Select(t => t!.GetValue<string>().ToLowerInvariant()))
            .Where(t => t.Contains(term, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>Every message received for <paramref name="address"/> so far, parsed (MimeKit), oldest first.</summary>
    public async Task<List<MimeMessage>> MessagesToAsync(string address)
    {
        var list = JsonNode.Parse(await _api.GetStringAsync($"api/messages?searchTerms={Uri.EscapeDataString(address)}&pageSize=1000"))!;
        var ids = list["results"]!.AsArray()
            .Where(m => m!["to"]!.AsArray().Any(t => string.Equals(t!.GetValue<string>(), address, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m!["receivedDate"]!.GetValue<DateTime>()).Select(m => m!["id"]!.GetValue<string>()).ToList();
        var messages = new List<MimeMessage>();
        foreach (var id in ids)
        {
            await using var raw = await _api.GetStreamAsync($"api/messages/{id}/raw");
            messages.Add(await MimeMessage.LoadAsync(raw));
        }
        return messages;
    }

    /// <summary>Waits until <paramref name="count"/> messages reached <paramref name="address"/>, then a moment more (a second copy would show).</summary>
    public async Task<List<MimeMessage>> WaitForAsync(string address, int count = 1, int seconds = 30, Action? whileWaiting = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<MimeMessage> messages;
        while ((messages = await MessagesToAsync(address)).Count < count && DateTime.UtcNow < deadline)
        {
            whileWaiting?.Invoke();
            await Task.Delay(100);
        }
        await Task.Delay(300);
        return await MessagesToAsync(address);
    }

    /// <summary>A fresh address for one test: parallel fixtures never read each other's mails.</summary>
    public static string NewAddress(string who = "benevole") => $"{who}.{Guid.NewGuid():N}@example.org";

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        try
        {
            if (!_process.HasExited) { _process.Kill(entireProcessTree: true); }
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) { return dir.FullName; }
        }
        throw new InvalidOperationException("No .config/dotnet-tools.json above the test folder: the SMTP server (smtp4dev) cannot be found.");
    }

    private static string Dotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
