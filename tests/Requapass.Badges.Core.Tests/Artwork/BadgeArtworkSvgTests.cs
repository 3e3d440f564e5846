using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Artwork;

public sealed class BadgeArtworkSvgTests
{
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";

    /// <summary>Every element the designs use; anything else (script, image, use, style, a...) fails.</summary>
    private static readonly HashSet<string> DrawingElements = ["circle", "rect", "path"];

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Svg_ForEveryClass_IsAStandalone256SquareSvgDocument(string key, int level)
    {
        var svg = BadgeArtwork.Svg(key, level);
        var root = Parse(svg).Root!;

        Assert.That(svg, Does.StartWith("""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256">"""));
        Assert.That(root.Name, Is.EqualTo(SvgNs + "svg"));
        Assert.That((string?)root.Attribute("viewBox"), Is.EqualTo("0 0 256 256"));
        Assert.That(((string?)root.Attribute("width"), (string?)root.Attribute("height")), Is.EqualTo(("256", "256")));
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Svg_ForEveryClass_HasNoScriptNoHandlerAndNoOutsideReference(string key, int level)
    {
        var svg = BadgeArtwork.Svg(key, level);
        var elements = Parse(svg).Root!.Descendants().ToList();
        var attributes = elements.Prepend(Parse(svg).Root!).SelectMany(e => e.Attributes()).Where(a => !a.IsNamespaceDeclaration).ToList();

        Assert.That(elements.Select(e => e.Name.Namespace), Has.All.EqualTo(SvgNs));
        Assert.That(elements.Select(e => e.Name.LocalName).Distinct(), Is.SubsetOf(DrawingElements.Append("title")));
        Assert.That(svg, Does.Not.Contain("script").IgnoreCase.And.Not.Contain("foreignObject").IgnoreCase);
        Assert.That(attributes.Select(a => a.Name.LocalName), Has.None.StartsWith("on").IgnoreCase.And.None.EqualTo("href").And.None.EqualTo("style"));
        Assert.That(attributes.Select(a => a.Value), Has.None.Contains("url(").And.None.Contains("javascript:").And.None.Contains("//"));
        Assert.That(ImageIntake.Check(Encoding.UTF8.GetBytes(svg), 256 * 1024), Is.EqualTo((ImageKind.Svg, ImageCheck.Pass)), "the service's own upload rules");
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Svg_ForEveryClass_DrawsTheDesignsShapes_WithTheSameNumbersAndColours(string key, int level)
    {
        var drawn = Parse(BadgeArtwork.Svg(key, level)).Root!.Elements().Where(e => e.Name.LocalName != "title").Select(Describe);
        var design = BadgeDesign.For(key, level).Select(Describe);

        Assert.That(drawn, Is.EqualTo(design), "the SVG and the rasteriser read one list of shapes");
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Design_ForEveryClass_UsesOnlyHundredthsOfAPixel_SoThePngDrawsWhatTheSvgSays(string key, int level)
    {
        var numbers = BadgeDesign.For(key, level).SelectMany(Numbers);

        Assert.That(numbers, Has.All.Matches<double>(n => Math.Round(n * 100) / 100 == n));
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Svg_Title_IsTheCatalogueNameOfTheClass(string key, int level)
    {
        var badge = RectecCatalogue.Load().Badges.Single(b => b.Competency == key && b.Level == level);

        Assert.That(Parse(BadgeArtwork.Svg(key, level)).Root!.Element(SvgNs + "title")?.Value, Is.EqualTo(badge.Name["fr"]));
    }

    [Test]
    public void Svg_ForAll32Classes_ArePairwiseDistinct()
    {
        var svgs = Classes.All.Select(c => BadgeArtwork.Svg(c.Key, c.Level)).ToList();

        Assert.That(svgs, Has.Count.EqualTo(32));
        Assert.That(svgs, Is.Unique);
    }

    [Test]
    public void Parse_OfAnSvgWithADoctype_IsRefused()
    {
        const string svg = """<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>""";

        Assert.Throws<XmlException>(() => Parse(svg));
    }

    /// <summary>What a shape paints: the SVG element it becomes, its colour and its numbers.</summary>
    private static string Describe(Shape shape) => shape switch
    {
        Circle c => Line("circle", "fill", c.Colour, Numbers(c)),
        Ring r => Line("circle", "stroke", r.Colour, Numbers(r)),
        RoundedRect r => Line("rect", "fill", r.Colour, Numbers(r)),
        _ => Line("path", "fill", shape.Colour, Numbers(shape)),
    };

    private static double[] Numbers(Shape shape) => shape switch
    {
        Circle c => [c.Centre.X, c.Centre.Y, c.R],
        Ring r => [r.Centre.X, r.Centre.Y, r.R, r.Width],
        RoundedRect r => [r.X, r.Y, r.W, r.H, r.Radius],
        Polygon p => [.. p.Contours.SelectMany(c => c).SelectMany(pt => new[] { pt.X, pt.Y })],
        _ => throw new ArgumentException("Unknown shape.", nameof(shape)),
    };

    private static string Describe(XElement e)
    {
        var paint = e.Attribute("stroke") is null ? "fill" : "stroke";
        var colour = (string)e.Attribute(paint)!;
        var opacity = (double?)e.Attribute(paint + "-opacity") ?? 1;
        var rgba = new Rgba(Convert.ToByte(colour[1..3], 16), Convert.ToByte(colour[3..5], 16), Convert.ToByte(colour[5..7], 16), (byte)Math.Round(opacity * 255));
        double[] numbers = e.Name.LocalName switch
        {
            "circle" => [.. new[] { "cx", "cy", "r", "stroke-width" }.Select(a => (double?)e.Attribute(a)).OfType<double>()],
            "rect" => [.. new[] { "x", "y", "width", "height", "rx" }.Select(a => (double)e.Attribute(a)!)],
            _ => [.. ((string)e.Attribute("d")!).Split(['M', 'L', 'Z', ' '], StringSplitOptions.RemoveEmptyEntries).Select(n => double.Parse(n, CultureInfo.InvariantCulture))],
        };
        return Line(e.Name.LocalName, paint, rgba, numbers);
    }

    private static string Line(string element, string paint, Rgba colour, params double[] numbers) =>
        string.Create(CultureInfo.InvariantCulture, $"{element} {paint} {colour}: {string.Join(" ", numbers.Select(n => n.ToString("0.##", CultureInfo.InvariantCulture)))}");

    /// <summary>Parses with DTDs prohibited and no resolver: nothing is fetched, no entity is expanded.</summary>
    private static XDocument Parse(string svg)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(svg), settings);
        return XDocument.Load(reader);
    }
}
