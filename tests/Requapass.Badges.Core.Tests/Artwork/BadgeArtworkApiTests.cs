using System.Reflection;
using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Core.Tests.Artwork;

public sealed class BadgeArtworkApiTests
{
    [Test]
    public void CompetencyKeys_AreTheCataloguesEightCompetences_InCatalogueOrder()
    {
        var catalogue = RectecCatalogue.Load().Badges.Select(b => b.Competency).Distinct();

        Assert.That(BadgeArtwork.CompetencyKeys, Is.EqualTo(catalogue));
        Assert.That(BadgeArtwork.CompetencyKeys, Has.Count.EqualTo(8));
    }

    [Test]
    public void IsKnown_ForEachCatalogueKey_IsTrue()
    {
        Assert.That(BadgeArtwork.CompetencyKeys.Select(BadgeArtwork.IsKnown), Has.All.True);
    }

    [TestCase("")]
    [TestCase("jonglage")]
    [TestCase("Communication_Orale")]
    [TestCase("communication_orale ")]
    public void IsKnown_ForAnyOtherString_IsFalse(string key)
    {
        Assert.That(BadgeArtwork.IsKnown(key), Is.False);
    }

    [TestCase("jonglage", 1)]
    [TestCase("communication_orale", 0)]
    [TestCase("communication_orale", 5)]
    [TestCase("construire_son_parcours", -1)]
    public void PngAndSvg_ForAnUnknownKeyOrALevelOutside1To4_ThrowArgumentOutOfRange(string key, int level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BadgeArtwork.Png(key, level));
        Assert.Throws<ArgumentOutOfRangeException>(() => BadgeArtwork.Svg(key, level));
    }

    [Test]
    public void BadgeArtwork_PublicSurface_IsSvgPngCompetencyKeysAndIsKnown()
    {
        var members = typeof(BadgeArtwork).GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => m.Name).Order(StringComparer.Ordinal);

        Assert.That(members, Is.EqualTo(new[] { "CompetencyKeys", "IsKnown", "Png", "Svg", "get_CompetencyKeys" }));
    }

    [TestCaseSource(typeof(BadgeArtwork), nameof(BadgeArtwork.CompetencyKeys))]
    public void Pictogram_ForEveryCompetence_StaysClearOfTheRingsAndThePlate(string key)
    {
        var canvas = new Rasterizer(256, 256);
        foreach (var shape in BadgeDesign.PictogramOf(key)) { canvas.Paint(shape); }
        var rgba = canvas.ToRgba();

        var (farthest, lowest) = (0.0, 0);
        for (var i = 0; i < 256 * 256; i++)
        {
            if (rgba[(i * 4) + 3] == 0) { continue; }
            var (x, y) = (i % 256, i / 256);
            farthest = Math.Max(farthest, Math.Sqrt(Math.Pow(x + 0.5 - 128, 2) + Math.Pow(y + 0.5 - 128, 2)));
            lowest = Math.Max(lowest, y);
        }

        Assert.That(farthest, Is.LessThan(BadgeDesign.FaceRadius - 12), "inside the face, with a margin");
        Assert.That(lowest, Is.LessThan(BadgeDesign.PlateTop), "above the plate that carries the stars");
    }
}
