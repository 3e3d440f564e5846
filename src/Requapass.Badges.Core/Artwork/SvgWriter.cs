using System.Globalization;
using System.Security;
using System.Text;

namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// Writes a shape list as a standalone SVG 1.1 document: only basic shapes and paths with solid fills,
/// no script, no style sheet, no reference to anything outside the document, no text to lay out.
/// </summary>
internal static class SvgWriter
{
    public static string Write(IReadOnlyList<Shape> shapes, int size, string title)
    {
        var svg = new StringBuilder(4096);
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{size}\" height=\"{size}\">");
        // A title is read out by screen readers and shown as a tooltip; it is never drawn.
        svg.Append("<title>").Append(SecurityElement.Escape(title)).Append("</title>");
        foreach (var shape in shapes)
        {
            svg.Append(shape switch
            {
                Circle c => Format($"<circle cx=\"{c.Centre.X:0.##}\" cy=\"{c.Centre.Y:0.##}\" r=\"{c.R:0.##}\"{Paint("fill", c.Colour)}/>"),
                Ring r => Format($"<circle cx=\"{r.Centre.X:0.##}\" cy=\"{r.Centre.Y:0.##}\" r=\"{r.R:0.##}\" fill=\"none\" stroke-width=\"{r.Width:0.##}\"{Paint("stroke", r.Colour)}/>"),
                RoundedRect r => Format($"<rect x=\"{r.X:0.##}\" y=\"{r.Y:0.##}\" width=\"{r.W:0.##}\" height=\"{r.H:0.##}\" rx=\"{r.Radius:0.##}\"{Paint("fill", r.Colour)}/>"),
                Polygon p => Format($"<path d=\"{PathData(p)}\"{(p.Rule == FillRule.EvenOdd ? " fill-rule=\"evenodd\"" : "")}{Paint("fill", p.Colour)}/>"),
                _ => throw new ArgumentException($"Unknown shape {shape.GetType().Name}.", nameof(shapes)),
            });
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The fill or stroke colour, and its opacity when not opaque.</summary>
    private static string Paint(string property, Rgba colour) => colour.A == 255
        ? $" {property}=\"{colour.Css}\""
        : Format($" {property}=\"{colour.Css}\" {property}-opacity=\"{colour.A / 255.0:0.###}\"");

    /// <summary>Each contour as "M x y L x y ... Z", coordinates rounded to 1/100 px.</summary>
    private static string PathData(Polygon polygon)
    {
        var d = new StringBuilder();
        foreach (var contour in polygon.Contours)
        {
            for (var i = 0; i < contour.Count; i++)
            {
                Append(d, $"{(i == 0 ? "M" : "L")}{contour[i].X:0.##} {contour[i].Y:0.##}");
            }
            d.Append('Z');
        }
        return d.ToString();
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Append(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture));
}
