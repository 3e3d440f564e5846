namespace Requapass.Badges.Api.Infrastructure;

/// <summary>Names several features share: CORS policies and headers.</summary>
public static class HttpNames
{
    /// <summary>The public documents and images: any origin, GET and HEAD, ETag exposed.</summary>
    public const string PublicCors = "public-read";

    /// <summary>The verifier: any origin, POST, no credentials.</summary>
    public const string VerifyCors = "public-verify";

    /// <summary>draft-ietf-httpapi-idempotency-key-header: retries of an award or a batch are safe.</summary>
    public const string IdempotencyKey = "Idempotency-Key";
}
