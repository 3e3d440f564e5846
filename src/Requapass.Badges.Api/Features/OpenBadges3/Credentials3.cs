using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.OpenBadges3;

/// <summary>
/// An award's OB 3.0 credential as a VC-JWT, for the features that carry it rather than serve it: the baked
/// 3.0 image, the verifier's own source and the export. One request's scope (it uses that request's
/// <see cref="IssuerKeys"/>); the signing itself is <see cref="CredentialSigner"/>'s, kept per node.
/// </summary>
public sealed class Credentials3(Ob3Documents documents, CredentialSigner signer, KeyRing ring, IssuerKeys issuerKeys)
{
    /// <summary>The VC-JWT of an award that is not revoked; null when no key for its issuer is loaded here.</summary>
    public Task<string?> TokenAsync(AssertionRow row, BadgesDbContext db, CancellationToken ct) =>
        signer.TokenAsync(row, db, documents, ring, issuerKeys, ct);

    /// <summary>The key an award's credential is signed with (as /ob3 chooses it); null when none is loaded here.</summary>
    public Task<CredentialKey?> KeyAsync(string issuerPublicId, string? preferredKeyId, BadgesDbContext db, CancellationToken ct) =>
        CredentialSigner.KeyAsync(issuerPublicId, preferredKeyId, db, ring, issuerKeys, ct);

    /// <summary>The VC-JWT of a credential under <paramref name="key"/>: the same token /ob3 serves.</summary>
    public string Sign(Core.OpenBadges3.OpenBadgeCredential credential, CredentialKey key) => signer.Sign(credential, key, documents.KidUrl(key.PublicId));

    /// <summary>The documents the credential is made of.</summary>
    public Ob3Documents Documents => documents;
}
