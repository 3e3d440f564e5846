using System.Text.Json;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// The structural checks of Open Badges 2.0 ("Data Validation"): required properties of each class,
/// <c>type</c> at every level (embedded objects included, which the official validator lets through),
/// IRIs, dates with a time zone, the recipient hash, and image data URIs (PNG or SVG, and only on a
/// BadgeClass or an issuer). Each method returns one check per rule, named <c>shape.&lt;class&gt;.&lt;rule&gt;</c>.
/// </summary>
public static class ObShape
{
    /// <summary>
    /// Checks an Assertion, and its embedded BadgeClass and issuer when they are objects and
    /// <paramref name="embedded"/> is true (a verifier that refetches embedded objects checks the
    /// fetched copies instead).
    /// </summary>
    public static IReadOnlyList<VerificationCheck> Assertion(JsonElement a, bool embedded = true)
    {
        var checks = new List<VerificationCheck>();
        if (!Object(a, "assertion", checks)) { return checks; }
        Add(checks, "shape.assertion.type", ObValues.HasType(a, "Assertion"), "type is Assertion.", "type must be or include Assertion.");
        Add(checks, "shape.assertion.id", ObValues.IsIri(ObValues.String(a, "id")), "id is an IRI.", "id must be an http(s) URL, a urn:uuid or a blank node id.");
        Recipient(a, checks);
        if (a.TryGetProperty("badge", out var badge) && badge.ValueKind == JsonValueKind.Object) { if (embedded) { checks.AddRange(BadgeClass(badge)); } }
        else { Add(checks, "shape.assertion.badge", ObValues.IsIri(ObValues.String(a, "badge")), "badge is an IRI.", "badge must be a BadgeClass IRI or object."); }
        if (a.TryGetProperty("verification", out var verification) && verification.ValueKind == JsonValueKind.Object)
        {
            Add(checks, "shape.verification.type", ObValues.HasType(verification, "HostedBadge", "hosted", "SignedBadge", "signed"),
                "verification.type is HostedBadge or SignedBadge.", "verification.type must be HostedBadge or SignedBadge.");
        }
        else { checks.Add(VerificationCheck.Failed("shape.verification.type", "verification is required and must be an object with a type.")); }
        Add(checks, "shape.assertion.issuedOn", ObValues.IsDateWithZone(ObValues.String(a, "issuedOn")),
            "issuedOn is a date with a time zone.", "issuedOn must be an ISO 8601 date-time with a time zone.");
        if (a.TryGetProperty("expires", out _))
        {
            Add(checks, "shape.assertion.expires", ObValues.IsDateWithZone(ObValues.String(a, "expires")),
                "expires is a date with a time zone.", "expires must be an ISO 8601 date-time with a time zone.");
        }
        if (ObValues.String(a, "image") is { } image && image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            checks.Add(VerificationCheck.Failed("shape.assertion.image", "An Assertion's image may not be a data URI (only a BadgeClass's or an issuer's may)."));
        }
        Each(a, "evidence", "Evidence", "shape.evidence.type", checks);
        Endorsements(a, "assertion", checks);
        return checks;
    }

    /// <summary>Checks a BadgeClass, and its embedded issuer when it is an object and <paramref name="embedded"/> is true.</summary>
    public static IReadOnlyList<VerificationCheck> BadgeClass(JsonElement b, bool embedded = true)
    {
        var checks = new List<VerificationCheck>();
        if (!Object(b, "badgeclass", checks)) { return checks; }
        Add(checks, "shape.badgeclass.type", ObValues.HasType(b, "BadgeClass"), "type is BadgeClass.", "type must be or include BadgeClass.");
        Add(checks, "shape.badgeclass.id", ObValues.IsIri(ObValues.String(b, "id")), "id is an IRI.", "id must be an http(s) URL, a urn:uuid or a blank node id.");
        Add(checks, "shape.badgeclass.name", !string.IsNullOrWhiteSpace(ObValues.String(b, "name")), "name is present.", "name is required.");
        Add(checks, "shape.badgeclass.description", !string.IsNullOrWhiteSpace(ObValues.String(b, "description")), "description is present.", "description is required.");
        Image(b, "badgeclass", checks);
        if (b.TryGetProperty("criteria", out var criteria) && criteria.ValueKind == JsonValueKind.Object)
        {
            Add(checks, "shape.criteria", ObValues.IsIri(ObValues.String(criteria, "id")) || ObValues.String(criteria, "narrative") is { Length: > 0 },
                "criteria has an id or a narrative.", "criteria needs an id or a narrative.");
            Typed(criteria, "Criteria", "shape.criteria.type", checks);
        }
        else { Add(checks, "shape.criteria", ObValues.IsIri(ObValues.String(b, "criteria")), "criteria is an IRI.", "criteria is required: an IRI or a Criteria object."); }
        if (b.TryGetProperty("issuer", out var issuer) && issuer.ValueKind == JsonValueKind.Object) { if (embedded) { checks.AddRange(Profile(issuer)); } }
        else { Add(checks, "shape.badgeclass.issuer", ObValues.IsIri(ObValues.String(b, "issuer")), "issuer is an IRI.", "issuer must be a Profile IRI or object."); }
        if (b.TryGetProperty("alignment", out var alignment))
        {
            foreach (var item in Items(alignment))
            {
                Add(checks, "shape.alignment", ObValues.String(item, "targetName") is { Length: > 0 } && ObValues.IsHttpUrl(ObValues.String(item, "targetUrl")),
                    "alignment has targetName and targetUrl.", "Each alignment needs targetName and an http(s) targetUrl.");
                Typed(item, "AlignmentObject", "shape.alignment.type", checks);
            }
        }
        Endorsements(b, "badgeclass", checks);
        return checks;
    }

