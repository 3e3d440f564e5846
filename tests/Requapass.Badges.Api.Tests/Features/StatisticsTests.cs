using Requapass.Badges.Api.Features.Verification;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The barometer (issue #15, part 2), over HTTP on both stores: issuers' territories, figures per
/// competence, level, issuer and territory, the k rule with small counts and differencing attempts,
/// CSV and SVG, the verification counter, and bad queries. Each test writes its own past month(s), so
/// REQUAPASS-wide figures of one test never include another's.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class StatisticsTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static int _people;

    private static string Person() => $"benevole{Interlocked.Increment(ref _people)}@example.org";

    private static DateTimeOffset Day(string month, int day = 10) => DateTimeOffset.Parse($"{month}-{day:00}T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Awards <paramref name="classId"/> to <paramref name="people"/> people (or the given ones) in <paramref name="month"/>.</summary>
    private static async Task<List<JsonObject>> AwardInAsync(Partner partner, string classId, string month, int people, string? email = null, DateTimeOffset? expires = null)
    {
        var awarded = new List<JsonObject>();
        for (var i = 0; i < people; i++)
        {
            var response = await partner.Client.PostAsJsonAsync($"/api/v1/badge-classes/{classId}/assertions",
                new { recipient = new { type = "email", identity = email ?? Person() }, issuedOn = Day(month), expires, notify = false });
            awarded.Add(await Json(response, 201));
        }
        return awarded;
    }

    private static JsonArray Cells(JsonObject report, string month) =>
        report["months"]!.AsArray().Single(m => m!["month"]!.GetValue<string>() == month)!["cells"]!.AsArray();

    private static long? Cell(JsonObject report, string month, string key) =>
        Cells(report, month).SingleOrDefault(c => c!["key"]!.GetValue<string>() == key)?["count"]?.GetValue<long?>();

    private static bool Hidden(JsonObject report, string month, string key) =>
        Cells(report, month).Single(c => c!["key"]!.GetValue<string>() == key)!["suppressed"]!.GetValue<bool>();

    private static long? Total(JsonObject report, string month) =>
        report["months"]!.AsArray().Single(m => m!["month"]!.GetValue<string>() == month)!["total"]?.GetValue<long?>();

    [Test]
    public async Task Territory_IsSetOnCreateAndUpdate_KeptWhenLeftOut_ClearedByEmpty_AndRefusedOffTheList()
    {
        var admin = await AdminAsync();
        var created = await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new
        {
            name = "Maison des Associations de Tourcoing", url = "https://mda-tourcoing.example.org", email = "contact@mda-tourcoing.example.org", territory = "fr-59",
        }), 201);
        var id = created["id"]!.GetValue<string>();
        Assert.That(created["territory"]!.GetValue<string>(), Is.EqualTo("FR-59"));
        object Body(string? territory) => new { name = "MDA Tourcoing", url = "https://mda-tourcoing.example.org", email = "contact@mda-tourcoing.example.org", territory };

        var kept = await Json(await admin.PutAsJsonAsync($"/api/v1/issuers/{id}", Body(null)), 200);
        Assert.That(kept["territory"]!.GetValue<string>(), Is.EqualTo("FR-59"));
        var moved = await Json(await admin.PutAsJsonAsync($"/api/v1/issuers/{id}", Body("BE-WHT")), 200);
        Assert.That(moved["territory"]!.GetValue<string>(), Is.EqualTo("BE-WHT"));
        foreach (var bad in new[] { "FR-20", "BE-XXX", "59", "DE-BY", "FR-59 " + new string('x', 20) })
        {
            var problem = await AssertProblem(await admin.PutAsJsonAsync($"/api/v1/issuers/{id}", Body(bad)), 400);
            Assert.That(problem["errors"]!["territory"] ?? problem["errors"]!["Territory"], Is.Not.Null, bad);
        }
        Assert.That((await Json(await admin.GetAsync($"/api/v1/issuers/{id}"), 200))["territory"]!.GetValue<string>(), Is.EqualTo("BE-WHT"));
        // The territory is ours, not Open Badges': the hosted profile does not carry it.
        var profile = await Anonymous().GetStringAsync($"/public/issuers/{id}");
        Assert.That(profile, Does.Not.Contain("BE-WHT").And.Not.Contain("territory"));
        var cleared = await Json(await admin.PutAsJsonAsync($"/api/v1/issuers/{id}", Body("")), 200);
        Assert.That(cleared["territory"], Is.Null);
    }

    [Test]
    public async Task ByCompetence_ShowsCellsOfKPeople_HidesSmallOnes_AndTheSmallestComplement_SoTheTotalRevealsNothing()
    {
        const string M = "2024-01";
        var (partner, classes) = await CataloguePartnerAsync("MDA Roubaix competences");
        await AwardInAsync(partner, classes["COM-ORAL-N1"], M, 6);
        await AwardInAsync(partner, classes["COM-ORAL-N2"], M, 5);
        await AwardInAsync(partner, classes["ORG-REGLES-N1"], M, 7);
        await AwardInAsync(partner, classes["ORG-EQUIPE-N1"], M, 2);

        var report = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=awarded&by=competence&from={M}&to={M}"), 200);
        Assert.That(report["minimumCount"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(Total(report, M), Is.EqualTo(20));
        // Two levels of one competence, eleven people: one cell, counted by people across its levels.
        Assert.That(Cell(report, M, "communication_orale"), Is.EqualTo(11));
        Assert.That(Cells(report, M).Single(c => c!["key"]!.GetValue<string>() == "communication_orale")!["label"]!.GetValue<string>(), Is.EqualTo("Communication orale"));
        var hidden = Cells(report, M).Where(c => c!["suppressed"]!.GetValue<bool>()).ToList();
        Assert.That(hidden, Has.Count.EqualTo(2), "the small cell and its complement");
        Assert.That(hidden.Select(c => c!["count"]), Is.All.Null);
        // The differencing attempt: total minus the visible cells is the two hidden cells together (9), never the 2 alone.
        var visible = Cells(report, M).Sum(c => c!["count"]?.GetValue<long>() ?? 0);
        Assert.That(Total(report, M) - visible, Is.EqualTo(9));
        Assert.That(report.ToJsonString(), Does.Not.Contain("\"count\":2,").And.Not.Contain("\"count\":7,"));

        // By level: 15 at level 1, 5 at level 2, nothing small, nothing hidden.
        var levels = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?by=level&from={M}&to={M}&lang=en"), 200);
        Assert.That((Cell(levels, M, "1"), Cell(levels, M, "2")), Is.EqualTo(((long?)15, (long?)5)));
        Assert.That(Cells(levels, M).Select(c => c!["label"]!.GetValue<string>()), Is.EqualTo(new[] { "Level 1", "Level 2" }));
    }

    [Test]
    public async Task ManyBadgesOfOneVolunteer_AreOnePerson_AndStayHidden()
    {
        const string M = "2024-03";
        var partner = await NewPartnerAsync("MDA one volunteer");
        var classId = await NewBadgeClassAsync(partner);
        var one = Person();
        await AwardInAsync(partner, classId, M, 6, email: one);
        var report = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?from={M}&to={M}"), 200);
        var month = report["months"]![0]!;
        Assert.That((month["total"]?.GetValue<long?>(), month["suppressed"]!.GetValue<bool>()), Is.EqualTo(((long?)null, true)));
        Assert.That((report["total"]!.GetValue<long>(), report["complete"]!.GetValue<bool>()), Is.EqualTo((0L, false)));
    }

    [Test]
    public async Task MovingTheRange_OrItsBoundaryByADay_CannotRevealAHiddenMonth()
    {
        const string M1 = "2024-05", M2 = "2024-06";
        var partner = await NewPartnerAsync("MDA differencing");
        var classId = await NewBadgeClassAsync(partner);
        await AwardInAsync(partner, classId, M1, 2);
        await AwardInAsync(partner, classId, M2, 6);
        var both = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?from={M1}&to={M2}"), 200);
        var second = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?from={M2}&to={M2}"), 200);
        // The wider range adds nothing for the hidden month: its sum is the visible months' sum, marked incomplete.
        Assert.That((both["total"]!.GetValue<long>(), both["complete"]!.GetValue<bool>()), Is.EqualTo((6L, false)));
        Assert.That((second["total"]!.GetValue<long>(), second["complete"]!.GetValue<bool>()), Is.EqualTo((6L, true)));
        Assert.That(both["total"]!.GetValue<long>() - second["total"]!.GetValue<long>(), Is.Zero);
        Assert.That(Total(both, M1), Is.Null);
        // A boundary inside a month cannot be asked: only whole months.
        foreach (var bad in new[] { "from=2024-05-02&to=2024-06", "from=2024-05&to=2024-06-30" })
        {
            await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?{bad}"), 400);
        }
    }

    [Test]
    public async Task RequapassWide_ByIssuerAndTerritory_HidesASmallIssuerAndItsNeighbour_AndStaffMayNotAsk()
    {
        const string M = "2024-08";
        var admin = await AdminAsync();
        var a = await NewPartnerAsync("Territory A");
        var b = await NewPartnerAsync("Territory B");
        var c = await NewPartnerAsync("Territory C");
        foreach (var (p, t) in new[] { (a, "FR-59"), (b, "FR-59"), (c, "BE-WHT") })
        {
            await Json(await admin.PutAsJsonAsync($"/api/v1/issuers/{p.IssuerId}", new { name = "Territory " + t, url = "https://example.org", email = "x@example.org", territory = t }), 200);
        }
        await AwardInAsync(a, await NewBadgeClassAsync(a), M, 6);
        await AwardInAsync(b, await NewBadgeClassAsync(b), M, 2);
        await AwardInAsync(c, await NewBadgeClassAsync(c), M, 8);

        var territories = await Json(await admin.GetAsync($"/api/v1/statistics?by=territory&from={M}&to={M}"), 200);
        Assert.That((Cell(territories, M, "FR-59"), Cell(territories, M, "BE-WHT"), Total(territories, M)), Is.EqualTo(((long?)8, (long?)8, (long?)16)));
        var issuers = await Json(await admin.GetAsync($"/api/v1/statistics?by=issuer&from={M}&to={M}"), 200);
        // B is small; A is hidden with it, or FR-59 (8) minus A (6) would give B (2).
        Assert.That((Cell(issuers, M, a.IssuerId), Cell(issuers, M, b.IssuerId), Cell(issuers, M, c.IssuerId)), Is.EqualTo(((long?)null, (long?)null, (long?)8)));
        Assert.That(Hidden(issuers, M, a.IssuerId) && Hidden(issuers, M, b.IssuerId), Is.True);
        Assert.That(Cells(issuers, M).Single(x => x!["key"]!.GetValue<string>() == c.IssuerId)!["label"]!.GetValue<string>(), Is.EqualTo("Territory BE-WHT"));

        await AssertProblem(await a.Client.GetAsync($"/api/v1/statistics?from={M}&to={M}"), 403);
        await AssertProblem(await b.Client.GetAsync($"/api/v1/issuers/{a.IssuerId}/statistics?from={M}&to={M}"), 403);
        await AssertProblem(await a.Client.GetAsync($"/api/v1/issuers/{a.IssuerId}/statistics?by=issuer&from={M}&to={M}"), 400);
        // An issuer's staff see their own people only.
        var own = await Json(await a.Client.GetAsync($"/api/v1/issuers/{a.IssuerId}/statistics?from={M}&to={M}"), 200);
        Assert.That(Total(own, M), Is.EqualTo(6));
    }

    [Test]
    public async Task ExpiredAndOutcomes_AreCounted_AndCsvHidesWhatJsonHides()
    {
        const string M = "2024-10";
        var partner = await NewPartnerAsync("=HYPERLINK(\"https://evil.example\")");
        var classId = await NewBadgeClassAsync(partner);
        await AwardInAsync(partner, classId, "2024-09", 5, expires: Day(M, 20));
        await AwardInAsync(partner, classId, "2024-09", 1, expires: Day(M, 21));
        var expired = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=expired&from={M}&to={M}"), 200);
        Assert.That(Total(expired, M), Is.EqualTo(6));
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=awarded&by=outcome"), 400);

        var admin = await AdminAsync();
        var csv = await admin.GetAsync($"/api/v1/statistics?by=issuer&from=2024-09&to={M}&format=csv");
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("scope,measure,by,month,key,label,count,suppressed"));
        // The issuer's name is quoted and cannot run as a formula.
        Assert.That(lines, Has.Some.Contains($",{partner.IssuerId},\"'=HYPERLINK(\"\"https://evil.example\"\")\",6,false"));
        using var negotiated = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/issuers/{partner.IssuerId}/statistics?measure=expired&from={M}&to={M}");
        negotiated.Headers.Accept.ParseAdd("text/csv");
        var accepted = await partner.Client.SendAsync(negotiated);
        Assert.That(accepted.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(await accepted.Content.ReadAsStringAsync(), Does.Contain($"{partner.IssuerId},expired,month,{M},total,total,6,false"));

        // A small month in CSV: an empty count and suppressed = true, never the number.
        var small = await partner.Client.GetStringAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=awarded&from=2024-09&to=2024-09&format=csv");
        Assert.That(small, Does.Contain($"{partner.IssuerId},awarded,month,2024-09,total,total,6,false"));
        var fewer = await NewPartnerAsync("Few");
        await AwardInAsync(fewer, await NewBadgeClassAsync(fewer), "2024-09", 3);
        var hiddenCsv = await fewer.Client.GetStringAsync($"/api/v1/issuers/{fewer.IssuerId}/statistics?from=2024-09&to=2024-09&format=csv");
        Assert.That(hiddenCsv, Does.Contain($"{fewer.IssuerId},awarded,month,2024-09,total,total,,true").And.Not.Contain(",3,"));
    }

    [Test]
    public async Task ClaimsAndApplications_AreCountedByOutcome_OnceTheirMonthCloses()
    {
        var partner = await NewPartnerAsync("MDA claims and applications");
        var classId = await NewBadgeClassAsync(partner);
        var campaign = await ClaimTests.CampaignAsync(partner, classId, ClaimTests.MultiUse(review: true));
        for (var i = 0; i < 5; i++)
        {
            await Json(await Anonymous().PostAsJsonAsync("/public/claims", new { code = campaign["code"]!.GetValue<string>(), email = Person() }), 202);
        }
        for (var i = 0; i < 6; i++)
        {
            var map = await ApplicationTests.NewMapAsync(Factory.Database);
            await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
                new { issuerId = partner.IssuerId, badgeClassIds = new[] { classId }, experienceId = map.ExperienceId, narrative = "Accueil" }), 201);
        }
        var month = Factory.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        // Not before the month closes: the current month would show each claim as it comes.
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=claims&from={month}&to={month}"), 400);
        Factory.Clock.Advance(TimeSpan.FromDays(32));
        ForgetTokens();
        var admin = await AdminAsync();
        var claims = await Json(await admin.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=claims&by=outcome&from={month}&to={month}&lang=en"), 200);
        Assert.That((Total(claims, month), Cell(claims, month, "pending")), Is.EqualTo(((long?)5, (long?)5)));
        Assert.That(Cells(claims, month)[0]!["label"]!.GetValue<string>(), Is.EqualTo("Pending"));
        var applications = await Json(await admin.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?measure=applications&by=outcome&from={month}&to={month}"), 200);
        Assert.That((Total(applications, month), Cell(applications, month, "pending")), Is.EqualTo(((long?)6, (long?)6)));
    }

    [TestCase("measure=nothing", "measure")]
    [TestCase("by=colour", "by")]
    [TestCase("from=2024-13", "from")]
    [TestCase("from=24-01", "from")]
    [TestCase("to=2999-01", "to")]
    [TestCase("from=2019-01&to=2024-01", "from")]
    [TestCase("from=2024-06&to=2024-01", "from")]
    [TestCase("lang=de", "lang")]
    [TestCase("format=xml", "format")]
    [TestCase("measure=revoked&by=outcome", "by")]
    public async Task ABadQuery_IsA400Problem_NamingTheParameter(string query, string field)
    {
        var partner = await NewPartnerAsync("MDA bad queries");
        var problem = await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?{query}"), 400);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        if (field == "format") { return; } // a chart is SVG whatever the format says
        var chart = await AssertProblem(await (await AdminAsync()).GetAsync($"/api/v1/statistics/chart?{query}"), 400);
        Assert.That(chart["type"]!.GetValue<string>(), Is.EqualTo("urn:requapass:problem:validation"));
    }

    [Test]
    public async Task TheCurrentMonth_IsRefused_UntilItCloses()
    {
        var partner = await NewPartnerAsync("MDA current month");
        var now = Factory.Clock.GetUtcNow();
        var problem = await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics?to={now:yyyy-MM}"), 400);
        Assert.That(problem["errors"]!["to"], Is.Not.Null);
        var report = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/statistics"), 200);
        Assert.That(report["months"]!.AsArray(), Has.Count.EqualTo(12));
        Assert.That(report["to"]!.GetValue<string>(), Is.EqualTo(now.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("competence", "fr", null, "Badges délivrés par compétence")]
    [TestCase("level", null, "nl-BE,nl;q=0.9", "Uitgereikte badges per niveau")]
    [TestCase("month", "en", null, "Badges awarded by month")]
    public async Task Charts_AreSvgWithTitleAndText_NoScript_UnderAStrictPolicy(string by, string? lang, string? acceptLanguage, string title)
    {
        var (partner, classes) = await CataloguePartnerAsync("MDA charts");
        await AwardInAsync(partner, classes["COM-ORAL-N1"], "2024-11", 6);
        await AwardInAsync(partner, classes["COM-ORAL-N2"], "2024-12", 7);
        await AwardInAsync(partner, classes["ORG-EQUIPE-N1"], "2024-12", 9);
        await AwardInAsync(partner, classes["REF-PARCOURS-N3"], "2024-12", 2);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/issuers/{partner.IssuerId}/statistics/chart?by={by}&from=2024-01&to=2024-12" + (lang is null ? "" : $"&lang={lang}"));
        if (acceptLanguage is not null) { request.Headers.AcceptLanguage.ParseAdd(acceptLanguage); }
        var response = await partner.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'"));
        var svg = XDocument.Parse(text).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.That(svg.Element(ns + "title")!.Value, Does.StartWith(title));
        Assert.That(svg.Element(ns + "desc")!.Value, Is.Not.Empty);
        Assert.That(svg.Attribute("role")!.Value, Is.EqualTo("img"));
        Assert.That(svg.Descendants().Where(e => e.Name.LocalName is "script" or "foreignObject" or "a" or "image" or "style"), Is.Empty);
        Assert.That(svg.Descendants().SelectMany(e => e.Attributes()).Where(a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal) || a.Name.LocalName == "href"), Is.Empty);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        // In 2024-12 the small cell (2 people) hides the smallest other one too: oral communication shows 2024-11 only.
        if (by == "competence") { Assert.That(texts, Does.Contain("Communication orale").And.Contain("6 *").And.Contain("9")); }
        if (by == "month") { Assert.That(texts, Does.Contain("18").And.Contain("6")); }
        // The small cell (2 people in 2024-12) appears nowhere as a figure.
        if (by != "month") { Assert.That(texts, Does.Not.Contain("2")); }
        Directory.CreateDirectory("/tmp/shots-baro");
        await File.WriteAllTextAsync($"/tmp/shots-baro/chart-{by}-{Provider}.svg", text);
    }

    [Test]
    public async Task Verifications_OfOurBadges_AreCountedPerClassAndMonth_AndACounterFailureFailsNothingAndLosesNothing()
    {
        var partner = await NewPartnerAsync("MDA verified");
        var classId = await NewBadgeClassAsync(partner);
        var badge = (await AwardInAsync(partner, classId, "2024-02", 1))[0];
        var url = badge["openBadgesId"]!.GetValue<string>();
        for (var i = 0; i < 5; i++)
        {
            // The last as the award's OB 3.0 credential: the same badge, counted the same.
            var report = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url = i < 4 ? url : url + "/ob3" }), 200);
            Assert.That((report["valid"]!.GetValue<bool>(), report["openBadgesVersion"]!.GetValue<int>()), Is.EqualTo((true, i < 4 ? 2 : 3)));
        }
        // A foreign badge is not ours to count.
        await Anonymous().PostAsJsonAsync("/public/verify", new { assertion = new { id = $"urn:uuid:{Guid.NewGuid()}" } });
        var flusher = Factory.Services.GetRequiredService<VerificationCountFlusher>();
        var now = Factory.Clock.GetUtcNow();
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            Assert.That(await db.VerificationCounts.CountAsync(), Is.Zero, "a verification writes nothing itself");
            await flusher.FlushAsync(CancellationToken.None);
            var rows = await db.VerificationCounts.AsNoTracking().ToListAsync();
            Assert.That(rows.Select(r => (r.Month, r.Count)), Is.EqualTo(new[] { (now.Year * 100 + now.Month, 5L) }));
            // The counts cannot be written: the verification still answers, valid, and its count waits for the next write.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE verification_counts RENAME TO verification_counts_away");
            try
            {
                var report = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { url }), 200);
                Assert.That(report["valid"]!.GetValue<bool>(), Is.True);
                await flusher.FlushAsync(CancellationToken.None);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE verification_counts_away RENAME TO verification_counts");
            }
            await flusher.FlushAsync(CancellationToken.None);
            Assert.That((await db.VerificationCounts.AsNoTracking().ToListAsync()).Select(r => (r.Month, r.Count)),
                Is.EqualTo(new[] { (now.Year * 100 + now.Month, 6L) }));
        }
        // Once the month closes, the figure shows: six verifications, by competence ("other": not a catalogue class).
        var month = Factory.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Factory.Clock.Advance(TimeSpan.FromDays(32));
        ForgetTokens();
        var figures = await Json(await (await AdminAsync()).GetAsync($"/api/v1/statistics?measure=verifications&by=competence&from={month}&to={month}"), 200);
        Assert.That((Total(figures, month), Cell(figures, month, "other")), Is.EqualTo(((long?)6, (long?)6)));
    }
}
