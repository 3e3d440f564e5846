using System.Text.Json;
using Requapass.Badges.Core.JsonLd;
using VerificationType = Requapass.Badges.Core.OpenBadges.VerificationType;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// Endorsements (OB 2.0, "Endorsement"): verified as hosted documents, as a HostedBadge assertion is
/// (OB 2.0 "HostedBadge Verification": the copy at the id is the truth, 410 Gone means revoked, the id
/// lies within the issuer's scope), then the endorser's Profile and the endorsed entity (claim.id) must
/// resolve. A badge's own endorsements are listed and each is checked in a report of its own: they say
/// who vouches for the badge and never change whether the badge itself is valid.
/// </summary>
public sealed partial class BadgeVerifier
{
    /// <summary>Endorsements of one badge verified at most (the rest are counted): each costs up to three fetches.</summary>
    public const int MaxEndorsementsChecked = 10;

    /// <summary>A verifier for one endorsement of the badge <paramref name="parent"/> verifies, sharing its resolved documents.</summary>
    private BadgeVerifier(BadgeVerifier parent) : this(parent._source, parent._now, null, parent._ct) => _resolved = parent._resolved;

    /// <summary>Verifies an endorsement given as JSON: trusted only for its id, as a hosted assertion is.</summary>
    public async Task<VerificationReport> VerifyEndorsementAsync(JsonElement endorsement)
    {
        if (endorsement.ValueKind != JsonValueKind.Object)
        {
            _report.Fail("input.endorsement", "The endorsement must be a JSON object.");
            return _report.Build();
        }
        var document = Normalize(endorsement, "endorsement", required: true);
        var id = ObValues.String(document, "id");
        if (id is null || !ObValues.IsHttpUrl(id))
        {
            _report.VerificationType = VerificationType.Hosted;
            _report.Endorsement = document;
            _report.AddRange(ObShape.Endorsement(document));
            _report.Fail("hosted.id", "A hosted endorsement's id must be the http(s) URL it is hosted at; this one cannot be checked against its issuer.");
            return _report.Build();
        }
        return await VerifyHostedEndorsementAsync(id, null);
    }

    /// <summary>True when a fetched document is an Endorsement (then <see cref="VerifyUrlAsync"/> verifies it as one).</summary>
    private static bool IsEndorsement(SourcedDocument answer, out string? id)
    {
        id = null;
        if (answer.Status is not (200 or 410) || ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json) { return false; }
        var document = ObContext.Normalize(json).Document;
        id = ObValues.String(document, "id");
        return ObValues.HasType(document, "Endorsement");
    }

    private async Task<VerificationReport> VerifyHostedEndorsementAsync(string id, SourcedDocument? fetched)
    {
        _report.VerificationType = VerificationType.Hosted;
        var answer = fetched ?? await _source.GetAsync(new Uri(id), JsonAccept, _ct);
        if (!answer.Ok)
        {
            _report.Fail("hosted.fetch", $"The endorsement {id} could not be fetched: {answer.Message}");
            return _report.Build();
        }
        var body = ParseJson(answer.Body);
        if (answer.Status == 410 || body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("revoked", out var r) && r.ValueKind == JsonValueKind.True)
        {
            // As a hosted assertion (OB 2.0 "Revoking Hosted Assertions"): 410 Gone or revoked: true.
            _report.Revoked = true;
            if (body is { ValueKind: JsonValueKind.Object } gone)
            {
                var document = Normalize(gone, "endorsement", required: false);
                _report.Endorsement = document;
                _report.RevocationReason = ObValues.String(document, "revocationReason");
            }
            _report.Fail("revocation", "The endorser revoked this endorsement." + (_report.RevocationReason is { } reason ? $" Reason: {reason}" : ""));
            return _report.Build();
        }
        if (answer.Status != 200 || body is not { ValueKind: JsonValueKind.Object } json)
        {
            _report.Fail("hosted.fetch", $"The endorsement {id} answered HTTP {answer.Status}, not 200 with a JSON object.");
            return _report.Build();
        }
        var endorsement = Normalize(json, "endorsement", required: true);
        _report.Endorsement = endorsement;
        _report.AddRange(ObShape.Endorsement(endorsement));
        var hostedId = ObValues.String(endorsement, "id");
        _report.Check("hosted.id", hostedId == id, $"The document hosted at {id} has that id.",
            $"The document hosted at {id} declares another id ({hostedId ?? "none"}).");
        _report.Check("hosted.verification", endorsement.TryGetProperty("verification", out var verification) && ObValues.HasType(verification, "HostedBadge"),
            "The endorsement declares hosted verification.", "This verifier checks hosted endorsements: the endorsement does not declare verification type HostedBadge (hosted).");
        // OB 2.0 "Endorsement": issuer is the endorser's Profile; as for an assertion, the hosted copy
        // must lie within that issuer's scope.
        var issuer = await ResolveLinkAsync(endorsement, "issuer", "issuer", "Profile");
        if (issuer is not null)
        {
            if (issuer.Fetched) { _report.AddRange(ObShape.Profile(issuer.Document)); }
            _report.Issuer = issuer.Document;
            CheckHostedScope(id, issuer.Document, "endorsement");
        }
        else { _report.Fail("endorsement.issuer", "The endorser's profile does not resolve."); }
        await CheckClaimAsync(endorsement, id);
        if (Date(endorsement, "issuedOn") is { } issuedOn)
        {
            _report.Check("time.issuedOn", issuedOn <= _now + ClockSkew, "issuedOn is not in the future.",
                $"issuedOn ({ObValues.String(endorsement, "issuedOn")}) is in the future.");
        }
        return _report.Build();
    }

