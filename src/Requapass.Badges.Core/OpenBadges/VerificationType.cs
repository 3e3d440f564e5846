namespace Requapass.Badges.Core.OpenBadges;

/// <summary>How a badge is verified (Open Badges 2.0, "VerificationObject"): at its hosted URL, or by its signature.</summary>
public enum VerificationType
{
    /// <summary>HostedBadge: the assertion's id is its URL; the copy there is the truth.</summary>
    Hosted,
    /// <summary>SignedBadge: the assertion is a compact JWS, verified with the issuer's published key.</summary>
    Signed,
}

/// <summary>The names the API, the stores and the documents use for <see cref="VerificationType"/>.</summary>
public static class VerificationTypes
{
    /// <summary>"hosted" or "signed".</summary>
    public static string Name(this VerificationType type) => type == VerificationType.Signed ? "signed" : "hosted";

    /// <summary>Reads "hosted" or "signed" (as the API and the stores write them); null for anything else.</summary>
    public static VerificationType? Parse(string? name) => name switch
    {
        "hosted" => VerificationType.Hosted,
        "signed" => VerificationType.Signed,
        _ => null,
    };

    /// <summary>The Open Badges id of an assertion: its URL when hosted, urn:uuid when signed (OB 2.0, "SignedBadge").</summary>
    public static string OpenBadgesId(VerificationType type, string? uuid, string hostedUrl) =>
        type == VerificationType.Signed ? "urn:uuid:" + uuid : hostedUrl;
}
