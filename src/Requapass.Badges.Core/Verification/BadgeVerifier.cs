using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.JsonLd;
using Requapass.Badges.Core.Recipients;
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
public sealed class BadgeVerifier
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

    /// <summary>Verifies the badge at <paramref name="url"/>: a hosted assertion, or a JWS served there.</summary>
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
        if (answer.Status == 200 && answer.Body is { } body && Encoding.UTF8.GetString(body).Trim() is var text && LooksLikeJws(text))
        {
            return await VerifyJwsAsync(text);
        }
        if (answer.Status == 200 && ParseJson(answer.Body) is { } json && json.ValueKind == JsonValueKind.Object)
        {
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

    /// <summary>Shape of the assertion; resolves, checks and reports its badge class and issuer.</summary>
    private async Task<(JsonElement? BadgeClass, JsonElement? Issuer)> ResolveAndCheckAsync(JsonElement assertion)
    {
        _report.AddRange(ObShape.Assertion(assertion));
        var badge = await ResolveLinkAsync(assertion, "badge", "badgeclass", "BadgeClass");
        if (badge is null) { return (null, null); }
        if (badge.Fetched) { _report.AddRange(ObShape.BadgeClass(badge.Document, embedded: true)); }
        _report.BadgeClass = badge.Document;
        var issuer = await ResolveLinkAsync(badge.Document, "issuer", "issuer", "Profile");
        if (issuer is null) { return (badge.Document, null); }
        if (issuer.Fetched) { _report.AddRange(ObShape.Profile(issuer.Document)); }
        _report.Issuer = issuer.Document;
        return (badge.Document, issuer.Document);
    }

    /// <summary>
    /// The object a property links to. An IRI is fetched. An embedded object with an http(s) id is
    /// fetched as well and the fetched copy used, as the official validator does: an embedded copy is
    /// the badge holder's word, the hosted one the issuer's (so an embedded issuer cannot bring its
    /// own publicKey). Other embedded objects are used as they are.
    /// </summary>
    private async Task<Resolved?> ResolveLinkAsync(JsonElement node, string property, string name, string label)
    {
        if (!node.TryGetProperty(property, out var value))
        {
            return null; // the shape checks already said it is missing
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var embeddedId = ObValues.String(value, "id");
            if (embeddedId is null || !ObValues.IsHttpUrl(embeddedId))
            {
                if (embeddedId is null) { _report.Warn($"{name}.id", $"The embedded {label} has no id."); }
                return new Resolved(value, Fetched: false);
            }
            return await FetchDocumentAsync(embeddedId, name, label);
        }
        if (value.ValueKind == JsonValueKind.String && ObValues.IsHttpUrl(value.GetString()))
        {
            return await FetchDocumentAsync(value.GetString()!, name, label);
        }
        _report.Fail($"{name}.fetch", $"The {label} is neither an embedded object nor an http(s) URL that can be fetched.");
        return null;
    }

    private Task<Resolved?> FetchDocumentAsync(string url, string name, string label)
    {
        if (!_resolved.TryGetValue(url, out var task))
        {
            task = FetchDocumentCoreAsync(url, name, label);
            _resolved[url] = task;
        }
        return task;
    }

    private async Task<Resolved?> FetchDocumentCoreAsync(string url, string name, string label)
    {
        var answer = await _source.GetAsync(new Uri(url), JsonAccept, _ct);
        if (!answer.Ok)
        {
            _report.Fail($"{name}.fetch", $"The {label} {url} could not be fetched: {answer.Message}");
            return null;
        }
        if (answer.Status != 200)
        {
            _report.Fail($"{name}.fetch", $"The {label} {url} answered HTTP {answer.Status}, not 200.");
            return null;
        }
        var read = answer.Read;
        if (read is null)
        {
            if (ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json)
            {
                _report.Fail($"{name}.fetch", $"The {label} {url} is not a JSON object.");
                return null;
            }
            answer.Read = read = ObContext.Normalize(json);
        }
        var document = Report(read, name, required: name is "badgeclass" or "issuer");
        var id = ObValues.String(document, "id");
        _report.Check($"{name}.id", id == url, $"The {label} fetched from {url} has that id.",
            $"The {label} fetched from {url} declares another id ({id ?? "none"}).");
        return new Resolved(document, Fetched: true);
    }

    /// <summary>
    /// OB 2.0 "HostedBadge Verification" and "VerificationObject": the assertion id must lie within the
    /// issuer's declared scope (startsWith, allowedOrigins), by default the host of the issuer's id.
    /// </summary>
    private void CheckHostedScope(string assertionId, JsonElement issuer)
    {
        var policy = issuer.TryGetProperty("verification", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var assertionUri = new Uri(assertionId);
        if (policy.ValueKind == JsonValueKind.Object && policy.TryGetProperty("startsWith", out var startsWith))
        {
            var prefixes = Strings(startsWith);
            if (!prefixes.Any(prefix => assertionId.StartsWith(prefix, StringComparison.Ordinal)))
            {
                _report.Fail("hosted.scope", $"The assertion id does not start with any prefix the issuer allows ({string.Join(", ", prefixes)}).");
                return;
            }
        }
        var declared = policy.ValueKind == JsonValueKind.Object && policy.TryGetProperty("allowedOrigins", out var origins) ? Strings(origins) : null;
        var issuerId = ObValues.String(issuer, "id");
        if (declared is null)
        {
            if (issuerId is null || !Uri.TryCreate(issuerId, UriKind.Absolute, out var issuerUri) || !ObValues.IsHttpUrl(issuerId))
            {
                _report.Warn("hosted.scope", "The issuer's id is not an http(s) URL, so there is no origin to hold the assertion to.");
                return;
            }
            _report.Check("hosted.scope", SameAuthority(assertionUri, issuerUri.Authority),
                $"The assertion is hosted on the issuer's origin ({issuerUri.Authority}).",
                $"The assertion is hosted on {assertionUri.Authority}, not on the issuer's origin {issuerUri.Authority}, and the issuer declares no other.");
            return;
        }
        _report.Check("hosted.scope", declared.Any(origin => SameAuthority(assertionUri, origin)),
            $"The assertion is hosted on an origin the issuer allows ({assertionUri.Authority}).",
            $"The assertion is hosted on {assertionUri.Authority}, which is not among the issuer's allowedOrigins ({string.Join(", ", declared)}).");
    }

    /// <summary>An allowed origin is a host name (any port) or a host:port.</summary>
    private static bool SameAuthority(Uri uri, string origin) =>
        string.Equals(origin, uri.Authority, StringComparison.OrdinalIgnoreCase) || string.Equals(origin, uri.Host, StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin, $"{uri.Host}:{uri.Port}", StringComparison.OrdinalIgnoreCase);

    /// <summary>OB 2.0 "SignedBadge Verification", steps 4 to 6.</summary>
    private async Task VerifySignatureAsync(JwsResult jws, JsonElement assertion, JsonElement issuer)
    {
        var issuerId = ObValues.String(issuer, "id");
        var published = issuer.TryGetProperty("publicKey", out var pk) ? Items(pk).ToList() : [];
        var publishedIds = published.Select(k => k.ValueKind == JsonValueKind.String ? k.GetString() : ObValues.String(k, "id")).Where(k => k is not null).ToList();
        var verification = assertion.TryGetProperty("verification", out var v) ? v : default;
        var creator = verification.ValueKind == JsonValueKind.Object && verification.TryGetProperty("creator", out var c)
            ? c.ValueKind == JsonValueKind.String ? c.GetString() : ObValues.String(c, "id")
            : null;
        List<string?> candidates;
        if (creator is not null)
        {
            // Step 4: "Do not trust a key that is not properly linked from the issuer Profile." Our own
            // issuers also vouch for the keys they rotated away from (the source knows them).
            if (!publishedIds.Contains(creator)
                && !(issuerId is not null && Uri.TryCreate(issuerId, UriKind.Absolute, out var issuerUri)
                     && await _source.IsIssuerKeyAsync(issuerUri, creator, _ct) == true))
            {
                _report.Fail("signed.key", $"The signing key {creator} is not one the issuer's profile lists in publicKey; it is not trusted.");
                return;
            }
            candidates = [creator];
        }
        else
        {
            candidates = [.. publishedIds.Take(3)];
            if (candidates.Count == 0)
            {
                _report.Fail("signed.key", "The assertion names no creator key and the issuer's profile lists no publicKey.");
                return;
            }
        }
        string? keyProblem = null;
        string? signatureProblem = null;
        foreach (var keyId in candidates)
        {
            var key = await KeyAsync(keyId!, published);
            if (key.Error is not null) { keyProblem = key.Error; continue; }
            var owner = ObValues.String(key.Document, "owner");
            if (owner != issuerId)
            {
                keyProblem = $"The key {keyId} belongs to {owner ?? "no one"}, not to the issuer {issuerId}.";
                continue;
            }
            var rsa = PublicKey(ObValues.String(key.Document, "publicKeyPem"));
            if (rsa is null)
            {
                keyProblem = $"The key {keyId} has no usable RSA publicKeyPem.";
                continue;
            }
            // Step 6: a JWS verification with each trusted key.
            var result = Jws.Verify(jws, rsa);
            if (result.Ok)
            {
                _report.Pass("signed.key", $"The key {keyId} is listed by the issuer and owned by it.");
                if (rsa.KeySize < SigningKey.MinimumBits) { _report.Warn("signed.key_size", $"The key is {rsa.KeySize} bits; 2048 or more is expected today."); }
                _report.Pass("signed.signature", $"The signature verifies with {keyId}.");
                return;
            }
            signatureProblem = result.Code == "jws.bad_signature" ? $"The signature does not verify with the issuer's key {keyId}." : result.Message;
        }
        if (signatureProblem is not null)
        {
            _report.Pass("signed.key", "The signing key is listed by the issuer and owned by it.");
            _report.Fail("signed.signature", signatureProblem);
        }
        else
        {
            // Step 5: "If it is impossible to get a usable public key, the Assertion cannot be verified."
            _report.Fail("signed.key", keyProblem ?? "No usable key.");
        }
    }

    [ThreadStatic]
    private static Dictionary<string, RSA>? t_keys;

    /// <summary>
    /// The RSA key of a PEM, imported once per thread (an import costs several times a verification).
    /// Used synchronously on the thread that got it, never across an await.
    /// </summary>
    private static RSA? PublicKey(string? pem)
    {
        if (string.IsNullOrEmpty(pem)) { return null; }
        var keys = t_keys ??= new Dictionary<string, RSA>(StringComparer.Ordinal);
        if (keys.TryGetValue(pem, out var cached)) { return cached; }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
        if (keys.Count >= 32)
        {
            foreach (var old in keys.Values) { old.Dispose(); }
            keys.Clear();
        }
        keys[pem] = rsa;
        return rsa;
    }

    private async Task<(JsonElement Document, string? Error)> KeyAsync(string keyId, List<JsonElement> published)
    {
        // A key embedded in the issuer's own (fetched) profile is the issuer's word already.
        var embedded = published.FirstOrDefault(k => k.ValueKind == JsonValueKind.Object && ObValues.String(k, "id") == keyId && ObValues.String(k, "publicKeyPem") is not null);
        if (embedded.ValueKind == JsonValueKind.Object && ObValues.String(embedded, "owner") is not null) { return (embedded, null); }
        if (!ObValues.IsHttpUrl(keyId)) { return (default, $"The key {keyId} is not an http(s) URL and cannot be fetched."); }
        var answer = await _source.GetAsync(new Uri(keyId), JsonAccept, _ct);
        if (!answer.Ok) { return (default, $"The key {keyId} could not be fetched: {answer.Message}"); }
        if (answer.Status != 200) { return (default, $"The key {keyId} answered HTTP {answer.Status}, not 200."); }
        var read = answer.Read;
        if (read is null)
        {
            if (ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json) { return (default, $"The key {keyId} is not a JSON object."); }
            answer.Read = read = ObContext.Normalize(json);
        }
        var document = Report(read, "key", required: false);
        if (ObValues.String(document, "id") != keyId) { return (default, $"The key fetched from {keyId} declares another id."); }
        return (document, null);
    }

    /// <summary>OB 2.0 "SignedBadge Verification", step 7: the issuer's RevocationList must not name the assertion.</summary>
    private async Task CheckRevocationListAsync(JsonElement assertion, JsonElement issuer)
    {
        var list = issuer.TryGetProperty("revocationList", out var r) ? r.ValueKind == JsonValueKind.String ? r.GetString() : ObValues.String(r, "id") : null;
        if (list is null)
        {
            _report.Pass("revocation", "The issuer publishes no revocation list, so nothing revokes this badge.");
            return;
        }
        var id = ObValues.String(assertion, "id");
        var uid = ObValues.String(assertion, "uid");
        if (!ObValues.IsHttpUrl(list))
        {
            _report.Fail("revocation", $"The issuer's revocationList {list} is not an http(s) URL; revocation cannot be checked.");
            return;
        }
        RevocationAnswer? found = id is null ? null : await _source.TryCheckRevokedAsync(new Uri(list), id, _ct);
        if (found is null)
        {
            var answer = await _source.GetAsync(new Uri(list), JsonAccept, _ct);
            if (!answer.Ok || answer.Status != 200 || ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json)
            {
                // OB 2.0 "Data Validation": linked optional objects such as RevocationLists must be available.
                _report.Fail("revocation", $"The issuer's revocation list {list} could not be read ({(answer.Ok ? $"HTTP {answer.Status}" : answer.Message)}).");
                return;
            }
            var document = Normalize(json, "revocationlist", required: false);
            found = new RevocationAnswer(false, null);
            // revokedAssertions is one entry or an array of them; an entry is an id string or an object
            // with id (or, legacy, uid). A single entry counts exactly like a list of one.
            if (document.TryGetProperty("revokedAssertions", out var entries))
            {
                foreach (var entry in Items(entries))
                {
                    var matches = entry.ValueKind == JsonValueKind.String
                        ? entry.GetString() == id
                        : (id is not null && ObValues.String(entry, "id") == id) || (uid is not null && ObValues.String(entry, "uid") == uid);
                    if (matches) { found = new RevocationAnswer(true, ObValues.String(entry, "revocationReason")); break; }
                }
            }
        }
        if (found.Revoked)
        {
            _report.Revoked = true;
            _report.RevocationReason = found.Reason;
            _report.Fail("revocation", "The issuer's revocation list names this assertion: it is revoked." + (found.Reason is { } reason ? $" Reason: {reason}" : ""));
        }
        else
        {
            _report.Pass("revocation", "The issuer's revocation list does not name this assertion.");
        }
    }

    /// <summary>OB 2.0 "Verification": the assertion is not from the future and has not expired.</summary>
    private void CheckTimes(JsonElement assertion)
    {
        if (Date(assertion, "issuedOn") is { } issuedOn)
        {
            _report.Check("time.issuedOn", issuedOn <= _now + ClockSkew, "issuedOn is not in the future.",
                $"issuedOn ({ObValues.String(assertion, "issuedOn")}) is in the future.");
        }
        if (Date(assertion, "expires") is { } expires)
        {
            if (Date(assertion, "issuedOn") is { } issued && expires < issued)
            {
                _report.Fail("time.expires", "expires is earlier than issuedOn.");
            }
            else if (expires <= _now)
            {
                _report.Expired = true;
                _report.Fail("time.expires", $"The badge expired on {ObValues.String(assertion, "expires")}.");
            }
            else
            {
                _report.Pass("time.expires", "The badge has not expired.");
            }
        }
    }

    /// <summary>
    /// OB 2.0 "Verification": was the assertion awarded to this identity? The value asked about is
    /// normalised as at award time, then hashed with the badge's salt and algorithm (IdentityObject).
    /// The value as typed is tried too, for issuers that hash without normalising.
    /// </summary>
    private void CheckRecipient(JsonElement assertion)
    {
        if (_recipient is null) { return; }
        var recipient = assertion.TryGetProperty("recipient", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var identity = ObValues.String(recipient, "identity");
        var typeName = ObValues.String(recipient, "type");
        if (identity is null || typeName is null)
        {
            Recipient(false, "The badge has no readable recipient to compare with.");
            return;
        }
        var candidates = new List<string> { _recipient.Trim() };
        var type = RecipientIdentity.Names.Parse(typeName);
        string? normalizedIdentity = null;
        if (type is not null)
        {
            var (normalized, error) = RecipientNormalizer.Normalize(type.Value, _recipient);
            if (normalized is null)
            {
                Recipient(false, $"The recipient asked about is not a valid {typeName}: {error}");
                return;
            }
            candidates.Insert(0, normalized.Normalized);
            normalizedIdentity = RecipientNormalizer.Normalize(type.Value, identity).Identity?.Normalized;
        }
        var hashed = recipient.TryGetProperty("hashed", out var h) && h.ValueKind == JsonValueKind.True;
        bool matches;
        if (hashed)
        {
            var salt = ObValues.String(recipient, "salt") ?? "";
            var expected = identity.ToLowerInvariant();
            matches = candidates.Any(c => HashIdentity(expected, c + salt) == expected);
        }
        else
        {
            matches = candidates.Any(c => c == identity || (normalizedIdentity is not null && c == normalizedIdentity));
        }
        Recipient(matches, matches ? $"The badge was awarded to this {typeName}." : $"The badge was not awarded to this {typeName}.");
    }

    private void Recipient(bool matches, string message)
    {
        _report.RecipientMatches = matches;
        _report.Check("recipient.match", matches, message, message);
    }

    private static string? HashIdentity(string expected, string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        if (expected.StartsWith("sha256$", StringComparison.Ordinal)) { return "sha256$" + Convert.ToHexStringLower(SHA256.HashData(bytes)); }
#pragma warning disable CA5351 // OB 2.0 IdentityObject allows md5$ hashes; comparing one is not using MD5 for security.
        if (expected.StartsWith("md5$", StringComparison.Ordinal)) { return "md5$" + Convert.ToHexStringLower(MD5.HashData(bytes)); }
#pragma warning restore CA5351
        return null;
    }

    /// <summary>Normalises a document's terms and reports on its @context.</summary>
    private JsonElement Normalize(JsonElement json, string name, bool required) => Report(ObContext.Normalize(json), name, required);

    private JsonElement Report(NormalizedDocument normalized, string name, bool required)
    {
        switch (normalized.Context)
        {
            case ContextKind.OpenBadgesV2:
                break;
            case ContextKind.OpenBadgesV1:
                _report.Fail($"jsonld.{name}", "The document uses an Open Badges 1.x context; this verifier reads Open Badges 2.0 only.");
                break;
            case ContextKind.Missing when required:
                _report.Fail($"jsonld.{name}", "The document has no @context: it is not Open Badges 2.0 JSON-LD (the context https://w3id.org/openbadges/v2 is required).");
                break;
            case ContextKind.Missing:
                _report.Warn($"jsonld.{name}", "The document has no @context; it was read with the Open Badges 2.0 terms.");
                break;
            case ContextKind.Unknown:
                _report.Warn($"jsonld.{name}", "The document does not name the Open Badges 2.0 context; its terms were read as written.");
                break;
        }
        foreach (var warning in normalized.Warnings) { _report.Warn($"jsonld.{name}", warning); }
        return normalized.Document;
    }

    private static bool IsSigned(JsonElement assertion) =>
        assertion.TryGetProperty("verification", out var v) && ObValues.HasType(v, "SignedBadge");

    private static DateTimeOffset? Date(JsonElement node, string name) =>
        ObValues.IsDateWithZone(ObValues.String(node, name))
        && DateTimeOffset.TryParse(ObValues.String(node, name), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : null;

    private static JsonElement? ParseJson(byte[]? body)
    {
        if (body is null || body.Length == 0) { return null; }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 128 });
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool LooksLikeJws(string text)
    {
        if (text.Length < 5 || text.Count(ch => ch == '.') != 2) { return false; }
        foreach (var ch in text)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')) { return false; }
        }
        return true;
    }

    private static IEnumerable<JsonElement> Items(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];

    private static List<string> Strings(JsonElement value) =>
        [.. Items(value).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];

    private sealed record Resolved(JsonElement Document, bool Fetched);
}