    /// <summary>Checks an issuer Profile.</summary>
    public static IReadOnlyList<VerificationCheck> Profile(JsonElement p)
    {
        var checks = new List<VerificationCheck>();
        if (!Object(p, "issuer", checks)) { return checks; }
        Add(checks, "shape.issuer.type", ObValues.HasType(p, "Issuer", "Profile"), "type is Issuer or Profile.", "type must be or include Issuer or Profile.");
        Add(checks, "shape.issuer.id", ObValues.IsIri(ObValues.String(p, "id")), "id is an IRI.", "id must be an http(s) URL, a urn:uuid or a blank node id.");
        Add(checks, "shape.issuer.name", !string.IsNullOrWhiteSpace(ObValues.String(p, "name")), "name is present.", "name is required.");
        Add(checks, "shape.issuer.url", ObValues.IsHttpUrl(ObValues.String(p, "url")), "url is an http(s) URL.", "url is required and must be an http(s) URL.");
        Add(checks, "shape.issuer.email", ObValues.IsEmail(ObValues.String(p, "email")), "email is present.", "email is required and must be an email address.");
        Image(p, "issuer", checks);
        Endorsements(p, "issuer", checks);
        return checks;
    }

    /// <summary>
    /// Checks an Endorsement (OB 2.0, "Endorsement"): id, type, claim (an object naming the endorsed
    /// entity by its id; endorsementComment, when present, is text), issuer (a Profile IRI or object),
    /// issuedOn and verification.
    /// </summary>
    public static IReadOnlyList<VerificationCheck> Endorsement(JsonElement e)
    {
        var checks = new List<VerificationCheck>();
        if (!Object(e, "endorsement", checks)) { return checks; }
        Add(checks, "shape.endorsement.type", ObValues.HasType(e, "Endorsement"), "type is Endorsement.", "type must be or include Endorsement.");
        Add(checks, "shape.endorsement.id", ObValues.IsIri(ObValues.String(e, "id")), "id is an IRI.", "id must be an http(s) URL, a urn:uuid or a blank node id.");
        if (e.TryGetProperty("claim", out var claim) && claim.ValueKind == JsonValueKind.Object)
        {
            Add(checks, "shape.endorsement.claim", ObValues.IsIri(ObValues.String(claim, "id")), "claim.id is an IRI.", "claim.id must name the endorsed entity by its IRI.");
            if (claim.TryGetProperty("endorsementComment", out var comment))
            {
                Add(checks, "shape.endorsement.comment", comment.ValueKind == JsonValueKind.String, "endorsementComment is text.", "endorsementComment must be text (or Markdown).");
            }
        }
        else { checks.Add(VerificationCheck.Failed("shape.endorsement.claim", "claim is required and must be an object with the endorsed entity's id.")); }
        if (e.TryGetProperty("issuer", out var issuer) && issuer.ValueKind == JsonValueKind.Object) { checks.AddRange(Profile(issuer)); }
        else { Add(checks, "shape.endorsement.issuer", ObValues.IsIri(ObValues.String(e, "issuer")), "issuer is an IRI.", "issuer must be a Profile IRI or object."); }
        Add(checks, "shape.endorsement.issuedOn", ObValues.IsDateWithZone(ObValues.String(e, "issuedOn")),
            "issuedOn is a date with a time zone.", "issuedOn must be an ISO 8601 date-time with a time zone.");
        if (e.TryGetProperty("verification", out var verification) && verification.ValueKind == JsonValueKind.Object)
        {
            Add(checks, "shape.verification.type", ObValues.HasType(verification, "HostedBadge", "hosted", "SignedBadge", "signed"),
                "verification.type is HostedBadge or SignedBadge.", "verification.type must be HostedBadge or SignedBadge.");
        }
        else { checks.Add(VerificationCheck.Failed("shape.verification.type", "verification is required and must be an object with a type.")); }
        return checks;
    }

