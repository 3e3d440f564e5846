using Requapass.Badges.Core.Artwork;

namespace Requapass.Badges.Core.Tests.Artwork;

public sealed class RasterizerTests
{
    private static readonly Rgba Red = new(200, 30, 40);

    [Test]
    public void Circle_Filled_CoversAboutPiRSquaredPixels()
    {
        var rgba = Rasterizer.Render([new Circle(new(100.3, 90.6), 50, Red)], 200);

        Assert.That(Covered(rgba), Is.EqualTo(Math.PI * 50 * 50).Within(0.2).Percent);
    }

    [Test]
    public void Circle_PixelWellOutside_IsTransparent_AndWellInside_IsTheOpaqueColour()
    {
        var rgba = Rasterizer.Render([new Circle(new(100, 100), 50, Red)], 200);

        Assert.That(Pixel(rgba, 200, 10, 10), Is.EqualTo(((byte)0, (byte)0, (byte)0, (byte)0)));
        Assert.That(Pixel(rgba, 200, 160, 100), Is.EqualTo(((byte)0, (byte)0, (byte)0, (byte)0)));
        Assert.That(Pixel(rgba, 200, 100, 100), Is.EqualTo(((byte)200, (byte)30, (byte)40, (byte)255)));
    }

    [Test]
    public void Circle_Edge_IsAntiAliased_WithPartialAlphaOnlyAlongTheEdge()
    {
        var rgba = Rasterizer.Render([new Circle(new(100, 100), 50, Red)], 200);
        var partial = Enumerable.Range(0, 200 * 200).Where(i => rgba[(i * 4) + 3] is > 0 and < 255).ToList();
        var distances = partial.Select(i => Math.Sqrt(Math.Pow((i % 200) + 0.5 - 100, 2) + Math.Pow((i / 200) + 0.5 - 100, 2)));

        Assert.That(partial, Has.Count.GreaterThan(2 * Math.PI * 50 * 0.8), "nearly every pixel the edge crosses");
        Assert.That(distances, Has.All.InRange(49.0, 51.0));
        Assert.That(partial.Select(i => rgba[i * 4]), Has.All.EqualTo(200), "the colour stays the colour; only alpha fades");
    }

    [Test]
    public void Ring_CoversTheAreaBetweenItsTwoEdges()
    {
        var rgba = Rasterizer.Render([new Ring(new(64, 64), 40, 10, Red)], 128);

        Assert.That(Covered(rgba), Is.EqualTo(Math.PI * ((45 * 45) - (35 * 35))).Within(0.5).Percent);
        Assert.That(Pixel(rgba, 128, 64, 64).A, Is.Zero, "the middle stays empty");
    }

    [Test]
    public void RoundedRect_CoversItsAreaLessTheFourCorners()
    {
        var rgba = Rasterizer.Render([new RoundedRect(20.5, 30, 80, 50, 12, Red)], 128);

        Assert.That(Covered(rgba), Is.EqualTo((80 * 50) - ((4 - Math.PI) * 12 * 12)).Within(0.3).Percent);
        Assert.That(Pixel(rgba, 128, 21, 31).A, Is.LessThan(40), "a rounded corner");
    }

    [Test]
    public void Polygon_SquareOnPixelBoundaries_IsFilledExactly()
    {
        var rgba = Rasterizer.Render([Geometry.Fill(Red, new(10, 10), new(30, 10), new(30, 30), new(10, 30))], 40);

        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                var inside = x is >= 10 and < 30 && y is >= 10 and < 30;
                Assert.That(Pixel(rgba, 40, x, y).A, Is.EqualTo(inside ? 255 : 0), $"pixel ({x}, {y})");
            }
        }
    }

    [Test]
    public void Polygon_Triangle_CoversHalfItsBoundingBox_WithSoftSlantedEdges()
    {
        var rgba = Rasterizer.Render([Geometry.Fill(Red, new(8, 8), new(92, 8), new(8, 71))], 100);

        Assert.That(Covered(rgba), Is.EqualTo(84 * 63 / 2.0).Within(0.2).Percent);
        Assert.That(Enumerable.Range(0, 100 * 100).Count(i => rgba[(i * 4) + 3] is > 0 and < 255), Is.GreaterThan(80));
    }

    [Test]
    public void Polygon_NestedSquares_EvenOddLeavesAHole_NonZeroFillsItWhenBothTurnTheSameWay()
    {
        IReadOnlyList<Pt> outer = [new(4, 4), new(36, 4), new(36, 36), new(4, 36)];
        IReadOnlyList<Pt> inner = [new(14, 14), new(26, 14), new(26, 26), new(14, 26)];

        var evenOdd = Rasterizer.Render([new Polygon([outer, inner], FillRule.EvenOdd, Red)], 40);
        var nonZero = Rasterizer.Render([new Polygon([outer, inner], FillRule.NonZero, Red)], 40);

        Assert.That((Pixel(evenOdd, 40, 20, 20).A, Pixel(evenOdd, 40, 8, 8).A), Is.EqualTo(((byte)0, (byte)255)));
        Assert.That((Pixel(nonZero, 40, 20, 20).A, Pixel(nonZero, 40, 8, 8).A), Is.EqualTo(((byte)255, (byte)255)));
    }

    [Test]
    public void Stroke_WithAJoint_IsSolidWhereItsPiecesOverlap()
    {
        var rgba = Rasterizer.Render([Geometry.Stroke(Red, 10, new(10, 50), new(50, 20), new(90, 50))], 100);

        Assert.That(Pixel(rgba, 100, 50, 20).A, Is.EqualTo(255), "the joint, covered by two quads and a cap");
        Assert.That(Pixel(rgba, 100, 30, 35).A, Is.EqualTo(255), "the middle of a piece");
        Assert.That(Pixel(rgba, 100, 50, 40).A, Is.Zero, "below the joint");
    }

    [Test]
    public void Paint_TranslucentWhiteOverOpaqueRed_BlendsToPinkAndStaysOpaque()
    {
        var rgba = Rasterizer.Render([new Circle(new(8, 8), 20, Red), new Circle(new(8, 8), 20, Rgba.White.WithAlpha(128))], 16);

        Assert.That(Pixel(rgba, 16, 8, 8), Is.EqualTo(((byte)228, (byte)143, (byte)148, (byte)255)));
    }

    [Test]
    public void Paint_TranslucentColourOnEmptyCanvas_KeepsItsColourAndOpacity()
    {
        var rgba = Rasterizer.Render([new Circle(new(8, 8), 20, Red.WithAlpha(100))], 16);

        Assert.That(Pixel(rgba, 16, 8, 8), Is.EqualTo(((byte)200, (byte)30, (byte)40, (byte)100)));
    }

    private static double Covered(byte[] rgba) => Enumerable.Range(0, rgba.Length / 4).Sum(i => rgba[(i * 4) + 3] / 255.0);

    private static (byte R, byte G, byte B, byte A) Pixel(byte[] rgba, int size, int x, int y)
    {
        var i = ((y * size) + x) * 4;
        return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
    }
}
