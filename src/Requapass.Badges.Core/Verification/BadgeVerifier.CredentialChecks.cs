using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;
using VerificationType = Requapass.Badges.Core.OpenBadges.VerificationType;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// The checks of an Open Badges 3.0 credential's content (ob_v3p0 verification.md, "OpenBadgeCredential
/// Verification"): its status (1EdTechRevocationList), its validity window and its recipient.
/// </summary>
public sealed partial class BadgeVerifier
{
    /// <summary>
    /// verification.md, "Check the status": revoked when a credentialStatus of type 1EdTechRevocationList names
    /// the credential (1EdTech Revocation List Status Method: the list's revokedCredentials, each with an id).
    /// </summary>
    private async Task CheckCredentialStatusAsync(JsonElement credential)
    {
        var id = ObValues.String(credential, "id");
        var statuses = credential.TryGetProperty("credentialStatus", out var cs) ? Items(cs).Where(s => ObValues.HasType(s, CredentialStatus.RevocationListType)).ToList() : [];
        if (statuses.Count == 0)
        {
            _report.Pass("revocation", "The credential has no 1EdTechRevocationList status, so nothing revokes it.");
            return;
        }
        foreach (var status in statuses)
        {
            var list = ObValues.String(status, "id");
            if (list is null || !ObValues.IsHttpUrl(list))
            {
                _report.Fail("revocation", "The credential's revocation list is not an http(s) URL; its status cannot be checked.");
                return;
            }
            var found = id is null ? null : await _source.TryCheckRevokedAsync(new Uri(list), id, _ct);
            if (found is null)
            {
                var answer = await _source.GetAsync(new Uri(list), JsonAccept, _ct);
                if (!answer.Ok || answer.Status != 200 || ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json)
                {
                    _report.Fail("revocation", $"The credential's revocation list {list} could not be read ({(answer.Ok ? $"HTTP {answer.Status}" : answer.Message)}).");
                    return;
                }
                found = new RevocationAnswer(false, null);
                if (json.TryGetProperty("revokedCredentials", out var entries))
                {
                    foreach (var entry in Items(entries))
                    {
                        var entryId = entry.ValueKind == JsonValueKind.String ? entry.GetString() : ObValues.String(entry, "id");
                        if (id is not null && entryId == id) { found = new RevocationAnswer(true, ObValues.String(entry, "revocationReason")); break; }
                    }
                }
            }
            if (found.Revoked)
            {
                _report.Revoked = true;
                _report.RevocationReason = found.Reason;
                _report.Fail("revocation", "The issuer's revocation list names this credential: it is revoked." + (found.Reason is { } reason ? $" Reason: {reason}" : ""));
                return;
            }
        }
        _report.Pass("revocation", "The issuer's revocation list does not name this credential.");
    }

    /// <summary>verification.md, "Check the status": not before validFrom, not after validUntil (issuanceDate and expirationDate for VC 1.1).</summary>
    private void CheckCredentialTimes(JsonElement credential)
    {
        var fromName = ObValues.String(credential, "validFrom") is not null ? "validFrom" : "issuanceDate";
        if (Date(credential, fromName) is { } from)
        {
            _report.Check("time.validFrom", from <= _now + ClockSkew, $"{fromName} has passed: the credential is valid from then.", $"{fromName} ({ObValues.String(credential, fromName)}) is in the future: not valid yet.");
        }
        else
        {
            _report.Fail("time.validFrom", "The credential has no validFrom date-time with a time zone.");
        }
        var untilName = ObValues.String(credential, "validUntil") is not null ? "validUntil" : "expirationDate";
        if (Date(credential, untilName) is { } until)
        {
            if (until <= _now) { _report.Expired = true; }
            _report.Check("time.validUntil", until > _now, "The credential has not expired.", $"The credential expired on {ObValues.String(credential, untilName)}.");
        }
    }

    /// <summary>
    /// verification.md, "Verify the Recipient Using an Identifier": the known value against credentialSubject.id,
    /// then against each IdentityObject of a type it can be (hashed: sha256$ of the value and the salt).
    /// </summary>
    private void CheckCredentialRecipient(JsonElement credential)
    {
        if (_recipient is null) { return; }
        var subject = credential.TryGetProperty("credentialSubject", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        if (ObValues.String(subject, "id") is { } subjectId && subjectId == _recipient.Trim())
        {
            Recipient(true, "The credential's subject id is the value given.");
            return;
        }
        var identifiers = subject.ValueKind == JsonValueKind.Object && subject.TryGetProperty("identifier", out var ids) ? Items(ids).ToList() : [];
        foreach (var identifier in identifiers)
        {
            var type = ObValues.String(identifier, "identityType") switch
            {
                "emailAddress" => (Recipients.RecipientType?)Recipients.RecipientType.Email,
                "phoneNumber" => Recipients.RecipientType.Telephone,
                "url" or "identifier" => Recipients.RecipientType.Url,
                _ => null,
            };
            var hash = ObValues.String(identifier, "identityHash");
            if (hash is null) { continue; }
            var candidates = new List<string> { _recipient.Trim() };
            if (type is not null && Recipients.RecipientNormalizer.Normalize(type.Value, _recipient).Identity is { } normalized) { candidates.Insert(0, normalized.Normalized); }
            var hashed = identifier.TryGetProperty("hashed", out var h) && h.ValueKind == JsonValueKind.True;
            var salt = ObValues.String(identifier, "salt") ?? "";
            if (hashed ? candidates.Any(c => HashIdentity(hash.ToLowerInvariant(), c + salt) == hash.ToLowerInvariant()) : candidates.Contains(hash))
            {
                Recipient(true, $"The credential was awarded to this {ObValues.String(identifier, "identityType")}.");
                return;
            }
        }
        Recipient(false, identifiers.Count == 0 && ObValues.String(subject, "id") is null
            ? "The credential has no readable recipient to compare with."
            : "The credential was not awarded to this recipient.");
    }
}
