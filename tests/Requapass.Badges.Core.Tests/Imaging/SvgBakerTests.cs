using System.Text;
using System.Xml.Linq;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class SvgBakerTests
{
    private const string Svg = """<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>""";
    private static readonly XNamespace Ob = "http://openbadges.org";

    [Test]
    public void BakeHosted_ThenUnbake_ReturnsTheJson_AndVerifyIsTheUrl()
    {
        const string json = """{"id":"https://b.example/a/1","narrative":"Éloquent"}""";
        var baked = SvgBaker.BakeHosted(Encoding.UTF8.GetBytes(Svg), "https://b.example/a/1", json);
        var doc = XDocument.Parse(Encoding.UTF8.GetString(baked));
        var element = doc.Root!.Elements().First();
        Assert.That(element.Name, Is.EqualTo(Ob + "assertion"), "the assertion is the root's first child");
        Assert.That(element.Attribute("verify")!.Value, Is.EqualTo("https://b.example/a/1"));
        Assert.That(doc.Root.GetNamespaceOfPrefix("openbadges")!.NamespaceName, Is.EqualTo("http://openbadges.org"));
        Assert.That(SvgBaker.Unbake(baked), Is.EqualTo(UnbakeResult.Found(json)));
        Assert.That(ImageIntake.Check(baked, 1024 * 1024).Check.Ok, Is.True, "a baked SVG still passes the safety check");
    }

    [Test]
    public void BakeSigned_ThenUnbake_ReturnsTheJws()
    {
        const string jws = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl";
        var baked = SvgBaker.BakeSigned(Encoding.UTF8.GetBytes(Svg), jws);
        Assert.That(SvgBaker.Unbake(baked), Is.EqualTo(UnbakeResult.Found(jws)));
        Assert.That(Encoding.UTF8.GetString(baked), Does.Contain($"verify=\"{jws}\""));
    }

    [Test]
    public void Bake_AJsonContainingCdataEnd_SurvivesIntact()
    {
        const string json = """{"narrative":"a ]]> b ]]]]> c"}""";
        var baked = SvgBaker.BakeHosted(Encoding.UTF8.GetBytes(Svg), "https://b.example/a/1", json);
        Assert.That(SvgBaker.Unbake(baked).Payload, Is.EqualTo(json));
    }

    [Test]
    public void Bake_Again_ReplacesTheAssertion_NeverTwo()
    {
        var once = SvgBaker.BakeHosted(Encoding.UTF8.GetBytes(Svg), "https://b.example/a/1", "{\"n\":1}");
        var twice = SvgBaker.BakeSigned(once, "a.b.c");
        var doc = XDocument.Parse(Encoding.UTF8.GetString(twice));
        Assert.That(doc.Descendants(Ob + "assertion").Count(), Is.EqualTo(1));
        Assert.That(SvgBaker.Unbake(twice).Payload, Is.EqualTo("a.b.c"));
    }

    [Test]
    public void Unbake_OfPlainSvg_SaysNothingIsBaked_AndOfXxeRefuses()
    {
        Assert.That(SvgBaker.Unbake(Encoding.UTF8.GetBytes(Svg)).Code, Is.EqualTo("unbake.none"));
        var xxe = HostileImages.All().Single(c => c.Name == "svg-xxe").Bytes;
        Assert.That(SvgBaker.Unbake(xxe).Ok, Is.False);
    }

    [Test]
    public void Unbake_ReadsTheSpecsHostedExampleShape()
    {
        // The shape of the Baking spec's SVG example: a prefixed element in the root, JSON in CDATA.
        const string baked = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" viewBox="0 0 512 512">
              <openbadges:assertion verify="https://example.org/beths-robotics-badge.json">
                <![CDATA[
                  {"@context":"https://w3id.org/openbadges/v2","id":"https://example.org/beths-robotics-badge.json","type":"Assertion"}
                ]]>
              </openbadges:assertion>
              <circle cx="256" cy="256" r="200"/>
            </svg>
            """;
        var result = SvgBaker.Unbake(Encoding.UTF8.GetBytes(baked.Trim()));
        Assert.That(result.Payload, Does.StartWith("{\"@context\"").And.EndWith("}"));
    }
}
