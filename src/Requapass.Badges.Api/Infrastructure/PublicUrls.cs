using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>Builds the absolute URLs that are the Open Badges ids (ARCHITECTURE.md: one public base URL).</summary>
public sealed class PublicUrls(IOptions<ServiceOptions> options)
{
    private readonly string _base = options.Value.PublicBaseUrl.TrimEnd('/');

    public string Base => _base;
    public string Issuer(string id) => $"{_base}/public/issuers/{id}";
    public string IssuerImage(string id) => $"{_base}/public/issuers/{id}/image";
    public string Badge(string id) => $"{_base}/public/badges/{id}";
    public string BadgeTranslation(string id, string language) => $"{_base}/public/badges/{id}/translations/{language}";
    public string BadgeImage(string id) => $"{_base}/public/badges/{id}/image";
    public string BadgeCriteria(string id) => $"{_base}/public/badges/{id}/criteria";
    /// <summary>A skills map's private link: the capability token is the last segment (mailed only, never answered).</summary>
    public string SkillsMap(string token) => $"{_base}/public/skills-maps/{token}";
    /// <summary>A volunteer's private link to their own data: the capability token is the last segment (mailed only).</summary>
    public string DataAccess(string token) => $"{_base}/public/my-data/{token}";
    public string Assertion(string id) => $"{_base}/public/assertions/{id}";
    public string AssertionImage(string id) => $"{_base}/public/assertions/{id}/image";
    /// <summary>A claim campaign's page; with a multi-use code, the code in its query (the QR code's link).</summary>
    public string Claim(string campaignId, string? code = null) => $"{_base}/public/claims/{campaignId}" + (code is null ? "" : $"?code={Uri.EscapeDataString(code)}");
    public string Endorsement(string id) => $"{_base}/public/endorsements/{id}";
    public string Key(string id) => $"{_base}/public/keys/{id}";
    public string RevocationList(string issuerId) => $"{_base}/public/issuers/{issuerId}/revocations";

    // Open Badges 3.0 twins: their own ids beside the 2.0 ones (OB 3.0 Implementation Guide, "How to support
    // both OB 2.0 and OB 3.0 as an Issuer": "express the relationship between related objects using different IDs").
    public string Ob3Issuer(string id) => $"{_base}/public/issuers/{id}/ob3";
    public string Ob3Jwks(string issuerId) => $"{_base}/public/issuers/{issuerId}/ob3/jwks.json";
    public string Ob3RevocationList(string issuerId) => $"{_base}/public/issuers/{issuerId}/ob3/revocations";
    public string Ob3Achievement(string id, string? language = null) => $"{_base}/public/badges/{id}/ob3" + (language is null ? "" : $"?lang={language}");
    public string Ob3Credential(string id) => $"{_base}/public/assertions/{id}/ob3";
    /// <summary>A key as a JWK alone: the kid of every VC-JWT it signs (OB 3.0, "Dereferencing the Public Key").</summary>
    public string KeyJwk(string id) => $"{_base}/public/keys/{id}/jwk";
}
