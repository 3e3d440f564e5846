using System.Net;
using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The finished public answers a node keeps (PublicAnswerCache): a change made on a node shows there in
/// the very next answer, whichever route made it; a change made on another node of the same database
/// shows within Caching:AnswerLifetime (here one minute, on the service's clock, so the test moves time
/// rather than waiting).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class PublicAnswerCacheTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Caching:AnswerLifetime"] = "00:01:00" };

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => Settings;

    [Test]
    public async Task A_change_on_this_node_shows_in_the_very_next_answer()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var assertion = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var anonymous = Anonymous();
        var before = await anonymous.GetAsync($"/public/assertions/{assertion}");
        Assert.That((await anonymous.GetAsync($"/public/issuers/{partner.IssuerId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var image = await anonymous.GetAsync($"/public/assertions/{assertion}/image");
        Assert.That((before.StatusCode, image.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));

        // An edit through the management API (not a revocation): the profile shows it at once.
        var profile = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}"), 200);
        profile["name"] = "Maison des Associations de Roubaix (nouveau nom)";
        Assert.That((await partner.Client.PutAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}", profile)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var renamed = await Json(await anonymous.GetAsync($"/public/issuers/{partner.IssuerId}"), 200);
        Assert.That(renamed["name"]!.GetValue<string>(), Is.EqualTo("Maison des Associations de Roubaix (nouveau nom)"));

        // A revocation: the document, a conditional request with the old ETag, and the baked image.
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertion}/revoke", new { reason = "Erreur de saisie" }), 200);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/public/assertions/{assertion}");
        conditional.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        Assert.That((await anonymous.SendAsync(conditional)).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That((await anonymous.GetAsync($"/public/assertions/{assertion}/image")).StatusCode, Is.EqualTo(HttpStatusCode.Gone));

        // An award only adds a document: what was kept stays kept, and the new badge shows at once.
        var another = (await AwardAsync(partner, badgeClass, "autre@example.org"))["id"]!.GetValue<string>();
        Assert.That((await anonymous.GetAsync($"/public/assertions/{another}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_revocation_on_another_node_shows_within_the_answer_lifetime()
    {
        await using var second = new BadgesApiFactory(Factory.Database, Settings, ownsDatabase: false);
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var assertion = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var elsewhere = second.CreateClient();
        Assert.That((await elsewhere.GetAsync($"/public/assertions/{assertion}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await elsewhere.GetAsync($"/public/assertions/{assertion}/image")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{assertion}/revoke", new { reason = "Erreur" }), 200);
        Assert.That((await Anonymous().GetAsync($"/public/assertions/{assertion}")).StatusCode, Is.EqualTo(HttpStatusCode.Gone), "at once on the node that revoked");
        // The other node may still answer what it kept, for at most the lifetime.
        Assert.That((await elsewhere.GetAsync($"/public/assertions/{assertion}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "kept for at most the lifetime");

        second.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
        Assert.That((await elsewhere.GetAsync($"/public/assertions/{assertion}")).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That((await elsewhere.GetAsync($"/public/assertions/{assertion}/image")).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
    }

    [Test]
    public async Task A_client_disabled_on_another_node_loses_access_there_within_the_lifetime()
    {
        await using var second = new BadgesApiFactory(Factory.Database, Settings, ownsDatabase: false);
        var elsewhere = second.CreateClient();
        // One time for both nodes (the second started later), so tokens are judged alike.
        Factory.Clock.SetUtcNow(second.Clock.GetUtcNow());
        var partner = await NewPartnerAsync();
        elsewhere.DefaultRequestHeaders.Authorization = partner.Client.DefaultRequestHeaders.Authorization;
        Assert.That((await elsewhere.GetAsync($"/api/v1/issuers/{partner.IssuerId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var admin = await AdminAsync();
        var clients = await JsonArray(await admin.GetAsync("/api/v1/clients"));
        var staffId = clients.Select(c => c!["clientId"]!.GetValue<string>()).Last(id => id.StartsWith("rqc_", StringComparison.Ordinal));
        await Json(await admin.PostAsync($"/api/v1/clients/{staffId}/disable", null), 200);
        Assert.That((await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "at once on this node");
        Assert.That((await elsewhere.GetAsync($"/api/v1/issuers/{partner.IssuerId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "kept for at most the lifetime");

        second.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
        Assert.That((await elsewhere.GetAsync($"/api/v1/issuers/{partner.IssuerId}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
