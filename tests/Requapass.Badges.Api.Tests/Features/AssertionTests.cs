using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class AssertionTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    [TestCase("email", "  Marie.Dupont@Example.ORG ", "marie.dupont@example.org")]
    [TestCase("telephone", "+32 (0)470 12-34-56", "+320470123456")]
    [TestCase("telephone", "0033 6 12 34 56 78", "+33612345678")]
    [TestCase("url", "HTTPS://Portfolio.Example.org/Marie", "https://portfolio.example.org/Marie")]
    public async Task Award_HashesNormalisedIdentityWithFreshSalt(string type, string identity, string normalised)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var body = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new { recipient = new { type, identity } }), 201);
        var recipient = body["recipient"]!;
        var salt = recipient["salt"]!.GetValue<string>();
        var expected = "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised + salt)));
        Assert.That(recipient["identity"]!.GetValue<string>(), Is.EqualTo(expected));
        Assert.That(recipient["type"]!.GetValue<string>(), Is.EqualTo(type));
        Assert.That(recipient["hashed"]!.GetValue<bool>(), Is.True);
        var second = await AwardAsync(partner, badgeClass, identity.Trim().ToLowerInvariant() == normalised ? identity : "x@example.org");
        Assert.That(second["recipient"]!["salt"]!.GetValue<string>(), Is.Not.EqualTo(salt));
    }

    public static IEnumerable<TestCaseData> BadAwards()
    {
        yield return new TestCaseData(new { recipient = new { type = "email", identity = "not-an-email" } }, "recipient.identity").SetName("BadEmail");
        yield return new TestCaseData(new { recipient = new { type = "fax", identity = "123" } }, "recipient.type").SetName("UnknownRecipientType");
        yield return new TestCaseData(new { narrative = "no recipient" }, "recipient").SetName("MissingRecipient");
        yield return new TestCaseData(new { recipient = new { type = "email", identity = "a@example.org" }, issuedOn = DateTimeOffset.UtcNow.AddDays(2) }, "issuedOn").SetName("FutureIssuedOn");
        yield return new TestCaseData(new { recipient = new { type = "email", identity = "a@example.org" }, issuedOn = DateTimeOffset.UtcNow.AddDays(-2), expires = DateTimeOffset.UtcNow.AddDays(-3) }, "expires").SetName("ExpiresBeforeIssuedOn");
        yield return new TestCaseData(new { recipient = new { type = "telephone", identity = "06 12 34 56 78" } }, "recipient.identity").SetName("NationalTelephone");
        yield return new TestCaseData(new { recipient = new { type = "email", identity = "a@example.org" }, evidence = new[] { new { id = "javascript:alert(1)" } } }, "evidence[0].id").SetName("EvidenceNotHttp");
    }

    [TestCaseSource(nameof(BadAwards))]
    public async Task Award_WithBadInput_Returns400AndStoresNothing(object request, string field)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{badgeClass}/assertions", request), 400);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        await AssertNoAssertions(partner);
    }

    [TestCase("{\"recipient\": {\"type\": \"email\", \"identity\": ")]
    [TestCase("{\"recipient\": {\"type\": \"email\", \"identity\": \"a@example.org\"}, \"issuedOn\": \"the 3rd of May\"}")]
    [TestCase("[1, 2, 3]")]
    public async Task Award_WithUnreadableJson_Returns400AndStoresNothing(string json)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var response = await partner.Client.PostAsync($"/api/v1/badge-classes/{badgeClass}/assertions",
            new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertProblem(response, 400);
        await AssertNoAssertions(partner);
    }

    [Test]
    public async Task Award_ForUnknownBadgeClass_Returns404()
    {
        var partner = await NewPartnerAsync();
        await AssertProblem(await partner.Client.PostAsJsonAsync("/api/v1/badge-classes/ffffffffffffffffffffffff/assertions",
            new { recipient = new { type = "email", identity = "a@example.org" } }), 404);
    }

    [Test]
    public async Task Award_RetriedWithSameIdempotencyKey_ReturnsFirstResult_AndStoresOne()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var first = await AwardAsync(partner, badgeClass, idempotencyKey: "award-42");
        var retry = await AwardAsync(partner, badgeClass, idempotencyKey: "award-42");
        Assert.That(retry["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(retry["recipient"]!["salt"]!.GetValue<string>(), Is.EqualTo(first["recipient"]!["salt"]!.GetValue<string>()));
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Award_ConcurrentRetriesWithSameKey_StoreOne()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AwardAsync(partner, badgeClass, idempotencyKey: "burst")));
        Assert.That(results.Select(r => r["id"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(1));
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1));
    }

    /// <summary>
    /// A burst of awards at once (on SQLite they are committed in groups, each award in its own savepoint):
    /// every one is answered and stored once, with its event and audit entry; the retries of two keys
    /// among them store one award per key, whichever group they fell in.
    /// </summary>
    [Test]
    public async Task Award_BurstWithRetriesAmongIt_StoresEachAwardOnce()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i switch
        {
            < 5 => AwardAsync(partner, badgeClass, "retried-a@example.org", idempotencyKey: "burst-a"),
            < 10 => AwardAsync(partner, badgeClass, "retried-b@example.org", idempotencyKey: "burst-b"),
            _ => AwardAsync(partner, badgeClass, $"v{i}@example.org", idempotencyKey: i % 2 == 0 ? $"own-{i}" : null),
        }));
        var ids = results.Select(r => r["id"]!.GetValue<string>()).ToArray();
        Assert.That(ids[..5].Distinct().Count(), Is.EqualTo(1));
        Assert.That(ids[5..10].Distinct().Count(), Is.EqualTo(1));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(32));
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?limit=100"), 200);
        Assert.That(page["items"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()), Is.EquivalentTo(ids.Distinct()));
        foreach (var id in ids.Distinct())
        {
            Assert.That((int)(await Anonymous().GetAsync($"/public/assertions/{id}")).StatusCode, Is.EqualTo(200));
        }
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        Assert.That(await db.OutboxEvents.CountAsync(e => e.Type == "assertion.awarded" && ids.Contains(e.Subject)), Is.EqualTo(32));
        Assert.That(await db.AuditEntries.CountAsync(e => e.Action == "assertion.award" && ids.Contains(e.TargetId)), Is.EqualTo(32));
        Assert.That(await db.IdempotencyRecords.CountAsync(r => r.Key.StartsWith("burst-") || r.Key.StartsWith("own-")), Is.EqualTo(17));
    }

    [Test]
    public async Task Award_SameIdempotencyKeyWithOtherRequest_Returns422()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        await AwardAsync(partner, badgeClass, "one@example.org", idempotencyKey: "k");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions")
        {
            Content = JsonContent.Create(new { recipient = new { type = "email", identity = "two@example.org" } }),
        };
        request.Headers.Add("Idempotency-Key", "k");
        await AssertProblem(await partner.Client.SendAsync(request), 422);
    }

    [Test]
    public async Task List_PagesWithCursor_AndFilters()
    {
        var partner = await NewPartnerAsync();
        var classA = await NewBadgeClassAsync(partner, "A");
        var classB = await NewBadgeClassAsync(partner, "B");
        for (var i = 0; i < 5; i++) { await AwardAsync(partner, classA, $"v{i}@example.org"); }
        await AwardAsync(partner, classB, "V1@Example.org ");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"), 200);
            seen.AddRange(page["items"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        } while (cursor is not null);
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Has.Count.EqualTo(6).And.Unique);

        var byClass = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?badgeClass={classB}"), 200);
        Assert.That(byClass["items"]!.AsArray(), Has.Count.EqualTo(1));
        var byRecipient = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?recipient=v1%40example.org"), 200);
        Assert.That(byRecipient["items"]!.AsArray(), Has.Count.EqualTo(2));
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?cursor=garbage"), 400);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions?limit=0"), 400);
    }

    [Test]
    public async Task Revoke_RequiresReason()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var problem = await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = " " }), 400);
        Assert.That(problem["errors"]!["reason"], Is.Not.Null);
        Assert.That((int)(await Anonymous().GetAsync($"/public/assertions/{id}")).StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Revoke_ThenPublicAssertionAnswers410WithReason()
    {
        var partner = await NewPartnerAsync();
        var id = (await AwardAsync(partner, await NewBadgeClassAsync(partner)))["id"]!.GetValue<string>();
        var revoked = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Attribué par erreur" }), 200);
        Assert.That(revoked["revoked"]!.GetValue<bool>(), Is.True);
        var response = await Anonymous().GetAsync($"/public/assertions/{id}");
        var body = await Json(response, 410);
        Assert.That(body["revoked"]!.GetValue<bool>(), Is.True);
        Assert.That(body["revocationReason"]!.GetValue<string>(), Is.EqualTo("Attribué par erreur"));
        Assert.That(body["id"]!.GetValue<string>(), Is.EqualTo($"{BadgesApiFactory.PublicBaseUrl}/public/assertions/{id}"));
        // Revoking again changes nothing, the first reason stays.
        var again = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{id}/revoke", new { reason = "Autre" }), 200);
        Assert.That(again["revocationReason"]!.GetValue<string>(), Is.EqualTo("Attribué par erreur"));
    }

    private async Task AssertNoAssertions(Partner partner)
    {
        var page = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(page["items"]!.AsArray(), Is.Empty);
    }
}
