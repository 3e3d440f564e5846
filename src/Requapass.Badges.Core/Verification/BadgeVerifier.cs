using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Signing;
using VerificationType = Requapass.Badges.Core.OpenBadges.VerificationType;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// Verifies one Open Badges 2.0 badge, ours or foreign, following the specification's "Data
/// Validation" and "Verification" sections: the assertion and the badge class and issuer it links to
/// are resolved and checked, then the hosted copy (HostedBadge) or the signature and revocation list
/// (SignedBadge), the dates and, when asked, the recipient. Every finding is a named check in the
/// report; a badge that fails is a report with <c>Valid = false</c>, never an exception.
/// One instance per verification: it memoises the documents it resolves.
/// </summary>
public sealed partial class BadgeVerifier
{
    /// <summary>Clock skew tolerated before an issuedOn counts as "in the future".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private const string JsonAccept = "application/ld+json, application/json;q=0.9, */*;q=0.1";
    private readonly IDocumentSource _source;
    private readonly DateTimeOffset _now;
    private readonly string? _recipient;
    private readonly CancellationToken _ct;
    private readonly ReportBuilder _report = new();
    private readonly Dictionary<string, Task<Resolved?>> _resolved = new(StringComparer.Ordinal);

    /// <summary>Creates a verifier for one badge.</summary>
    /// <param name="source">Where linked documents come from (our database, or the guarded fetcher).</param>
    /// <param name="now">The time the badge is judged at.</param>
    /// <param name="recipient">An email, URL or telephone to compare with the badge's recipient; null to not ask.</param>
    /// <param name="ct">Cancels the verification.</param>
    public BadgeVerifier(IDocumentSource source, DateTimeOffset now, string? recipient = null, CancellationToken ct = default) =>
        (_source, _now, _recipient, _ct) = (source, now, string.IsNullOrWhiteSpace(recipient) ? null : recipient, ct);

    /// <summary>
    /// Verifies what an image carries: an OB 3.0 credential (<see cref="UnbakeResult.Version"/> 3: a VC-JWT or
    /// its JSON, OB 3.0 docformat.md "Baked Badge") or an OB 2.0 payload.
    /// </summary>
    public Task<VerificationReport> VerifyBakedAsync(UnbakeResult baked)
    {
        ArgumentNullException.ThrowIfNull(baked);
        return baked.Version == 3 ? VerifyCredentialAsync(baked.Payload!) : VerifyPayloadAsync(baked.Payload!);
    }

    /// <summary>Extracts the baked payload of a PNG or SVG; a failure says why (OB 2.0 "Baking").</summary>
    public static UnbakeResult Unbake(ReadOnlySpan<byte> image) => ImageSniffer.Detect(image) switch
    {
        ImageKind.Png => PngBaker.Unbake(image),
        ImageKind.Svg => SvgBaker.Unbake(image),
        _ => UnbakeResult.Error(ImageCheck.Fail("image.unknown", "The file is neither a PNG nor an SVG.")),
    };

    /// <summary>
    /// Verifies what was baked into an image: a JSON assertion, a compact JWS, or the URL of a hosted
    /// assertion (OB 2.0 Baking: the three forms a baked payload takes).
    /// </summary>
    public async Task<VerificationReport> VerifyPayloadAsync(string payload)
    {
        var text = payload.Trim();
        if (text.StartsWith('{'))
        {
            var json = ParseJson(Encoding.UTF8.GetBytes(text));
            if (json is null)
            {
                _report.Fail("input.payload", "The baked payload starts like JSON but does not parse.");
                return _report.Build();
            }
            return await VerifyAssertionAsync(json.Value);
        }
        if (LooksLikeJws(text)) { return await VerifyJwsAsync(text); }
        if (ObValues.IsHttpUrl(text)) { return await VerifyUrlAsync(text); }
        _report.Fail("input.payload", "The baked payload is neither an assertion (JSON), a JWS nor an http(s) URL.");
        return _report.Build();
    }

