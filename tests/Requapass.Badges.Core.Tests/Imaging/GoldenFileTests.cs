using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class GoldenFileTests
{
    private const string HostedJson = """{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://badges.example.org/public/assertions/0123456789abcdef01234567","badge":"https://badges.example.org/public/badges/76543210fedcba9876543210","verification":{"type":"HostedBadge"},"issuedOn":"2026-11-22T12:00:00Z"}""";
    private const string AssertionUrl = "https://badges.example.org/public/assertions/0123456789abcdef01234567";

    private static string Golden(string name)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Requapass.Badges.sln"))) { dir = dir.Parent; }
        return Path.Combine(dir!.FullName, "tests", "Requapass.Badges.Core.Tests", "Fixtures", "golden", name);
    }

    [TestCase("class.png", "class.baked.png")]
    [TestCase("class.svg", "class.baked.svg")]
    public void Bake_OfGoldenInput_EqualsCommittedOutput(string input, string expected)
    {
        var source = File.ReadAllBytes(Golden(input));
        var baked = input.EndsWith(".png", StringComparison.Ordinal)
            ? PngBaker.Bake(source, HostedJson)
            : SvgBaker.BakeHosted(source, AssertionUrl, HostedJson);
        if (Environment.GetEnvironmentVariable("REQUAPASS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Golden(expected), baked);
        }
        Assert.That(baked, Is.EqualTo(File.ReadAllBytes(Golden(expected))));
    }

    public static IEnumerable<TestCaseData> Classes() =>
        BadgeArtwork.CompetencyKeys.SelectMany(k => Enumerable.Range(1, 4).Select(l => new TestCaseData(k, l)));

    [TestCaseSource(nameof(Classes))]
    public void EveryCatalogueClass_BakesAndUnbakesInBothFormats(string competency, int level)
    {
        var png = BadgeArtwork.Png(competency, level);
        var bakedPng = PngBaker.Bake(png, HostedJson);
        Assert.That(PngBaker.Unbake(bakedPng).Payload, Is.EqualTo(HostedJson));
        // Removing the one inserted chunk gives back the original, byte for byte.
        var chunk = 12 + "openbadges".Length + 5 + HostedJson.Length;
        Assert.That(bakedPng.AsSpan(0, 33).ToArray().Concat(bakedPng.AsSpan(33 + chunk).ToArray()), Is.EqualTo(png));

        var svg = System.Text.Encoding.UTF8.GetBytes(BadgeArtwork.Svg(competency, level));
        Assert.That(SvgBaker.Unbake(SvgBaker.BakeHosted(svg, AssertionUrl, HostedJson)).Payload, Is.EqualTo(HostedJson));
        Assert.That(SvgBaker.Unbake(SvgBaker.BakeSigned(svg, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).Payload, Is.EqualTo("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
    }
}