    /// <summary>The endorsed entity (claim.id) must resolve to a Profile, BadgeClass or Assertion that is not revoked.</summary>
    private async Task CheckClaimAsync(JsonElement endorsement, string endorsementId)
    {
        var claimId = endorsement.TryGetProperty("claim", out var claim) && claim.ValueKind == JsonValueKind.Object ? ObValues.String(claim, "id") : null;
        // A signed assertion's id is a urn:uuid (OB 2.0, "SignedBadge"): nothing to fetch. The endorsement
        // stands on its own checks; the badge it names is verified with the badge itself.
        if (claimId is not null && claimId.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(claimId[9..], out _))
        {
            _report.Warn("endorsement.claim", $"The endorsed entity {claimId} is a signed assertion, named by its urn:uuid: it cannot be fetched; verify the badge itself.");
            return;
        }
        if (claimId is null || !ObValues.IsHttpUrl(claimId))
        {
            _report.Fail("endorsement.claim", "The endorsed entity (claim.id) is not an http(s) URL that can be fetched.");
            return;
        }
        var target = await FetchDocumentAsync(claimId, "claim", "endorsed document");
        if (target is null)
        {
            _report.Fail("endorsement.claim", $"The endorsed document {claimId} does not resolve (or was revoked).");
            return;
        }
        _report.Check("endorsement.claim", ObValues.HasType(target.Document, "Assertion", "BadgeClass", "Issuer", "Profile"),
            $"The endorsed document {claimId} resolves to an Open Badges Profile, BadgeClass or Assertion.",
            $"The endorsed document {claimId} is not a Profile, BadgeClass or Assertion.");
        // OB 2.0 "Properties", endorsement: a two-way link is not always possible, so only a warning.
        var listed = target.Document.TryGetProperty("endorsement", out var list) && Items(list)
            .Any(e => (e.ValueKind == JsonValueKind.String ? e.GetString() : e.ValueKind == JsonValueKind.Object ? ObValues.String(e, "id") : null) == endorsementId);
        if (listed) { _report.Pass("endorsement.listed", "The endorsed document lists this endorsement."); }
        else { _report.Warn("endorsement.listed", "The endorsed document does not list this endorsement (a two-way link is optional)."); }
    }

    /// <summary>
    /// Counts the endorsements the assertion, its class and its issuer list, and verifies the first
    /// <see cref="MaxEndorsementsChecked"/> of them, each in a report of its own.
    /// </summary>
    private async Task CheckEndorsementsAsync()
    {
        var listed = new List<(string Id, string Of)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, of) in new[] { (_report.Assertion, "assertion"), (_report.BadgeClass, "badgeclass"), (_report.Issuer, "issuer") })
        {
            if (node is not { ValueKind: JsonValueKind.Object } n || !n.TryGetProperty("endorsement", out var list)) { continue; }
            foreach (var item in Items(list))
            {
                var id = item.ValueKind == JsonValueKind.String ? item.GetString() : item.ValueKind == JsonValueKind.Object ? ObValues.String(item, "id") : null;
                if (id is not null && seen.Add(id)) { listed.Add((id, of)); }
            }
        }
        _report.EndorsementCount = listed.Count;
        foreach (var (id, of) in listed.Take(MaxEndorsementsChecked))
        {
            var verifier = new BadgeVerifier(this);
            var report = ObValues.IsHttpUrl(id) ? await verifier.VerifyHostedEndorsementAsync(id, null)
                : verifier.NotFetchable(id);
            var claim = report.Endorsement is { } e && e.TryGetProperty("claim", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            _report.Endorsements.Add(new EndorsementFinding(id, of, report.Valid, report.Revoked,
                report.Issuer is { } issuer ? ObValues.String(issuer, "id") : null,
                claim.ValueKind == JsonValueKind.Object ? ObValues.String(claim, "id") : null,
                claim.ValueKind == JsonValueKind.Object ? ObValues.String(claim, "endorsementComment") : null,
                report.Checks));
        }
        if (listed.Count > 0)
        {
            var valid = _report.Endorsements.Count(f => f.Valid);
            var message = $"{listed.Count} endorsement(s) listed, {_report.Endorsements.Count} checked, {valid} valid.";
            if (valid == _report.Endorsements.Count) { _report.Pass("endorsements", message); } else { _report.Warn("endorsements", message); }
        }
    }

    private VerificationReport NotFetchable(string id)
    {
        _report.Fail("hosted.id", $"The endorsement {id} is not an http(s) URL this verifier can fetch.");
        return _report.Build();
    }
}