    /// <summary>Verifies the badge at <paramref name="url"/>: a hosted assertion, or a JWS served there; or the Endorsement hosted there.</summary>
    public async Task<VerificationReport> VerifyUrlAsync(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !ObValues.IsHttpUrl(url))
        {
            _report.Fail("input.url", "The url must be an absolute http or https URL.");
            return _report.Build();
        }
        var answer = await _source.GetAsync(uri, JsonAccept + ", application/jose;q=0.8", _ct);
        if (!answer.Ok)
        {
            _report.VerificationType = VerificationType.Hosted;
            _report.Fail("hosted.fetch", $"{url} could not be fetched: {answer.Message}");
            return _report.Build();
        }
        if (IsEndorsement(answer, out var endorsementId))
        {
            // An Endorsement is verified as one; the URL given is trusted only to find its id (as for a hosted assertion).
            return endorsementId is not null && ObValues.IsHttpUrl(endorsementId) && endorsementId != url && endorsementId != uri.AbsoluteUri && answer.Status == 200
                ? await VerifyHostedEndorsementAsync(endorsementId, null)
                : await VerifyHostedEndorsementAsync(url, answer);
        }
        if (answer.Status == 200 && answer.Body is { } body && Encoding.UTF8.GetString(body).Trim() is var text && LooksLikeJws(text))
        {
            return await VerifyJwsAsync(text);
        }
        if (answer.Status == 200 && ParseJson(answer.Body) is { } json && json.ValueKind == JsonValueKind.Object)
        {
            // An OB 3.0 credential's URL (docformat.md, "Web Resource"): verified as a credential.
            if (IsCredential(json)) { return await VerifyCredentialJsonAsync(json); }
            var document = Normalize(json, "assertion", required: true);
            if (IsSigned(document))
            {
                // A signed assertion's JSON proves nothing without its signature: ask the same URL for
                // the JWS (our own service answers application/jose).
                var jws = await _source.GetAsync(uri, "application/jose", _ct);
                var jwsText = jws.Ok && jws.Status == 200 && jws.Body is not null ? Encoding.UTF8.GetString(jws.Body).Trim() : null;
                if (jwsText is not null && LooksLikeJws(jwsText)) { return await VerifyJwsAsync(jwsText); }
                return SignedWithoutJws(document);
            }
            var id = ObValues.String(document, "id");
            // OB 2.0 HostedBadge: the document at the assertion's id is the source of truth. When the
            // URL given is that id, what was fetched is it; otherwise fetch the id.
            if (id == url || id == uri.AbsoluteUri) { return await VerifyHostedAsync(id, answer); }
            if (id is not null && ObValues.IsHttpUrl(id)) { return await VerifyHostedAsync(id, null); }
        }
        return await VerifyHostedAsync(url, answer);
    }

    /// <summary>
    /// Verifies an assertion given as JSON. A hosted one is trusted only for its id: the hosted copy
    /// is fetched and checked instead (OB 2.0 "HostedBadge Verification"). A signed one cannot be
    /// verified without its JWS.
    /// </summary>
    public async Task<VerificationReport> VerifyAssertionAsync(JsonElement assertion)
    {
        // An OB 3.0 credential given where a 2.0 assertion may be: verified as one (verification.md).
        if (IsCredential(assertion)) { return await VerifyCredentialJsonAsync(assertion); }
        if (assertion.ValueKind != JsonValueKind.Object)
        {
            _report.Fail("input.assertion", "The assertion must be a JSON object.");
            return _report.Build();
        }
        var document = Normalize(assertion, "assertion", required: true);
        if (IsSigned(document)) { return SignedWithoutJws(document); }
        var id = ObValues.String(document, "id");
        if (id is null || !ObValues.IsHttpUrl(id))
        {
            _report.VerificationType = VerificationType.Hosted;
            _report.Assertion = document;
            _report.AddRange(ObShape.Assertion(document));
            _report.Fail("hosted.id", "A hosted assertion's id must be the http(s) URL it is hosted at; this one cannot be checked against its issuer.");
            return _report.Build();
        }
        return await VerifyHostedAsync(id, null);
    }

    /// <summary>Verifies a signed badge from its compact JWS (OB 2.0 "SignedBadge Verification").</summary>
    public async Task<VerificationReport> VerifyJwsAsync(string jws)
    {
        if (IsCredentialJwt(jws)) { return await VerifyCredentialJwtAsync(jws.Trim()); }
        _report.VerificationType = VerificationType.Signed;
        var parsed = Jws.Parse(jws);
        if (!parsed.Ok)
        {
            _report.Fail("signed.jws", parsed.Message);
            return _report.Build();
        }
        _report.Pass("signed.jws", "The JWS is well formed and its payload is a JSON object.");
        _report.Check("signed.alg", parsed.Algorithm is "RS256" or "RS384" or "RS512", $"The JWS is signed with {parsed.Algorithm}.",
            $"The JWS algorithm \"{parsed.Algorithm}\" is not allowed: only RS256, RS384 and RS512 are (never \"none\").");
        // Step 1 and 2: the payload is the assertion (Jws.Parse refused a payload that is not a JSON object).
        var document = Normalize(ParseJson(Encoding.UTF8.GetBytes(parsed.PayloadJson!))!.Value, "assertion", required: true);
        _report.Assertion = document;
        var verification = document.TryGetProperty("verification", out var v) ? v : default;
        _report.Check("signed.verification", ObValues.HasType(verification, "SignedBadge"),
            "The assertion declares SignedBadge verification.", "A JWS-wrapped assertion must declare verification type SignedBadge.");
        // Step 3: data validation of the assertion and the badge class and issuer it links to.
        var (_, issuer) = await ResolveAndCheckAsync(document);
        if (issuer is null)
        {
            _report.Fail("signed.key", "Without the issuer's profile no key can be trusted (step 4): the signature is not checked.");
        }
        else
        {
            await VerifySignatureAsync(parsed, document, issuer.Value);
            await CheckRevocationListAsync(document, issuer.Value);
        }
        CheckTimes(document);
        CheckRecipient(document);
        await CheckEndorsementsAsync();
        return _report.Build();
    }

    private async Task<VerificationReport> VerifyHostedAsync(string id, SourcedDocument? fetched)
    {
        _report.VerificationType = VerificationType.Hosted;
        var answer = fetched ?? await _source.GetAsync(new Uri(id), JsonAccept, _ct);
        if (!answer.Ok)
        {
            _report.Fail("hosted.fetch", $"The hosted assertion {id} could not be fetched: {answer.Message}");
            return _report.Build();
        }
        var body = ParseJson(answer.Body);
        if (answer.Status == 410)
        {
            // OB 2.0 "Revoking Hosted Assertions": 410 Gone means revoked, with or without a body.
            _report.Revoked = true;
            if (body is { ValueKind: JsonValueKind.Object } gone)
            {
                var document = Normalize(gone, "assertion", required: false);
                _report.Assertion = document;
                _report.RevocationReason = ObValues.String(document, "revocationReason");
            }
            _report.Fail("revocation", "The issuer answers 410 Gone for this assertion: it is revoked."
                + (_report.RevocationReason is { } reason ? $" Reason: {reason}" : ""));
            return _report.Build();
        }
        if (answer.Status != 200)
        {
            _report.Fail("hosted.fetch", $"The hosted assertion {id} answered HTTP {answer.Status}, not 200.");
            return _report.Build();
        }
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            _report.Fail("hosted.fetch", $"The hosted assertion {id} is not a JSON object.");
            return _report.Build();
        }
        var assertion = Normalize(json, "assertion", required: true);
        _report.Assertion = assertion;
        if (assertion.TryGetProperty("revoked", out var revoked) && revoked.ValueKind == JsonValueKind.True)
        {
            _report.Revoked = true;
            _report.RevocationReason = ObValues.String(assertion, "revocationReason");
            _report.Fail("revocation", "The hosted assertion says revoked: true." + (_report.RevocationReason is { } reason ? $" Reason: {reason}" : ""));
            return _report.Build();
        }
        var hostedId = ObValues.String(assertion, "id");
        _report.Check("hosted.id", hostedId == id, $"The document hosted at {id} has that id.",
            $"The document hosted at {id} declares another id ({hostedId ?? "none"}).");
        _report.Check("hosted.verification", assertion.TryGetProperty("verification", out var verification) && ObValues.HasType(verification, "HostedBadge"),
            "The assertion declares HostedBadge verification.", "The hosted assertion does not declare verification type HostedBadge.");
        var (_, issuer) = await ResolveAndCheckAsync(assertion);
        if (issuer is not null) { CheckHostedScope(id, issuer.Value); }
        CheckTimes(assertion);
        CheckRecipient(assertion);
        await CheckEndorsementsAsync();
        return _report.Build();
    }

    private VerificationReport SignedWithoutJws(JsonElement document)
    {
        _report.VerificationType = VerificationType.Signed;
        _report.Assertion = document;
        _report.AddRange(ObShape.Assertion(document));
        _report.Fail("signed.jws", "This assertion declares SignedBadge verification but came without its signature: send the JWS, or the baked image, to verify it.");
        return _report.Build();
    }
}
