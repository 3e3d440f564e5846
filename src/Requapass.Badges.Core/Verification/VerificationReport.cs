using System.Text.Json;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// The answer to "is this badge real, still valid, and this person's?". <see cref="Valid"/> is true
/// when no check failed; revoked and expired badges are not valid. <see cref="RecipientMatches"/> is
/// null when no recipient was asked about.
/// </summary>
public sealed record VerificationReport(
    bool Valid,
    bool Revoked,
    bool Expired,
    bool? RecipientMatches,
    VerificationType? VerificationType,
    string? RevocationReason,
    IReadOnlyList<VerificationCheck> Checks,
    JsonElement? Assertion,
    JsonElement? BadgeClass,
    JsonElement? Issuer)
{
    /// <summary>The endorsement verified, when the input was one (its issuer is <see cref="Issuer"/>).</summary>
    public JsonElement? Endorsement { get; init; }

    /// <summary>
    /// 2 for an Open Badges 2.0 badge; 3 for an Open Badges 3.0 credential, whose JSON is then
    /// <see cref="Assertion"/>, its Achievement <see cref="BadgeClass"/> and its issuer Profile <see cref="Issuer"/>.
    /// </summary>
    public int Version { get; init; } = 2;

    /// <summary>
    /// How many endorsements the badge's assertion, class and issuer list (OB 2.0 "Properties":
    /// endorsement). They say who vouches for the badge; they do not change whether it is valid.
    /// </summary>
    public int EndorsementCount { get; init; }

    /// <summary>The first <see cref="BadgeVerifier.MaxEndorsementsChecked"/> of them, each verified.</summary>
    public IReadOnlyList<EndorsementFinding> Endorsements { get; init; } = [];
}

/// <summary>
/// One endorsement of a verified badge, verified on its own (hosted copy, not revoked, issuer profile
/// and endorsed document resolve). <see cref="Of"/>: assertion, badgeclass or issuer, where it was listed.
/// </summary>
public sealed record EndorsementFinding(
    string Id, string Of, bool Valid, bool Revoked, string? Issuer, string? ClaimId, string? Comment, IReadOnlyList<VerificationCheck> Checks);

/// <summary>Collects checks and findings while a badge is verified.</summary>
internal sealed class ReportBuilder
{
    private readonly List<VerificationCheck> _checks = [];

    public bool Revoked { get; set; }
    public bool Expired { get; set; }
    public bool? RecipientMatches { get; set; }
    public VerificationType? VerificationType { get; set; }
    public string? RevocationReason { get; set; }
    public JsonElement? Assertion { get; set; }
    public JsonElement? BadgeClass { get; set; }
    public JsonElement? Issuer { get; set; }
    public JsonElement? Endorsement { get; set; }
    public int EndorsementCount { get; set; }
    public int Version { get; set; } = 2;
    public List<EndorsementFinding> Endorsements { get; } = [];

    public bool HasFailure => _checks.Exists(c => c.Status == CheckStatus.Fail);

    public void Pass(string name, string message) => _checks.Add(VerificationCheck.Passed(name, message));

    public void Fail(string name, string message) => _checks.Add(VerificationCheck.Failed(name, message));

    public void Warn(string name, string message) => _checks.Add(VerificationCheck.Warned(name, message));

    public void Check(string name, bool ok, string pass, string fail)
    {
        if (ok) { Pass(name, pass); } else { Fail(name, fail); }
    }

    public void AddRange(IEnumerable<VerificationCheck> checks) => _checks.AddRange(checks);

    public VerificationReport Build() => new(!HasFailure, Revoked, Expired, RecipientMatches, VerificationType, RevocationReason,
        _checks, Assertion, BadgeClass, Issuer)
    {
        Endorsement = Endorsement, EndorsementCount = EndorsementCount, Endorsements = Endorsements, Version = Version,
    };
}
