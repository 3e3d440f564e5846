namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>
/// The territories an issuer may name, as ISO 3166-2 subdivision codes. Sources: ISO 3166-2:FR for the
/// French metropolitan departments (FR-01 to FR-95, Corsica as FR-2A and FR-2B, no FR-20) and the
/// overseas departments (FR-971 to FR-974, FR-976); ISO 3166-2:BE for the ten Belgian provinces
/// (BE-VAN, BE-VBR, BE-VLI, BE-VOV, BE-VWV, BE-WBR, BE-WHT, BE-WLG, BE-WLX, BE-WNA) and the
/// Brussels-Capital Region (BE-BRU), which belongs to no province. The Hauts-de-France departments
/// are FR-02, FR-59, FR-60, FR-62 and FR-80.
/// </summary>
public static class Territories
{
    public static readonly IReadOnlySet<string> Codes = Build();

    /// <summary>The code in its canonical (upper-case) form, or null when it is not on the list.</summary>
    public static string? Parse(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) { return null; }
        var upper = code.Trim().ToUpperInvariant();
        return Codes.Contains(upper) ? upper : null;
    }

    private static HashSet<string> Build()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 1; n <= 95; n++)
        {
            if (n != 20) { codes.Add($"FR-{n:00}"); }
        }
        codes.UnionWith(["FR-2A", "FR-2B", "FR-971", "FR-972", "FR-973", "FR-974", "FR-976"]);
        codes.UnionWith(["BE-VAN", "BE-VBR", "BE-VLI", "BE-VOV", "BE-VWV", "BE-WBR", "BE-WHT", "BE-WLG", "BE-WLX", "BE-WNA", "BE-BRU"]);
        return codes;
    }
}
