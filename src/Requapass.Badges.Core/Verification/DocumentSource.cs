using Requapass.Badges.Core.JsonLd;
using Requapass.Badges.Core.Fetching;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// A document a verification asked for: an HTTP answer (any status: 410 means something), or a
/// failure with a stable code and a plain message.
/// </summary>
public sealed record SourcedDocument(bool Ok, string Code, string Message, int Status = 0, byte[]? Body = null, string? ContentType = null)
{
    /// <summary>
    /// The body as the verifier read it (parsed, terms normalised), kept with the document so that a
    /// source that reuses documents (our own, cached) is not parsed again. Set once; a race only
    /// computes the same value twice.
    /// </summary>
    internal NormalizedDocument? Read { get; set; }

    /// <summary>A failure or refusal.</summary>
    public static SourcedDocument Fail(string code, string message) => new(false, code, message);

    /// <summary>A document answered with <paramref name="status"/>.</summary>
    public static SourcedDocument Answer(int status, byte[]? body, string? contentType = "application/ld+json") =>
        new(true, "ok", $"HTTP {status}.", status, body, contentType);
}

/// <summary>Whether an assertion is on its issuer's revocation list, and why.</summary>
public sealed record RevocationAnswer(bool Revoked, string? Reason);

/// <summary>Where a verification gets the documents a badge links to. One instance per verification.</summary>
public interface IDocumentSource
{
    /// <summary>The document at <paramref name="url"/>; <paramref name="accept"/> overrides the Accept header.</summary>
    Task<SourcedDocument> GetAsync(Uri url, string? accept, CancellationToken ct);

    /// <summary>
    /// Answers "does the revocation list at <paramref name="revocationList"/> name this assertion?"
    /// without reading the whole list, when the source can (our own issuers: one indexed query);
    /// null means "fetch the list and look".
    /// </summary>
    ValueTask<RevocationAnswer?> TryCheckRevokedAsync(Uri revocationList, string assertionId, CancellationToken ct) => ValueTask.FromResult<RevocationAnswer?>(null);

    /// <summary>
    /// True when the source knows <paramref name="keyId"/> to be one of <paramref name="issuer"/>'s keys
    /// even though the profile's publicKey names only its current one (our own issuers after a key
    /// rotation); null when it cannot say, and the profile alone decides.
    /// </summary>
    ValueTask<bool?> IsIssuerKeyAsync(Uri issuer, string keyId, CancellationToken ct) => ValueTask.FromResult<bool?>(null);
}

/// <summary>Foreign documents through the guarded fetcher, within one verification's fetch budget.</summary>
public sealed class FetchingDocumentSource(GuardedFetcher fetcher) : IDocumentSource
{
    private readonly FetchSession _session = fetcher.NewSession();

    /// <inheritdoc/>
    public async Task<SourcedDocument> GetAsync(Uri url, string? accept, CancellationToken ct)
    {
        var result = await fetcher.FetchAsync(url, _session, ct, accept);
        return result.Ok
            ? new SourcedDocument(true, "ok", result.Message, result.StatusCode ?? 0, result.Body, result.ContentType)
            : SourcedDocument.Fail(result.Code, result.Message);
    }
}
