using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Core.Verification;

namespace Requapass.Badges.Core.Tests.Verification;

/// <summary>The corpus against the verifier itself, with foreign badges served from 127.0.0.1.</summary>
public class BadgeVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private GuardedFetcher _fetcher = null!;

    [OneTimeSetUp]
    public void CreateFetcher() => _fetcher = new GuardedFetcher(new FetchPolicy { AllowedRanges = ["127.0.0.1/32"] });

    [OneTimeTearDown]
    public void DisposeFetcher() => _fetcher.Dispose();

    private static IEnumerable<TestCaseData> Corpus() =>
        VerificationCorpus.Cases().Select(c => new TestCaseData(c.Name).SetName("Corpus: " + c.Name));

    [Test]
    public void The_corpus_has_at_least_40_cases_and_covers_every_input_form()
    {
        var cases = VerificationCorpus.Cases().ToList();
        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(40));
        Assert.That(cases.Select(c => c.Name).Distinct().Count(), Is.EqualTo(cases.Count), "case names are unique");
        Assert.That(cases.Count(c => c.Expect.Valid), Is.GreaterThanOrEqualTo(10));
        Assert.That(cases.Count(c => !c.Expect.Valid), Is.GreaterThanOrEqualTo(30));
    }

    [TestCaseSource(nameof(Corpus))]
    public async Task Verdict(string name)
    {
        var corpusCase = VerificationCorpus.Cases().Single(c => c.Name == name);
        await using var foreign = new ForeignIssuer();
        var input = corpusCase.Arrange(foreign);
        var report = await VerifyAsync(input);
        await TestContext.Out.WriteLineAsync(Describe(report));
        AssertVerdict(report, corpusCase.Expect);
    }

    [TestCase("http://127.0.0.1:9/badge.json", TestName = "SSRF: 127.0.0.1")]
    [TestCase("http://127.0.0.2/badge.json", TestName = "SSRF: another loopback address")]
    [TestCase("http://10.1.2.3/badge.json", TestName = "SSRF: 10.x")]
    [TestCase("http://169.254.169.254/latest/meta-data/", TestName = "SSRF: cloud metadata address")]
    [TestCase("http://[::1]/badge.json", TestName = "SSRF: IPv6 loopback")]
    [TestCase("http://[fd00::1]/badge.json", TestName = "SSRF: IPv6 unique local")]
    [TestCase("http://localhost/badge.json", TestName = "SSRF: a name that resolves to loopback")]
    [TestCase("file:///etc/passwd", TestName = "SSRF: a file URL")]
    public async Task Forbidden_addresses_are_a_failed_check_and_no_connection(string url)
    {
        // The production policy: no allow-list.
        using var strict = new GuardedFetcher(new FetchPolicy());
        var report = await new BadgeVerifier(new FetchingDocumentSource(strict), Now).VerifyUrlAsync(url);
        Assert.That(report.Valid, Is.False);
        Assert.That(report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name), Has.Some.StartsWith("hosted.fetch").Or.Some.EqualTo("input.url"));
        Assert.That(strict.Connects, Is.EqualTo(0), "nothing was connected to");
    }

    [Test]
    public async Task Fetches_stop_at_the_budget_of_ten()
    {
        await using var foreign = new ForeignIssuer();
        // A chain of assertions, each pointing at a badge that redirects: more fetches than allowed.
        var fetcher = new GuardedFetcher(new FetchPolicy { AllowedRanges = ["127.0.0.1/32"], MaxFetchesPerSession = 2 });
        var report = await new BadgeVerifier(new FetchingDocumentSource(fetcher), Now).VerifyUrlAsync(foreign.AssertionUrl);
        fetcher.Dispose();
        Assert.That(report.Valid, Is.False);
        Assert.That(report.Checks.Single(c => c.Name == "issuer.fetch").Message, Does.Contain("requests"));
    }

    [Test]
    public async Task A_foreign_report_resolves_the_assertion_badge_class_and_issuer()
    {
        await using var foreign = new ForeignIssuer();
        var report = await VerifyAsync(CorpusInput.Jws(foreign.Jws()));
        Assert.That(report.Valid, Is.True, Describe(report));
        Assert.That(report.VerificationType, Is.EqualTo(Requapass.Badges.Core.OpenBadges.VerificationType.Signed));
        Assert.That(report.Assertion!.Value.GetProperty("id").GetString(), Is.EqualTo(foreign.Signed["id"]!.GetValue<string>()));
        Assert.That(report.BadgeClass!.Value.GetProperty("name").GetString(), Is.EqualTo("Accueil du public"));
        Assert.That(report.Issuer!.Value.GetProperty("id").GetString(), Is.EqualTo(foreign.IssuerUrl));
        Assert.That(report.Checks.Select(c => c.Name), Is.SupersetOf(new[] { "signed.jws", "signed.alg", "signed.key", "signed.signature", "revocation", "time.issuedOn" }));
    }

    [Test]
    public async Task The_revocation_reason_is_reported()
    {
        await using var foreign = new ForeignIssuer();
        foreign.Revocations["revokedAssertions"] = new System.Text.Json.Nodes.JsonObject { ["id"] = foreign.Signed["id"]!.GetValue<string>(), ["revocationReason"] = "Attribué par erreur" };
        var report = await VerifyAsync(CorpusInput.Jws(foreign.Jws()));
        Assert.That((report.Revoked, report.RevocationReason), Is.EqualTo((true, "Attribué par erreur")));
    }

    [Test]
    public void Unbake_names_an_image_that_is_neither_png_nor_svg()
    {
        var result = BadgeVerifier.Unbake(Encoding.ASCII.GetBytes("GIF89a....."));
        Assert.That((result.Ok, result.Code), Is.EqualTo((false, "image.unknown")));
    }

    internal async Task<VerificationReport> VerifyAsync(CorpusInput input)
    {
        var verifier = new BadgeVerifier(new FetchingDocumentSource(_fetcher), Now, input.Recipient);
        return input.Kind switch
        {
            "url" => await verifier.VerifyUrlAsync(input.Text!),
            "assertion" => await verifier.VerifyAssertionAsync(JsonDocument.Parse(input.Assertion!.ToJsonString()).RootElement.Clone()),
            "jws" => await verifier.VerifyJwsAsync(input.Text!),
            _ => BadgeVerifier.Unbake(input.Image!) is { Ok: true } baked
                ? await verifier.VerifyPayloadAsync(baked.Payload!)
                : throw new AssertionException("The corpus image does not unbake."),
        };
    }

    internal static void AssertVerdict(VerificationReport report, CorpusExpectation expect)
    {
        var description = Describe(report);
        Assert.Multiple(() =>
        {
            Assert.That(report.Valid, Is.EqualTo(expect.Valid), description);
            Assert.That(report.Revoked, Is.EqualTo(expect.Revoked), "revoked; " + description);
            Assert.That(report.Expired, Is.EqualTo(expect.Expired), "expired; " + description);
            Assert.That(report.RecipientMatches, Is.EqualTo(expect.RecipientMatches), "recipientMatches; " + description);
            if (expect.Failed is { } failed)
            {
                Assert.That(report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name), Has.Some.StartsWith(failed), description);
            }
            Assert.That(report.Checks.All(c => c.Message.Length > 0), "every check has a message");
        });
    }

    private static string Describe(VerificationReport report) =>
        string.Join("\n", report.Checks.Select(c => $"{c.Status} {c.Name}: {c.Message}"));
}
