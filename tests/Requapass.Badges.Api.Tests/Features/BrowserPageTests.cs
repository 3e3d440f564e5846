using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The badge pages in a real browser: the service on a loopback port (Kestrel), headless Chromium from
/// Debian driven by Node (tests/browser/check-pages.mjs: puppeteer-core and axe-core, pinned by
/// package-lock.json). The script seeds valid, revoked and expired badges in FR/NL/EN through the
/// management API, opens every page at 1280 and 390 px with and without JavaScript, and reports.
/// scripts/browser.sh installs what it needs; without Chromium or the packages this test fails, it never skips.
/// One provider: the pages read the same rows on both, which BadgePageTests covers over HTTP.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[NonParallelizable]
public sealed class BrowserPageTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Chromium = "/usr/bin/chromium";
    private JsonObject _report = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        var factory = new BadgesApiFactory(database);
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    [OneTimeSetUp]
    public async Task RunTheBrowser()
    {
        var root = RepositoryRoot();
        var browserDir = Path.Combine(root, "tests", "browser");
        var chromium = Environment.GetEnvironmentVariable("REQUAPASS_CHROMIUM") ?? Chromium;
        if (!File.Exists(chromium))
        {
            Assert.Fail($"Chromium is missing ({chromium}). Run `bash scripts/browser.sh` (scripts/test.sh does): it installs Debian's chromium package and the Node packages of tests/browser.");
        }
        if (!Directory.Exists(Path.Combine(browserDir, "node_modules", "puppeteer-core")) || !Directory.Exists(Path.Combine(browserDir, "node_modules", "axe-core")))
        {
            Assert.Fail("The browser test packages are missing (tests/browser/node_modules). Run `bash scripts/browser.sh` (npm ci in tests/browser).");
        }
        var address = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            .First(a => a.StartsWith("http://", StringComparison.Ordinal));

        var start = new ProcessStartInfo("node", Path.Combine(browserDir, "check-pages.mjs"))
        {
            WorkingDirectory = browserDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["BASE_URL"] = address;
        start.Environment["PUBLIC_BASE_URL"] = BadgesApiFactory.PublicBaseUrl;
        start.Environment["ADMIN_ID"] = BadgesApiFactory.AdminClientId;
        start.Environment["ADMIN_SECRET"] = BadgesApiFactory.AdminSecret;
        start.Environment["CHROMIUM"] = chromium;
        // A volunteer's skills map: its token reaches its owner only by mail; here the test writes the map.
        start.Environment["MAP_TOKEN"] = (await ApplicationTests.NewMapAsync(Factory.Database)).Token;
        // A volunteer's data access link (issue #15, part 3a), written here too: the map's owner's data.
        start.Environment["DATA_TOKEN"] = await DataRightsTests.NewAccessAsync(Factory.Database, (await ApplicationTests.NewMapAsync(Factory.Database)).Address);
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail("The browser checks took more than 5 minutes.");
        }
        var output = await stdout;
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        Assert.That(lastLine, Does.StartWith("{"), $"node exited {node.ExitCode} without a report.\nstdout: {output}\nstderr: {await stderr}");
        _report = JsonNode.Parse(lastLine)!.AsObject();
        Assert.That(_report["fatal"]?.GetValue<string>(), Is.Null);
        Assert.That(node.ExitCode, Is.Zero, await stderr);
    }

    private IEnumerable<JsonObject> Checks(string? name = null) =>
        _report["pages"]!.AsArray().Select(p => p!.AsObject()).Where(p => name is null || p["name"]!.GetValue<string>() == name);

    private static string Describe(JsonObject check) =>
        $"{check["name"]} @{check["width"]}{(check["javaScript"]!.GetValue<bool>() ? "" : " (no JS)")}: " + string.Join("; ", check["problems"]!.AsArray().Select(p => p!.GetValue<string>()));

    [Test]
    public void EveryPage_Renders_WithoutProblems_AtDesktopAndMobileWidths_WithAndWithoutJavaScript()
    {
        var checks = Checks().ToList();
        Assert.That(checks, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(checks.Select(c => c["width"]!.GetValue<int>()).Distinct(), Is.EquivalentTo(new[] { 1280, 390 }));
        Assert.That(checks.Select(c => c["javaScript"]!.GetValue<bool>()).Distinct(), Is.EquivalentTo(new[] { true, false }));
        Assert.That(checks.Where(c => c["problems"]!.AsArray().Count > 0).Select(Describe), Is.Empty);
    }

    [Test]
    public void Axe_FindsNoSeriousOrCriticalViolation()
    {
        var audited = Checks().Where(c => c["violations"] is not null).ToList();
        Assert.That(audited, Has.Count.GreaterThanOrEqualTo(20), "axe ran on every page with JavaScript");
        var serious = audited.SelectMany(c => c["violations"]!.AsArray().Select(v => v!.AsObject())
            .Where(v => v["impact"]?.GetValue<string>() is "serious" or "critical")
            .Select(v => $"{c["name"]} @{c["width"]}: {v["id"]} {v["help"]}")).ToList();
        Assert.That(serious, Is.Empty);
    }

    [Test]
    public void Browser_LogsNoConsoleError()
    {
        var errors = Checks().SelectMany(c => c["consoleErrors"]?.AsArray().Select(e => $"{c["name"]}: {e}") ?? []).ToList();
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void LinkedInLink_CarriesTheBadge_InEachLanguage()
    {
        var seed = _report["seed"]!;
        foreach (var lang in new[] { "fr", "nl", "en" })
        {
            var check = Checks($"assertion-{lang}").First(c => c["width"]!.GetValue<int>() == 1280);
            var href = new Uri(check["linkedIn"]!.GetValue<string>());
            Assert.That(href.GetLeftPart(UriPartial.Path), Is.EqualTo("https://www.linkedin.com/profile/add"));
            var query = System.Web.HttpUtility.ParseQueryString(href.Query);
            Assert.That(query["startTask"], Is.EqualTo("CERTIFICATION_NAME"));
            Assert.That(query["name"], Is.EqualTo(seed["badgeClass"]!["names"]![lang]!.GetValue<string>()));
            Assert.That(query["organizationName"], Is.EqualTo("Maison des Associations de Tourcoing"));
            Assert.That(query["certUrl"], Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{seed["assertions"]!["valid"]}"));
            Assert.That(query["certId"], Is.EqualTo(seed["assertions"]!["valid"]!.GetValue<string>()));
            Assert.That((query["issueYear"], query["issueMonth"]), Is.EqualTo(("2026", "3")));
        }
    }

    [Test]
    public void ClaimPage_PostsWithoutJavaScript_AndItsResultAndErrorPagesAreAxeClean()
    {
        foreach (var name in new[] { "claim", "claim-nl", "claim-generic" })
        {
            Assert.That(Checks(name).ToList(), Has.Count.EqualTo(3), $"{name}: desktop, mobile, and mobile without JavaScript");
        }
        foreach (var name in new[] { "claim-result", "claim-error" })
        {
            var check = Checks(name).Single();
            Assert.That(check["problems"]!.AsArray(), Is.Empty, Describe(check));
            Assert.That(check["violations"], Is.Not.Null, $"{name}: axe ran");
        }
        Assert.That(Checks("claim-result").Single()["status"]!.GetValue<int>(), Is.EqualTo(200));
        Assert.That(Checks("claim-error").Single()["status"]!.GetValue<int>(), Is.EqualTo(422));
    }

    [Test]
    public void VerifyButton_WorksWithJavaScriptDisabled()
    {
        var verifications = Checks().Where(c => c["name"]!.GetValue<string>().StartsWith("verify-", StringComparison.Ordinal)).ToList();
        Assert.That(verifications, Has.Count.EqualTo(2));
        Assert.That(verifications.Select(c => c["javaScript"]!.GetValue<bool>()), Is.All.False);
        Assert.That(verifications.Where(c => c["problems"]!.AsArray().Count > 0).Select(Describe), Is.Empty);
        Assert.That(verifications.Select(c => c["status"]!.GetValue<int>()), Is.All.EqualTo(200));
    }

    [Test]
    public void RevokedAndExpiredPages_ShowTheirState_AndTheRevisitKeepsThePageWhole()
    {
        Assert.That(Checks("revoked").Select(c => c["status"]!.GetValue<int>()), Is.All.EqualTo(410));
        Assert.That(Checks("expired").Select(c => c["status"]!.GetValue<int>()), Is.All.EqualTo(200));
        Assert.That(Checks("not-found").Select(c => c["status"]!.GetValue<int>()), Is.All.EqualTo(404));
        var revisit = Checks("assertion-fr-revisit").Single();
        Assert.That(revisit["status"]!.GetValue<int>(), Is.EqualTo(304).Or.EqualTo(200));
        Assert.That(revisit["problems"]!.AsArray(), Is.Empty, Describe(revisit));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Requapass.Badges.sln"))) { directory = directory.Parent; }
        return directory?.FullName ?? throw new InvalidOperationException("Requapass.Badges.sln not found above the test directory.");
    }
}
