using System.Text;
using Requapass.Badges.Core.Fetching;

namespace Requapass.Badges.Core.Tests.Fetching;

public sealed class GuardedSenderTests
{
    private static readonly SendPolicy LoopbackAllowed = new() { AllowedRanges = ["127.0.0.1/32"], Timeout = TimeSpan.FromSeconds(1) };
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"e1"}""");
    private static readonly Dictionary<string, string> Headers = new() { ["webhook-id"] = "e1" };

    [Test]
    public async Task Post_A2xxAnswer_Succeeds_AndKeepsOnlyAnExcerpt()
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, new string('x', 5000), "text/plain")));
        using var sender = new GuardedSender(LoopbackAllowed with { ExcerptChars = 50 });
        var result = await sender.PostJsonAsync(new Uri($"{server.Base}/hook"), Body, Headers, CancellationToken.None);
        Assert.That((result.Succeeded, result.StatusCode), Is.EqualTo((true, 200)), result.Message);
        Assert.That(result.Excerpt, Has.Length.EqualTo(50));
    }

    [Test]
    public async Task Post_ARedirect_IsNotFollowed()
    {
        await using var target = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, "ok")));
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(307, "", "text/plain", $"Location: {target.Base}/elsewhere")));
        using var sender = new GuardedSender(LoopbackAllowed);
        var result = await sender.PostJsonAsync(new Uri($"{server.Base}/hook"), Body, Headers, CancellationToken.None);
        Assert.That((result.Succeeded, result.StatusCode), Is.EqualTo((false, 307)));
        Assert.That(result.Message, Does.Contain("not followed"));
        Assert.That(target.Requests, Is.Zero);
    }

    [TestCase("http://10.0.0.1/hook", "a private address")]
    [TestCase("http://169.254.169.254/latest/meta-data/", "a link-local address")]
    [TestCase("http://[::1]:9/hook", "a loopback address")]
    [TestCase("http://[::ffff:192.168.1.1]/hook", "a private address")]
    public async Task Post_ToAForbiddenLiteralAddress_IsRefused(string url, string reason)
    {
        using var sender = new GuardedSender(LoopbackAllowed);
        var result = await sender.PostJsonAsync(new Uri(url), Body, Headers, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Refused));
        Assert.That(result.Message, Does.Contain(reason));
    }

    [Test]
    public async Task Post_ToANameThatResolvesToLoopback_IsRefusedAtConnect()
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, "ok")));
        using var sender = new GuardedSender(new SendPolicy());
        var result = await sender.PostJsonAsync(new Uri($"http://localhost:{server.Port}/hook"), Body, Headers, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Refused), result.Message);
        Assert.That(result.Message, Does.Contain("loopback"));
        Assert.That(server.Requests, Is.Zero);
    }

    [Test]
    public async Task Post_ToASlowServer_TimesOut()
    {
        await using var server = new LocalServer(async _ => { await Task.Delay(3000); return LocalServer.Response(200, "late"); });
        using var sender = new GuardedSender(LoopbackAllowed with { Timeout = TimeSpan.FromMilliseconds(300) });
        var result = await sender.PostJsonAsync(new Uri($"{server.Base}/hook"), Body, Headers, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.TimedOut));
    }

    [Test]
    public async Task Post_ToAClosedPort_IsUnreachable()
    {
        int port;
        await using (var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, "ok")))) { port = server.Port; }
        using var sender = new GuardedSender(LoopbackAllowed);
        var result = await sender.PostJsonAsync(new Uri($"http://127.0.0.1:{port}/hook"), Body, Headers, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(SendOutcome.Unreachable), result.Message);
    }
}
