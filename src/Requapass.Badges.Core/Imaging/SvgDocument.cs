using System.Xml;
using System.Xml.Linq;

namespace Requapass.Badges.Core.Imaging;

/// <summary>Parses SVG the one safe way: no DTD (so no XXE and no entity expansion), no resolver, a size cap.</summary>
public static class SvgDocument
{
    /// <summary>The SVG namespace.</summary>
    public const string SvgNamespace = "http://www.w3.org/2000/svg";

    /// <summary>The largest SVG the service parses.</summary>
    public const int MaxCharacters = 4 * 1024 * 1024;

    /// <summary>Reader settings used for every SVG.</summary>
    public static XmlReaderSettings ReaderSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        IgnoreProcessingInstructions = false,
        CloseInput = true,
    };

    /// <summary>Opens a reader over the bytes with the safe settings.</summary>
    public static XmlReader Reader(ReadOnlySpan<byte> svg) => XmlReader.Create(new MemoryStream(svg.ToArray()), ReaderSettings);

    /// <summary>True when the bytes are well-formed XML whose root is <c>svg</c> in the SVG namespace.</summary>
    public static bool RootIsSvg(ReadOnlySpan<byte> data)
    {
        try
        {
            using var reader = Reader(data);
            return reader.MoveToContent() == XmlNodeType.Element && reader.LocalName == "svg" && reader.NamespaceURI == SvgNamespace;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>Loads a whole document with the safe settings, keeping white space as written; null if it is not XML.</summary>
    public static XDocument? Load(ReadOnlySpan<byte> svg)
    {
        try
        {
            using var reader = Reader(svg);
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
