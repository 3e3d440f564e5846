using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// A hosted Open Badges document: <c>application/ld+json</c> (or <c>application/json</c> when that is
/// what the client asks for), with a strong ETag over the exact bytes and If-None-Match support.
/// The bytes are serialised by Core, once.
/// </summary>
/// <remarks><paramref name="contentType"/>: a fixed media type instead (a JWK is <c>application/jwk+json</c>, RFC 7517 section 8.5).</remarks>
public sealed class JsonLdDocument<T>(T? document, int statusCode = StatusCodes.Status200OK, byte[]? body = null, string? contentType = null, string? etag = null) : IResult, IEndpointMetadataProvider
{
    public const string LdJson = "application/ld+json";

    /// <summary>A document already serialised, served byte for byte (a signed assertion's JWS payload).</summary>
    public static JsonLdDocument<T> Raw(byte[] json) => new(default, StatusCodes.Status200OK, json);

    /// <summary>A document served from a finished answer: its bytes and their ETag, computed once.</summary>
    public static JsonLdDocument<T> Kept(DocumentAnswer answer) => new(default, answer.Status, answer.Body, etag: answer.ETag);

    public async Task ExecuteAsync(HttpContext http)
    {
        body ??= ObJson.ToUtf8(document);
        etag ??= ETags.For(body);
        var headers = http.Response.Headers;
        headers.ETag = etag;
        // Cacheable, but revalidated each time: a revocation must show at once (ARCHITECTURE.md, Serve).
        headers.CacheControl = "public, no-cache";
        headers.Vary = "Accept";
        if (statusCode == StatusCodes.Status200OK && ETags.Matches(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = contentType ?? (PrefersPlainJson(http.Request) ? "application/json; charset=utf-8" : LdJson + "; charset=utf-8");
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    private static bool PrefersPlainJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0) { return false; }
        var ld = accept.Where(a => a.MediaType.Equals(LdJson, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return json > ld;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode: 200, typeof(T), [LdJson, "application/json"]));
    }
}

/// <summary>A signed assertion as its compact JWS (<c>application/jose</c>, RFC 7515 section 9.2.1).</summary>
public sealed class JwsDocument(string? jws, byte[]? body = null, string? etag = null) : IResult
{
    public const string MediaType = "application/jose";

    /// <summary>A JWS served from a finished answer: its bytes and their ETag, computed once.</summary>
    public static JwsDocument Kept(DocumentAnswer answer) => new(null, answer.Body, answer.ETag);

    public async Task ExecuteAsync(HttpContext http)
    {
        body ??= System.Text.Encoding.ASCII.GetBytes(jws!);
        etag ??= ETags.For(body);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "public, no-cache";
        http.Response.Headers.Vary = "Accept";
        if (ETags.Matches(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = MediaType;
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>True when the client ranks application/jose above the JSON types.</summary>
    public static bool IsPreferred(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Rank(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var jose = Rank(MediaType);
        return jose > 0 && jose >= Math.Max(Rank("application/ld+json"), Rank("application/json"));
    }
}

/// <summary>What a document route answered, as bytes ready to send again (PublicAnswerCache).</summary>
/// <param name="Kind">Which of the route's result types the bytes are.</param>
public sealed record DocumentAnswer(DocumentKind Kind, int Status, byte[] Body, string ETag) : Features.Public.ICachedAnswer
{
    public long Weight => Body.Length + ETag.Length * 2;

    public static DocumentAnswer Json<T>(DocumentKind kind, T document, int status = StatusCodes.Status200OK) =>
        Of(kind, ObJson.ToUtf8(document), status);

    public static DocumentAnswer Of(DocumentKind kind, byte[] body, int status = StatusCodes.Status200OK) => new(kind, status, body, ETags.For(body));
}

/// <summary>The kinds of document answers: a document, a revoked assertion's 410 body, a compact JWS.</summary>
public enum DocumentKind { Document, Revoked, Jws }

public static class ETags
{
    /// <summary>A strong ETag: the first 128 bits of the SHA-256 of the exact bytes sent.</summary>
    public static string For(ReadOnlySpan<byte> body) =>
        "\"" + Convert.ToBase64String(SHA256.HashData(body).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";

    /// <summary>If-None-Match (RFC 9110, section 13.1.2): weak comparison, any listed tag or *.</summary>
    public static bool Matches(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0) { return false; }
        if (!EntityTagHeaderValue.TryParseList(header, out var tags)) { return false; }
        var mine = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(mine, useStrongComparison: false));
    }
}
