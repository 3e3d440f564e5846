using System.Text;
using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class ImageIntakeTests
{
    public static IEnumerable<TestCaseData> Corpus() =>
        HostileImages.All().Select(c => new TestCaseData(c.Bytes).SetName($"Intake_Refuses_{c.Name}"));

    [TestCaseSource(nameof(Corpus))]
    public void Intake_RefusesMalformedOrHostileImage_WithAReason(byte[] image)
    {
        var (_, check) = ImageIntake.Check(image, 256 * 1024);
        Assert.That(check.Ok, Is.False);
        Assert.That(check.Code, Is.Not.EqualTo("ok").And.Not.Empty);
        Assert.That(check.Message, Is.Not.Empty);
    }

    [Test]
    public void Corpus_HasAtLeast30Cases() => Assert.That(HostileImages.All().Count(), Is.GreaterThanOrEqualTo(30));

    [TestCase("png-ihdr-crc-wrong", "png.crc_mismatch")]
    [TestCase("png-truncated-in-idat", "png.length_past_end")]
    [TestCase("png-length-past-end", "png.length_past_end")]
    [TestCase("png-chunk-over-2gb", "png.chunk_too_large")]
    [TestCase("png-ihdr-not-first", "png.ihdr_not_first")]
    [TestCase("png-no-iend", "png.no_iend")]
    [TestCase("png-data-after-iend", "png.data_after_iend")]
    [TestCase("png-zero-width", "png.bad_ihdr")]
    [TestCase("png-bad-chunk-type", "png.bad_chunk_type")]
    [TestCase("svg-xxe", "svg.dtd")]
    [TestCase("svg-billion-laughs", "svg.dtd")]
    [TestCase("svg-script", "svg.forbidden_element")]
    [TestCase("svg-onclick-nested", "svg.event_handler")]
    [TestCase("svg-javascript-entity-obfuscated", "svg.javascript_url")]
    [TestCase("svg-javascript-tab-obfuscated", "svg.javascript_url")]
    [TestCase("svg-external-use", "svg.external_reference")]
    [TestCase("svg-css-import", "svg.dangerous_css")]
    [TestCase("svg-no-namespace", "svg.root")]
    public void Intake_NamesTheProblem(string name, string code)
    {
        var (_, check) = ImageIntake.Check(HostileImages.All().Single(c => c.Name == name).Bytes, 256 * 1024);
        Assert.That(check.Code, Is.EqualTo(code), check.Message);
    }

    [Test]
    public void Intake_AcceptsValidPngAndSafeSvg()
    {
        Assert.That(ImageIntake.Check(HostileImages.ValidPng(), 1024), Is.EqualTo((ImageKind.Png, ImageCheck.Pass)));
        var svg = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"/></defs><style>.a{fill:url(#g)}</style><rect class="a" fill="url(#g)" width="2" height="2"/><use xlink:href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/></svg>""";
        Assert.That(ImageIntake.Check(Encoding.UTF8.GetBytes(svg), 4096).Check, Is.EqualTo(ImageCheck.Pass));
    }

    public static IEnumerable<TestCaseData> Catalogue() =>
        BadgeArtwork.CompetencyKeys.SelectMany(k => Enumerable.Range(1, 4).Select(l => new TestCaseData(k, l)));

    /// <summary>The project's own artwork must pass every upload check it asks of others, CSS and pixel data included.</summary>
    [TestCaseSource(nameof(Catalogue))]
    public void Intake_AcceptsCatalogueArtwork_InBothFormats(string competency, int level)
    {
        Assert.That(ImageIntake.Check(Encoding.UTF8.GetBytes(BadgeArtwork.Svg(competency, level)), 256 * 1024), Is.EqualTo((ImageKind.Svg, ImageCheck.Pass)));
        Assert.That(ImageIntake.Check(BadgeArtwork.Png(competency, level), 256 * 1024), Is.EqualTo((ImageKind.Png, ImageCheck.Pass)));
    }

    [Test]
    public void Intake_RefusesOversizedImage()
    {
        Assert.That(ImageIntake.Check(HostileImages.ValidPng(64), 100).Check.Code, Is.EqualTo("image.too_large"));
    }
}
