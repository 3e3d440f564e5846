namespace Requapass.Badges.ArtworkSheet;

/// <summary>An opaque RGBA canvas onto which badges are composited at half size.</summary>
internal sealed class Sheet
{
    public Sheet(int width, int height, (byte R, byte G, byte B) background)
    {
        (Width, Height) = (width, height);
        Pixels = new byte[width * height * 4];
        for (var i = 0; i < Pixels.Length; i += 4) { (Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]) = (background.R, background.G, background.B, 255); }
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>
    /// Composites each 2 x 2 block of the image over the sheet and averages it: blending before
    /// averaging keeps the colour of transparent pixels (black) out of the badge's edge.
    /// </summary>
    public void DrawHalfSize((int Width, int Height, byte[] Rgba) image, int left, int top)
    {
        for (var y = 0; y < image.Height / 2; y++)
        {
            for (var x = 0; x < image.Width / 2; x++)
            {
                var d = (((top + y) * Width) + left + x) * 4;
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < 4; k++)
                    {
                        var s = ((((2 * y) + (k / 2)) * image.Width) + (2 * x) + (k % 2)) * 4;
                        var a = image.Rgba[s + 3] / 255.0;
                        sum += (image.Rgba[s + c] * a) + (Pixels[d + c] * (1 - a));
                    }
                    Pixels[d + c] = (byte)Math.Round(sum / 4);
                }
            }
        }
    }
}
