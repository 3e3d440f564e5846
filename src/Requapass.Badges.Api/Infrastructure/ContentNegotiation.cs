using Microsoft.Net.Http.Headers;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// Proactive negotiation between the Open Badges documents (JSON-LD, JSON, JWS) and the human page
/// (HTML) at the same URL, from the Accept header's quality values (RFC 9110, section 12.5.1).
/// </summary>
public static class ContentNegotiation
{
    public const string Html = "text/html";

    // The OB 3.0 types too: a client that names one of them above text/html wants the credential, not the page.
    private static readonly string[] DataTypes = [JsonLdDocument<object>.LdJson, "application/json", JwsDocument.MediaType,
        Core.OpenBadges3.VcJwt.MediaType, Core.OpenBadges3.VcJwt.JsonMediaType];

    /// <summary>
    /// True only when the client ranks text/html strictly above every data type: browsers
    /// (<c>text/html,...,*/*;q=0.8</c>). No Accept, <c>*/*</c> or a tie keep the JSON-LD, so programs,
    /// validators and backpacks get exactly the bytes they got before the pages existed.
    /// </summary>
    public static bool PrefersHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0) { return false; }
        var html = Quality(accept, Html);
        return html > 0 && DataTypes.All(type => html > Quality(accept, type));
    }

    /// <summary>
    /// The quality the client gives <paramref name="mediaType"/>: RFC 9110, section 12.5.1, "If more
    /// than one media range applies to a given type, the most specific reference has precedence";
    /// 0 when no range applies (not acceptable).
    /// </summary>
    public static double Quality(IList<MediaTypeHeaderValue> accept, string mediaType)
    {
        var type = mediaType[..mediaType.IndexOf('/')];
        double? exact = null, subtypes = null, any = null;
        foreach (var range in accept)
        {
            var q = range.Quality ?? 1;
            if (range.MatchesAllTypes) { any = Math.Max(any ?? 0, q); }
            else if (range.MatchesAllSubTypes && range.Type.Equals(type, StringComparison.OrdinalIgnoreCase)) { subtypes = Math.Max(subtypes ?? 0, q); }
            else if (range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)) { exact = Math.Max(exact ?? 0, q); }
        }
        return exact ?? subtypes ?? any ?? 0;
    }
}
