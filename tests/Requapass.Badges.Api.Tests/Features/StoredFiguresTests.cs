using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The barometer's stored figures (statistics_cells, migration 0022), over HTTP on both stores: a closed
/// month is computed once and read back while younger than Statistics:StoredFiguresLifetime (here two
/// hours), a late change shows once that time has passed, the k rule is applied to stored counts as to
/// computed ones, and concurrent first requests all answer the same figures. Each test writes its own
/// months of 2023.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class StoredFiguresTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static int _people;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Statistics:StoredFiguresLifetime"] = "02:00:00" };

    private async Task AwardInAsync(Partner partner, string classId, string month, int people)
    {
        for (var i = 0; i < people; i++)
        {
            await Json(await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{classId}/assertions", new
            {
                recipient = new { type = "email", identity = $"stocke{Interlocked.Increment(ref _people)}@example.org" },
                issuedOn = DateTimeOffset.Parse($"{month}-12T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), notify = false,
            }), 201);
        }
    }

    private static JsonObject Month(JsonObject report, string month) =>
        report["months"]!.AsArray().Single(m => m!["month"]!.GetValue<string>() == month)!.AsObject();

    private static long? Total(JsonObject report, string month) => Month(report, month)["total"]?.GetValue<long?>();

    private async Task<List<int>> StoredMonthsAsync(string breakdown)
    {
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        return await db.StatisticsCells.AsNoTracking().Where(c => c.Scope != 0 && c.Breakdown == breakdown && c.Key == "").Select(c => c.Month).ToListAsync();
    }

    [Test]
    public async Task AClosedMonth_IsStoredOnce_AndALateAwardShowsOnlyAfterTheLifetime()
    {
        const string M = "2023-03";
        var partner = await NewPartnerAsync("MDA stored figures");
        var classId = await NewBadgeClassAsync(partner);
        await AwardInAsync(partner, classId, M, 6);
        var route = $"/api/v1/issuers/{partner.IssuerId}/statistics?from=2023-02&to=2023-04";
        Assert.That(Total(await Json(await partner.Client.GetAsync(route), 200), M), Is.EqualTo(6));
        // All three months are marked computed, the empty ones too.
        Assert.That(await StoredMonthsAsync("month"), Is.SupersetOf(new[] { 202302, 202303, 202304 }));

        // A late award (issuedOn in the closed month) is not counted while the stored month is fresh...
        await AwardInAsync(partner, classId, M, 2);
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        ForgetTokens();
        var admin = await AdminAsync();
        var stale = await Json(await admin.GetAsync(route), 200);
        Assert.That((Total(stale, M), stale["total"]!.GetValue<long>()), Is.EqualTo(((long?)6, 6L)));
        // ...and is, once the stored month is older than the lifetime.
        Factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        ForgetTokens();
        var fresh = await Json(await (await AdminAsync()).GetAsync(route), 200);
        Assert.That((Total(fresh, M), fresh["total"]!.GetValue<long>()), Is.EqualTo(((long?)8, 8L)));
    }

    [Test]
    public async Task StoredCounts_PassTheKRuleOnEveryRead()
    {
        const string M = "2023-05";
        var (partner, classes) = await CataloguePartnerAsync("MDA stored k rule");
        await AwardInAsync(partner, classes["COM-ORAL-N1"], M, 6);
        await AwardInAsync(partner, classes["ORG-EQUIPE-N1"], M, 7);
        var route = $"/api/v1/issuers/{partner.IssuerId}/statistics?by=competence&from={M}&to={M}";
        var first = await Json(await partner.Client.GetAsync(route), 200);
        Assert.That(Month(first, M)["cells"]!.AsArray().Select(c => (c!["key"]!.GetValue<string>(), c["count"]?.GetValue<long?>())),
            Is.EquivalentTo(new[] { ("communication_orale", (long?)6), ("travail_en_equipe", (long?)7) }));

        // The stored row says three people: read back, the cell is hidden, and its neighbour with it (rule 4).
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            var changed = await db.StatisticsCells.Where(c => c.Scope != 0 && c.Breakdown == "competence" && c.Month == 202305 && c.Key == "communication_orale")
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.People, 3));
            Assert.That(changed, Is.EqualTo(1));
        }
        var second = await Json(await partner.Client.GetAsync(route), 200);
        Assert.That(Month(second, M)["cells"]!.AsArray().Select(c => (c!["key"]!.GetValue<string>(), c["suppressed"]!.GetValue<bool>())),
            Is.EquivalentTo(new[] { ("communication_orale", true), ("travail_en_equipe", true) }));
        Assert.That(Total(second, M), Is.EqualTo(13));
    }

    [Test]
    public async Task ConcurrentFirstRequests_AllAnswer_TheSameFigures()
    {
        const string M = "2023-07";
        var (partner, classes) = await CataloguePartnerAsync("MDA concurrent figures");
        await AwardInAsync(partner, classes["COM-ORAL-N1"], M, 5);
        await AwardInAsync(partner, classes["COM-ORAL-N2"], M, 6);
        var route = $"/api/v1/issuers/{partner.IssuerId}/statistics?by=level&from=2023-06&to=2023-08";
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => (await Json(await partner.Client.GetAsync(route), 200)).ToJsonString()));
        Assert.That(answers.Distinct().Count(), Is.EqualTo(1), answers[0]);
        var report = JsonNode.Parse(answers[0])!.AsObject();
        Assert.That(Month(report, M)["cells"]!.AsArray().Select(c => (c!["key"]!.GetValue<string>(), c["count"]?.GetValue<long?>())),
            Is.EquivalentTo(new[] { ("1", (long?)5), ("2", (long?)6) }));
        // One set of rows: the month's mark once per breakdown, whoever stored it.
        Assert.That((await StoredMonthsAsync("level")).Where(m => m == 202307).Count(), Is.EqualTo(1));
    }
}
