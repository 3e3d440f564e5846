using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Open Badges 2.0 Endorsements (issue #13, part 4): a partner association endorses the REQUAPASS
/// issuer's profile, a badge class, or one badge (a referent's word, made by the association).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class EndorsementTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private const string Base = BadgesApiFactory.PublicBaseUrl;
    private Partner _partner = null!;     // the endorsing association
    private Partner _requapass = null!;   // the endorsed issuer
    private string _badgeClassId = null!;
    private string _assertionId = null!;

    [SetUp]
    public async Task TwoIssuers()
    {
        _partner = await NewPartnerAsync("Maison des Associations de Tourcoing");
        _requapass = await NewPartnerAsync("REQUAPASS");
        _badgeClassId = await NewBadgeClassAsync(_requapass);
        _assertionId = (await AwardAsync(_requapass, _badgeClassId))["id"]!.GetValue<string>();
    }

    private string Target(string kind) => kind switch
    {
        "issuer" => $"{Base}/public/issuers/{_requapass.IssuerId}",
        "badge-class" => $"{Base}/public/badges/{_badgeClassId}",
        _ => $"{Base}/public/assertions/{_assertionId}",
    };

    private static string PublicPath(string url) => url[Base.Length..];

    private async Task<JsonObject> EndorseAsync(string target, string comment = "Un partenaire sérieux : nous recommandons ses badges.", Partner? by = null) =>
        await Json(await (by ?? _partner).Client.PostAsJsonAsync($"/api/v1/issuers/{(by ?? _partner).IssuerId}/endorsements", new { target, comment }), 201);

    private static IReadOnlyList<VerificationCheck> Failures(IReadOnlyList<VerificationCheck> checks) => [.. checks.Where(c => c.Status == CheckStatus.Fail)];

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

    [TestCase("issuer")]
    [TestCase("badge-class")]
    [TestCase("assertion")]
    public async Task Endorse_EachKind_IsHostedOpenBadges2_AndListedByTheEndorsedDocument(string kind)
    {
        var target = Target(kind);
        var before = await Anonymous().GetAsync(PublicPath(target));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json(before)).ContainsKey("endorsement"), Is.False, "no endorsement yet: the property is omitted");

        var created = await EndorseAsync(target, "J'ai vu Marie tenir le stand : Jean Dupont, référent.");
        Assert.That(created["targetKind"]!.GetValue<string>(), Is.EqualTo(kind));
        Assert.That(created["target"]!.GetValue<string>(), Is.EqualTo(target));
        Assert.That(created["issuerId"]!.GetValue<string>(), Is.EqualTo(_partner.IssuerId));
        Assert.That(created["revoked"]!.GetValue<bool>(), Is.False);
        var url = created["url"]!.GetValue<string>();
        Assert.That(url, Is.EqualTo($"{Base}/public/endorsements/{created["id"]}"));

        var response = await Anonymous().GetAsync(PublicPath(url));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/ld+json"));
        Assert.That(response.Headers.ETag, Is.Not.Null);
        var doc = await Json(response, 200);
        Assert.That(doc["@context"]!.GetValue<string>(), Is.EqualTo("https://w3id.org/openbadges/v2"));
        Assert.That(doc["type"]!.GetValue<string>(), Is.EqualTo("Endorsement"));
        Assert.That(doc["id"]!.GetValue<string>(), Is.EqualTo(url));
        Assert.That(doc["claim"]!["id"]!.GetValue<string>(), Is.EqualTo(target));
        Assert.That(doc["claim"]!["endorsementComment"]!.GetValue<string>(), Is.EqualTo("J'ai vu Marie tenir le stand : Jean Dupont, référent."));
        Assert.That(doc["issuer"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{_partner.IssuerId}"));
        Assert.That(doc["issuedOn"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        Assert.That(doc["verification"]!["type"]!.GetValue<string>(), Is.EqualTo("HostedBadge"));
        Assert.That(Failures(ObShape.Endorsement(Element(doc))), Is.Empty, "shaped as the OB 2.0 validator wants an Endorsement");

        var endorsed = await Json(await Anonymous().GetAsync(PublicPath(target)), 200);
        Assert.That(endorsed["endorsement"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { url }));
        var shape = kind switch
        {
            "issuer" => ObShape.Profile(Element(endorsed)),
            "badge-class" => ObShape.BadgeClass(Element(endorsed)),
            _ => ObShape.Assertion(Element(endorsed)),
        };
        Assert.That(Failures(shape), Is.Empty);
        Assert.That(shape.Select(c => c.Name), Has.Some.EndsWith(".endorsement"), "the endorsement property was checked");
    }

    [Test]
    public async Task Revoke_AnswersGone_AndTheEndorsementLeavesTheEndorsedDocumentAtOnce()
    {
        var created = await EndorseAsync(Target("assertion"));
        var id = created["id"]!.GetValue<string>();
        var listed = await Anonymous().GetAsync($"/public/assertions/{_assertionId}");
        var etag = listed.Headers.ETag!;
        Assert.That((await Json(listed, 200))["endorsement"]!.AsArray(), Has.Count.EqualTo(1));

        await AssertProblem(await _partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{id}/revoke", new { reason = "" }), 400);
        var revoked = await Json(await _partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{id}/revoke", new { reason = "Référent parti" }), 200);
        Assert.That(revoked["revoked"]!.GetValue<bool>(), Is.True);
        Assert.That(revoked["revocationReason"]!.GetValue<string>(), Is.EqualTo("Référent parti"));

        var gone = await Anonymous().GetAsync($"/public/endorsements/{id}");
        var body = await Json(gone, 410);
        Assert.That(body["revoked"]!.GetValue<bool>(), Is.True);
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("Endorsement"));
        Assert.That(body["revocationReason"]!.GetValue<string>(), Is.EqualTo("Référent parti"));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{_assertionId}");
        conditional.Headers.IfNoneMatch.Add(etag);
        var after = await Anonymous().SendAsync(conditional);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old ETag no longer matches");
        Assert.That((await Json(after)).ContainsKey("endorsement"), Is.False);

        var again = await Json(await _partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{id}/revoke", new { reason = "Autre raison" }), 200);
        Assert.That(again["revocationReason"]!.GetValue<string>(), Is.EqualTo("Référent parti"), "revoking again changes nothing");

        var events = await Json(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/events"), 200);
        var types = events["items"]!.AsArray().Where(e => e!["subject"]!.GetValue<string>() == id).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.That(types, Is.EqualTo(new[] { "endorsement.issued", "endorsement.revoked" }));
        var theirs = await Json(await _requapass.Client.GetAsync($"/api/v1/issuers/{_requapass.IssuerId}/events"), 200);
        Assert.That(theirs["items"]!.AsArray().Count(e => e!["subject"]!.GetValue<string>() == id), Is.EqualTo(2), "the endorsed issuer hears of it too");

        var list = await Json(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements"), 200);
        Assert.That(list["items"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
    }

    [Test]
    public async Task Verify_AnEndorsement_ByUrlAndJson_IsValid_ThenRevoked()
    {
        var created = await EndorseAsync(Target("badge-class"));
        var url = created["url"]!.GetValue<string>();
        var byUrl = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url }), 200);
        Assert.That(byUrl["valid"]!.GetValue<bool>(), Is.True, byUrl.ToJsonString());
        Assert.That(byUrl["revoked"]!.GetValue<bool>(), Is.False);
        Assert.That(byUrl["endorsement"]!["claim"]!["id"]!.GetValue<string>(), Is.EqualTo(Target("badge-class")));
        Assert.That(byUrl["issuer"]!["id"]!.GetValue<string>(), Is.EqualTo($"{Base}/public/issuers/{_partner.IssuerId}"));
        var checks = byUrl["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.That(checks["hosted.id"], Is.EqualTo("pass"));
        Assert.That(checks["hosted.scope"], Is.EqualTo("pass"));
        Assert.That(checks["endorsement.claim"], Is.EqualTo("pass"));
        Assert.That(checks["endorsement.listed"], Is.EqualTo("pass"));

        // As JSON: trusted for its id only; a tampered comment does not matter, the hosted copy is read.
        var document = await Json(await Anonymous().GetAsync(PublicPath(url)), 200);
        document["claim"]!["endorsementComment"] = "Falsifié";
        var byJson = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { endorsement = document }), 200);
        Assert.That(byJson["valid"]!.GetValue<bool>(), Is.True);
        Assert.That(byJson["input"]!.GetValue<string>(), Is.EqualTo("endorsement"));
        Assert.That(byJson["endorsement"]!["claim"]!["endorsementComment"]!.GetValue<string>(), Is.Not.EqualTo("Falsifié"));

        await Json(await _partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{created["id"]}/revoke", new { reason = "Plus partenaires" }), 200);
        var revoked = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url }), 200);
        Assert.That(revoked["valid"]!.GetValue<bool>(), Is.False);
        Assert.That(revoked["revoked"]!.GetValue<bool>(), Is.True);
        Assert.That(revoked["revocationReason"]!.GetValue<string>(), Is.EqualTo("Plus partenaires"));
    }

    [Test]
    public async Task VerifyABadge_ReportsItsEndorsements_EachChecked()
    {
        var assertionUrl = Target("assertion");
        var plain = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = assertionUrl }), 200);
        Assert.That(plain["endorsementCount"]!.GetValue<int>(), Is.EqualTo(0));

        await EndorseAsync(Target("issuer"));
        var onClass = await EndorseAsync(Target("badge-class"));
        await EndorseAsync(assertionUrl, "J'ai vu Marie tenir le stand (Jean Dupont, référent).");
        var report = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = assertionUrl }), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report.ToJsonString());
        Assert.That(report["endorsementCount"]!.GetValue<int>(), Is.EqualTo(3));
        var found = report["endorsements"]!.AsArray();
        Assert.That(found.Select(e => e!["of"]!.GetValue<string>()), Is.EquivalentTo(new[] { "assertion", "badgeclass", "issuer" }));
        Assert.That(found.All(e => e!["valid"]!.GetValue<bool>()), Is.True, report.ToJsonString());
        Assert.That(found.Single(e => e!["of"]!.GetValue<string>() == "assertion")!["comment"]!.GetValue<string>(), Does.Contain("Jean Dupont"));

        await Json(await _partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{onClass["id"]}/revoke", new { reason = "Fin du partenariat" }), 200);
        var after = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = assertionUrl }), 200);
        Assert.That(after["endorsementCount"]!.GetValue<int>(), Is.EqualTo(2), "a revoked endorsement leaves the class at once, in the verifier too");
    }

    [TestCase("issuer")]
    [TestCase("badge-class")]
    [TestCase("assertion")]
    public async Task Endorse_OwnDocument_Is422(string kind)
    {
        var problem = await AssertProblem(await _requapass.Client.PostAsJsonAsync($"/api/v1/issuers/{_requapass.IssuerId}/endorsements",
            new { target = Target(kind), comment = "Nous sommes excellents." }), 422);
        Assert.That(problem["type"]!.GetValue<string>(), Does.EndWith("self-endorsement"));
        Assert.That((await Json(await Anonymous().GetAsync(PublicPath(Target(kind))), 200)).ContainsKey("endorsement"), Is.False);
    }

    [Test]
    public async Task Endorse_TheSameDocumentTwice_Is409_UntilRevoked()
    {
        var first = await EndorseAsync(Target("issuer"));
        await AssertProblem(await _partner.Client.PostAsJsonAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements",
            new { target = Target("issuer"), comment = "Encore." }), 409);
        await Json(await _partner.Client.PostAsJsonAsync($"/api/v1/endorsements/{first["id"]}/revoke", new { reason = "Remplacée" }), 200);
        var second = await EndorseAsync(Target("issuer"), "Nouvelle recommandation.");
        var profile = await Json(await Anonymous().GetAsync($"/public/issuers/{_requapass.IssuerId}"), 200);
        Assert.That(profile["endorsement"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { second["url"]!.GetValue<string>() }));
    }

    [Test]
    public async Task A_signed_badge_is_endorsed_by_its_urn_uuid_and_the_endorsement_verifies()
    {
        // REQUAPASS signs its badges by default: a referent must be able to vouch for one all the same.
        var signed = await Json(await _requapass.Client.PostAsJsonAsync($"/api/v1/badge-classes/{_badgeClassId}/assertions",
            new { recipient = new { type = "email", identity = "marie@example.org" }, verification = "signed" }), 201);
        var target = $"{Base}/public/assertions/{signed["id"]}";
        var created = await EndorseAsync(target, "J'ai vu Marie tenir le stand (Jean Dupont, référent).");
        var document = await Json(await Anonymous().GetAsync(PublicPath(created["url"]!.GetValue<string>())), 200);
        Assert.That(document["claim"]!["id"]!.GetValue<string>(), Is.EqualTo(signed["openBadgesId"]!.GetValue<string>()).And.StartWith("urn:uuid:"),
            "the claim names the entity by its own id");
        Assert.That(created["target"]!.GetValue<string>(), Is.EqualTo(target), "the API still says where it is served");
        Assert.That(Failures(ObShape.Endorsement(Element(document))), Is.Empty);
        var report = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = created["url"]!.GetValue<string>() }), 200);
        Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report.ToJsonString());
        var checks = report["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.That(checks["endorsement.claim"], Is.EqualTo("warning"), "a urn:uuid is not fetched");
        // The signed badge itself is untouched: its JWS still verifies.
        Assert.That((await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = target }), 200))["valid"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Endorse_TheSameDocumentEightTimesAtOnce_StoresOne()
    {
        var target = Target("badge-class");
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => _partner.Client.PostAsJsonAsync(
            $"/api/v1/issuers/{_partner.IssuerId}/endorsements", new { target, comment = $"Recommandation {n}." })));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(answers.Where(a => a.StatusCode != HttpStatusCode.Created).Select(a => (int)a.StatusCode), Is.All.EqualTo(409));
        var document = await Json(await Anonymous().GetAsync(PublicPath(target)), 200);
        Assert.That(document["endorsement"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AnotherIssuersStaff_CannotReadRevokeOrEndorseInItsName_403()
    {
        var created = await EndorseAsync(Target("issuer"));
        var id = created["id"]!.GetValue<string>();
        var other = await NewPartnerAsync("Maison des Associations de Charleroi");
        await AssertProblem(await other.Client.GetAsync($"/api/v1/endorsements/{id}"), 403);
        await AssertProblem(await other.Client.PostAsJsonAsync($"/api/v1/endorsements/{id}/revoke", new { reason = "Hijacked" }), 403);
        await AssertProblem(await other.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements"), 403);
        await AssertProblem(await other.Client.PostAsJsonAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements",
            new { target = Target("badge-class"), comment = "Au nom d'un autre" }), 403);
        // Nor the endorsed issuer: only the endorser revokes.
        await AssertProblem(await _requapass.Client.PostAsJsonAsync($"/api/v1/endorsements/{id}/revoke", new { reason = "Pas d'accord" }), 403);
        await Json(await Anonymous().GetAsync($"/public/endorsements/{id}"), 200);
        Assert.That((await Json(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements"), 200))["items"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task HostileInput_Is4xx_AndStoresNothing()
    {
        async Task Refused(object body, int status)
        {
            var response = await _partner.Client.PostAsJsonAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements", body);
            await AssertProblem(response, status);
        }
        await Refused(new { target = "https://evil.example.org/public/issuers/abcdefghijklmnopqrstuvwx", comment = "x" }, 422);
        await Refused(new { target = $"{Base}/public/issuers/{_requapass.IssuerId}/revocations", comment = "x" }, 422);
        await Refused(new { target = $"{Base}/public/badges/{_badgeClassId}/translations/en", comment = "x" }, 422);
        await Refused(new { target = $"{Base}/public/issuers/{_requapass.IssuerId}?x=1", comment = "x" }, 422);
        await Refused(new { target = $"{Base}/public/assertions/000000000000000000000000", comment = "x" }, 422);
        await Refused(new { target = $"{Base}/public/assertions/../issuers/{_requapass.IssuerId}", comment = "x" }, 422);
        await Refused(new { target = "javascript:alert(1)", comment = "x" }, 400);
        await Refused(new { target = Target("issuer") }, 400);
        await Refused(new { target = Target("issuer"), comment = new string('a', 2_001) }, 400);
        await Refused(new { target = Target("issuer"), comment = "bell\u0007" }, 400);
        await Refused(new { target = new string('a', 3_000), comment = "x" }, 400);

        var revoked = (await AwardAsync(_requapass, _badgeClassId, "autre@example.org"))["id"]!.GetValue<string>();
        await Json(await _requapass.Client.PostAsJsonAsync($"/api/v1/assertions/{revoked}/revoke", new { reason = "Erreur" }), 200);
        await Refused(new { target = $"{Base}/public/assertions/{revoked}", comment = "x" }, 422);

        var list = await Json(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements"), 200);
        Assert.That(list["items"]!.AsArray(), Is.Empty);
        await AssertProblem(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements?limit=0"), 400);
        await AssertProblem(await _partner.Client.GetAsync($"/api/v1/issuers/{_partner.IssuerId}/endorsements?cursor=%%%"), 400);
        await AssertProblem(await _partner.Client.GetAsync("/api/v1/endorsements/abcdefghijklmnopqrstuvwx"), 404);
        await AssertProblem(await Anonymous().GetAsync("/public/endorsements/abcdefghijklmnopqrstuvwx"), 404);
        await AssertProblem(await Anonymous().GetAsync("/public/endorsements/%3Cscript%3E"), 404);
        await AssertProblem(await Anonymous().PostAsJsonAsync("/public/verify", new { endorsement = "not an object" }), 400);
        var noId = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { endorsement = new { type = "Endorsement", id = "urn:uuid:1" } }), 200);
        Assert.That(noId["valid"]!.GetValue<bool>(), Is.False);
    }
}
