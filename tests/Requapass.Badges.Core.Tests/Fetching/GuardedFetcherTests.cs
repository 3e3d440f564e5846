using System.IO.Compression;
using System.Net;
using System.Text;
using Requapass.Badges.Core.Fetching;

namespace Requapass.Badges.Core.Tests.Fetching;

public sealed class GuardedFetcherTests
{
    private static readonly FetchPolicy LoopbackAllowed = new() { AllowedRanges = ["127.0.0.1/32"], Timeout = TimeSpan.FromSeconds(3) };

    [Test]
    public async Task Fetch_ADocument_ReturnsItsBody()
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, """{"type":"Assertion"}""")));
        using var fetcher = new GuardedFetcher(LoopbackAllowed);
        var result = await fetcher.FetchAsync(new Uri($"{server.Base}/a/1"), fetcher.NewSession(), CancellationToken.None);
        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That(Encoding.UTF8.GetString(result.Body!), Is.EqualTo("""{"type":"Assertion"}"""));
        Assert.That(result.ContentType, Is.EqualTo("application/ld+json"));
    }

    [Test]
    public async Task Fetch_A410_IsACompletedAnswer()
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(410, """{"revoked":true}""")));
        using var fetcher = new GuardedFetcher(LoopbackAllowed);
        var result = await fetcher.FetchAsync(new Uri($"{server.Base}/a/1"), fetcher.NewSession(), CancellationToken.None);
        Assert.That((result.Ok, result.StatusCode), Is.EqualTo((true, 410)));
    }

    [TestCase("http://127.0.0.1:9/")]
    [TestCase("http://10.0.0.1/")]
    [TestCase("http://10.12.0.7:8080/badge")]
    [TestCase("http://172.16.5.4/")]
    [TestCase("http://192.168.1.1/")]
    [TestCase("http://169.254.169.254/latest/meta-data/")]
    [TestCase("http://100.64.0.1/")]
    [TestCase("http://0.0.0.0/")]
    [TestCase("http://224.0.0.1/")]
    [TestCase("http://255.255.255.255/")]
    [TestCase("http://[::1]/")]
    [TestCase("http://[fe80::1]/")]
    [TestCase("http://[fc00::1]/")]
    [TestCase("http://[::ffff:127.0.0.1]/")]
    [TestCase("http://[::ffff:10.0.0.1]/")]
    [TestCase("http://[64:ff9b::a00:1]/")]
    [TestCase("http://[2002:a00:1::1]/")]
    public async Task Fetch_OfAForbiddenAddress_IsRefusedBeforeAnyConnection(string url)
    {
        using var fetcher = new GuardedFetcher(new FetchPolicy());
        var result = await fetcher.FetchAsync(new Uri(url), fetcher.NewSession(), CancellationToken.None);
        Assert.That(result.Code, Is.EqualTo("fetch.forbidden_address"), result.Message);
        Assert.That(fetcher.Connects, Is.Zero);
    }

    [Test]
    public async Task Fetch_OfANameResolvingToLoopback_IsRefusedAtConnectTime()
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, "{}")));
        using var fetcher = new GuardedFetcher(new FetchPolicy());
        var result = await fetcher.FetchAsync(new Uri($"http://localhost:{server.Port}/"), fetcher.NewSession(), CancellationToken.None);
        Assert.That(result.Code, Is.EqualTo("fetch.forbidden_address"), result.Message);
        Assert.That(result.Message, Does.Contain("loopback"));
        Assert.That((fetcher.Connects, server.Requests), Is.EqualTo((0, 0)));
    }

    [TestCase("http://169.254.169.254/")]
    [TestCase("http://10.1.2.3/")]
    [TestCase("http://[::1]:80/")]
    public async Task Redirect_ToAForbiddenAddress_IsRefused(string target)
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(302, "", "text/plain", $"Location: {target}")));
        using var fetcher = new GuardedFetcher(LoopbackAllowed);
        var result = await fetcher.FetchAsync(new Uri($"{server.Base}/start"), fetcher.NewSession(), CancellationToken.None);
        Assert.That(result.Code, Is.EqualTo("fetch.forbidden_address"), result.Message);
        Assert.That(fetcher.Connects, Is.EqualTo(1), "only the allowed first hop connected");
    }

    [Test]
    public async Task Redirects_AreFollowedUpToThree_AndAFourthIsRefused()
    {
        await using var server = new LocalServer(path =>
        {
            var n = int.Parse(path.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult(n == 0 ? LocalServer.Response(200, "{}") : LocalServer.Response(301, "", "text/plain", $"Location: /{n - 1}"));
        });
        using var fetcher = new GuardedFetcher(LoopbackAllowed);
        var three = await fetcher.FetchAsync(new Uri($"{server.Base}/3"), fetcher.NewSession(), CancellationToken.None);
        Assert.That((three.Ok, three.Visited!.Count), Is.EqualTo((true, 4)));
        var four = await fetcher.FetchAsync(new Uri($"{server.Base}/4"), fetcher.NewSession(), CancellationToken.None);
        Assert.That(four.Code, Is.EqualTo("fetch.too_many_redirects"));
    }

    [TestCase("ftp://example.org/badge.json", "fetch.scheme_not_allowed")]
    [TestCase("file:///etc/passwd", "fetch.scheme_not_allowed")]
    [TestCase("javascript:alert(1)", "fetch.scheme_not_allowed")]
    [TestCase("http://user:pass@example.org/", "fetch.userinfo")]
    public async Task Fetch_OfAnUnsupportedUrl_IsRefused(string url, string code)
    {
        using var fetcher = new GuardedFetcher(new FetchPolicy());
        var result = await fetcher.FetchAsync(new Uri(url), fetcher.NewSession(), CancellationToken.None);
        Assert.That(result.Code, Is.EqualTo(code));
        Assert.That(fetcher.Connects, Is.Zero);
    }

    [Test]
    public async Task Body_OverTheCap_IsRefused_WithOrWithoutLengthAndWhenCompressed()
    {
        var big = new string('x', 2048);
        using var gzip = new MemoryStream();
        using (var z = new GZipStream(gzip, CompressionLevel.SmallestSize, leaveOpen: true)) { z.Write(new byte[64 * 1024]); }
        await using var server = new LocalServer(path => Task.FromResult(path switch
        {
            "/length" => LocalServer.Response(200, big),
            "/chunked" => Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n800\r\n{big}\r\n0\r\n\r\n"),
            _ => [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {gzip.Length}\r\nConnection: close\r\n\r\n"), .. gzip.ToArray()],
        }));
        using var fetcher = new GuardedFetcher(LoopbackAllowed with { MaxBytes = 1024 });
        foreach (var path in new[] { "/length", "/chunked", "/bomb" })
        {
            var result = await fetcher.FetchAsync(new Uri(server.Base + path), fetcher.NewSession(), CancellationToken.None);
            Assert.That(result.Code, Is.EqualTo("fetch.too_large"), path);
        }
    }

    [Test]
    public async Task SlowServer_HitsTheTimeout()
    {
        await using var server = new LocalServer(async _ => { await Task.Delay(3000); return LocalServer.Response(200, "{}"); });
        using var fetcher = new GuardedFetcher(LoopbackAllowed with { Timeout = TimeSpan.FromMilliseconds(300) });
        var result = await fetcher.FetchAsync(new Uri($"{server.Base}/slow"), fetcher.NewSession(), CancellationToken.None);
        Assert.That(result.Code, Is.EqualTo("fetch.timeout"));
    }

    [Test]
    public async Task Session_AllowsTenFetches()
    {
        await using var server = new LocalServer(_ => Task.FromResult(LocalServer.Response(200, "{}")));
        using var fetcher = new GuardedFetcher(LoopbackAllowed);
        var session = fetcher.NewSession();
        for (var i = 0; i < 10; i++)
        {
            Assert.That((await fetcher.FetchAsync(new Uri($"{server.Base}/{i}"), session, CancellationToken.None)).Ok, Is.True);
        }
        Assert.That((await fetcher.FetchAsync(new Uri($"{server.Base}/10"), session, CancellationToken.None)).Code, Is.EqualTo("fetch.budget_exhausted"));
    }

    [TestCase("8.8.8.8", null)]
    [TestCase("2001:4860:4860::8888", null)]
    [TestCase("198.51.100.7", "a documentation address")]
    [TestCase("2001:db8::1", "a documentation address")]
    [TestCase("2001:0:4136:e378::1", "a Teredo tunnel address")]
    public void AddressRules_JudgeAddresses(string address, string? reason)
    {
        Assert.That(AddressRules.Refusal(IPAddress.Parse(address)), Is.EqualTo(reason));
    }
}