    private static void Recipient(JsonElement a, List<VerificationCheck> checks)
    {
        if (!a.TryGetProperty("recipient", out var r) || r.ValueKind != JsonValueKind.Object)
        {
            checks.Add(VerificationCheck.Failed("shape.recipient", "recipient is required and must be an IdentityObject."));
            return;
        }
        Add(checks, "shape.recipient.type", ObValues.String(r, "type") is "email" or "url" or "telephone" or "id",
            "recipient.type is email, url, telephone or id.", "recipient.type must be email, url, telephone or id.");
        var identity = ObValues.String(r, "identity");
        var hashed = r.TryGetProperty("hashed", out var h) && h.ValueKind is JsonValueKind.True or JsonValueKind.False ? h.GetBoolean() : (bool?)null;
        if (hashed is null)
        {
            checks.Add(VerificationCheck.Failed("shape.recipient.hashed", "recipient.hashed is required and must be true or false."));
        }
        else if (hashed.Value)
        {
            Add(checks, "shape.recipient.identity", ObValues.IsIdentityHash(identity),
                "recipient.identity is a sha256$ or md5$ hash.", "A hashed identity must be sha256$ or md5$ (lower-case prefix) followed by the hex digest.");
        }
        else if (identity is not null && identity.Contains('$', StringComparison.Ordinal) && ObValues.IsIdentityHash(identity.ToLowerInvariant()))
        {
            checks.Add(VerificationCheck.Failed("shape.recipient.identity", "recipient.identity is a hash but hashed is false."));
        }
        else
        {
            Add(checks, "shape.recipient.identity", !string.IsNullOrEmpty(identity), "recipient.identity is present (not hashed).", "recipient.identity is required.");
        }
    }

    private static void Image(JsonElement node, string owner, List<VerificationCheck> checks)
    {
        var image = node.TryGetProperty("image", out var i) && i.ValueKind == JsonValueKind.Object ? ObValues.String(i, "id") : ObValues.String(node, "image");
        if (image is null)
        {
            if (owner == "badgeclass") { checks.Add(VerificationCheck.Failed("shape.badgeclass.image", "image is required on a BadgeClass.")); }
            return;
        }
        var ok = image.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            ? image.StartsWith("data:image/png", StringComparison.OrdinalIgnoreCase) || image.StartsWith("data:image/svg+xml", StringComparison.OrdinalIgnoreCase)
            : ObValues.IsIri(image);
        Add(checks, $"shape.{owner}.image", ok, "image is an IRI or a PNG/SVG data URI.", "image must be an IRI or a data URI of a PNG or an SVG.");
    }

    /// <summary>OB 2.0 "Properties": endorsement is one or more Endorsement IRIs (or embedded Endorsements).</summary>
    private static void Endorsements(JsonElement node, string owner, List<VerificationCheck> checks)
    {
        if (!node.TryGetProperty("endorsement", out var value)) { return; }
        Add(checks, $"shape.{owner}.endorsement", Items(value).All(e => e.ValueKind == JsonValueKind.Object ? ObValues.HasType(e, "Endorsement")
            : e.ValueKind == JsonValueKind.String && ObValues.IsIri(e.GetString())),
            "endorsement lists Endorsement IRIs.", "endorsement must be Endorsement IRIs or Endorsement objects.");
    }

    private static void Each(JsonElement node, string property, string type, string name, List<VerificationCheck> checks)
    {
        if (!node.TryGetProperty(property, out var value)) { return; }
        foreach (var item in Items(value))
        {
            if (item.ValueKind == JsonValueKind.Object) { Typed(item, type, name, checks); }
        }
    }

    /// <summary>An embedded object's type is optional, but when given it must be right.</summary>
    private static void Typed(JsonElement item, string type, string name, List<VerificationCheck> checks)
    {
        if (item.TryGetProperty("type", out _))
        {
            Add(checks, name, ObValues.HasType(item, type), $"type is {type}.", $"An embedded {type} has another type.");
        }
    }

    /// <summary>A JSON-LD value may be one item or an array of them.</summary>
    private static IEnumerable<JsonElement> Items(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];

    private static bool Object(JsonElement node, string what, List<VerificationCheck> checks)
    {
        if (node.ValueKind == JsonValueKind.Object) { return true; }
        checks.Add(VerificationCheck.Failed($"shape.{what}", $"The {what} must be a JSON object."));
        return false;
    }

    private static void Add(List<VerificationCheck> checks, string name, bool ok, string pass, string fail) =>
        checks.Add(ok ? VerificationCheck.Passed(name, pass) : VerificationCheck.Failed(name, fail));
}
