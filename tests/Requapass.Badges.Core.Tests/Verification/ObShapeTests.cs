using System.Text.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Verification;

namespace Requapass.Badges.Core.Tests.Verification;

public sealed class ObShapeTests
{
    private static JsonObject ValidAssertion() => JsonNode.Parse(ObJson.ToJson(new Assertion
    {
        Id = "https://badges.example.org/public/assertions/1",
        Recipient = new IdentityObject("email", true, "salt", "sha256$" + new string('a', 64)),
        Badge = "https://badges.example.org/public/badges/1",
        Verification = new VerificationObject { Type = "HostedBadge" },
        IssuedOn = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero),
        Evidence = [new Evidence { Id = "https://example.org/evidence/1", Narrative = "Accueil" }],
    }))!.AsObject();

    private static JsonObject ValidBadgeClass() => JsonNode.Parse(ObJson.ToJson(new BadgeClass
    {
        Id = "https://badges.example.org/public/badges/1", Name = "Accueil", Description = "Accueille le public.",
        Image = "https://badges.example.org/public/badges/1/image", Criteria = new Criteria("https://badges.example.org/c/1", "- Accueille"),
        Issuer = "https://badges.example.org/public/issuers/1",
        Alignment = [new AlignmentObject { TargetName = "COM", TargetUrl = "https://example.org/rectec/COM" }],
    }))!.AsObject();

    private static JsonObject ValidProfile() => JsonNode.Parse(ObJson.ToJson(new Profile
    {
        Id = "https://badges.example.org/public/issuers/1", Name = "MDA", Url = "https://mda.example.org", Email = "mda@example.org",
    }))!.AsObject();

    private static IReadOnlyList<VerificationCheck> Run(string kind, JsonNode node)
    {
        var element = JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());
        return kind switch { "assertion" => ObShape.Assertion(element), "badge" => ObShape.BadgeClass(element), _ => ObShape.Profile(element) };
    }

    [Test]
    public void OurOwnDocuments_PassEveryCheck()
    {
        foreach (var (kind, node) in new[] { ("assertion", (JsonNode)ValidAssertion()), ("badge", ValidBadgeClass()), ("issuer", ValidProfile()) })
        {
            var checks = Run(kind, node);
            Assert.That(checks, Is.Not.Empty);
            Assert.That(checks.Where(c => c.Status != CheckStatus.Pass).Select(c => c.Name + ": " + c.Message), Is.Empty, kind);
        }
    }

    [Test]
    public void EmbeddedBadgeAndIssuer_AreCheckedToo()
    {
        var a = ValidAssertion();
        var badge = ValidBadgeClass();
        badge["issuer"] = ValidProfile();
        badge["issuer"]!["type"] = "Assertion";
        a["badge"] = badge;
        Assert.That(Failed("assertion", a), Does.Contain("shape.issuer.type"));
    }

    public static IEnumerable<TestCaseData> Broken()
    {
        TestCaseData Case(string kind, string check, Action<JsonObject> edit, string name) =>
            new TestCaseData(kind, check, edit).SetName($"Broken_{name}_Fails_{check}");
        yield return Case("assertion", "shape.verification.type", d => d["verification"]!["type"] = "Hosted", "NestedVerificationType");
        yield return Case("assertion", "shape.verification.type", d => d.Remove("verification"), "NoVerification");
        yield return Case("assertion", "shape.assertion.type", d => d["type"] = "BadgeClass", "AssertionType");
        yield return Case("assertion", "shape.assertion.type", d => d.Remove("type"), "NoType");
        yield return Case("assertion", "shape.assertion.id", d => d["id"] = "ftp://example.org/a", "FtpId");
        yield return Case("assertion", "shape.recipient.identity", d => d["recipient"]!["identity"] = "SHA256$" + new string('a', 64), "UpperCasePrefix");
        yield return Case("assertion", "shape.recipient.identity", d => d["recipient"]!["identity"] = "sha256$abc", "ShortHash");
        yield return Case("assertion", "shape.recipient.identity", d => d["recipient"]!["hashed"] = false, "HashWithHashedFalse");
        yield return Case("assertion", "shape.recipient.hashed", d => d["recipient"]!.AsObject().Remove("hashed"), "NoHashed");
        yield return Case("assertion", "shape.recipient.type", d => d["recipient"]!["type"] = "fax", "RecipientType");
        yield return Case("assertion", "shape.assertion.issuedOn", d => d["issuedOn"] = "2026-11-22T12:00:00", "DateWithoutZone");
        yield return Case("assertion", "shape.assertion.issuedOn", d => d["issuedOn"] = "22/11/2026", "NotIsoDate");
        yield return Case("assertion", "shape.assertion.expires", d => d["expires"] = "tomorrow", "BadExpires");
        yield return Case("assertion", "shape.assertion.image", d => d["image"] = "data:image/png;base64,AAAA", "AssertionDataUriImage");
        yield return Case("assertion", "shape.evidence.type", d => d["evidence"]![0]!["type"] = "Proof", "EvidenceType");
        yield return Case("assertion", "shape.assertion.badge", d => d["badge"] = "not an iri", "BadgeNotIri");
        yield return Case("badge", "shape.badgeclass.image", d => d["image"] = "data:image/jpeg;base64,AAAA", "JpegDataUri");
        yield return Case("badge", "shape.badgeclass.image", d => d.Remove("image"), "NoImage");
        yield return Case("badge", "shape.badgeclass.name", d => d.Remove("name"), "NoName");
        yield return Case("badge", "shape.alignment", d => d["alignment"]![0]!.AsObject().Remove("targetUrl"), "AlignmentWithoutUrl");
        yield return Case("badge", "shape.alignment.type", d => d["alignment"]![0]!["type"] = "Criteria", "AlignmentType");
        yield return Case("badge", "shape.criteria", d => d["criteria"] = new JsonObject { ["type"] = "Criteria" }, "EmptyCriteria");
        yield return Case("badge", "shape.criteria.type", d => d["criteria"]!["type"] = "Evidence", "CriteriaType");
        yield return Case("issuer", "shape.issuer.email", d => d.Remove("email"), "NoEmail");
        yield return Case("issuer", "shape.issuer.url", d => d["url"] = "javascript:alert(1)", "JavascriptUrl");
        yield return Case("issuer", "shape.issuer.image", d => d["image"] = "data:text/html;base64,AAAA", "HtmlDataUri");
    }

    [TestCaseSource(nameof(Broken))]
    public void BrokenDocument_FailsTheNamedCheck(string kind, string check, Action<JsonObject> edit)
    {
        var node = kind switch { "assertion" => ValidAssertion(), "badge" => ValidBadgeClass(), _ => ValidProfile() };
        edit(node);
        Assert.That(Failed(kind, node), Does.Contain(check));
    }

    [TestCase("urn:uuid:6f0e3cd1-3a77-4a8e-9b35-1f0ad1e4c2aa", true)]
    [TestCase("_:b0", true)]
    [TestCase("https://example.org/a", true)]
    [TestCase("urn:isbn:123", false)]
    [TestCase("mailto:a@example.org", false)]
    public void Iri_FollowsTheSpec(string value, bool expected) => Assert.That(ObValues.IsIri(value), Is.EqualTo(expected));

    [TestCase("2026-11-22T12:00:00Z", true)]
    [TestCase("2026-11-22T12:00:00+01:00", true)]
    [TestCase("2026-11-22T12:00:00.123-0500", true)]
    [TestCase("2026-11-22", false)]
    [TestCase("2026-11-22T25:00:00Z", false)]
    public void Dates_NeedATimeZone(string value, bool expected) => Assert.That(ObValues.IsDateWithZone(value), Is.EqualTo(expected));

    private static List<string> Failed(string kind, JsonNode node) =>
        [.. Run(kind, node).Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name)];
}
