using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>Bulk awards and bulk revocation through HTTP on both stores (issue #6).</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public class BatchTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Batch:SyncThreshold"] = "5",
        ["Batch:ChunkSize"] = "4",
        ["Batch:PollInterval"] = "00:00:00.100",
        ["Verification:RequestsPerMinute"] = "100000",
    };

    [Test]
    public async Task A_small_json_batch_is_awarded_at_once()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var rows = new JsonArray(
            Row("a@example.org"), Row("b@example.org", narrative: "Accueil du samedi"),
            new JsonObject { ["recipient"] = new JsonObject { ["type"] = "telephone", ["identity"] = "+32 470 12 34 56" }, ["expires"] = "2099-01-01T00:00:00Z" });
        var response = await Send(partner, badgeClass, rows.ToJsonString(), "application/json", "key-json-1");
        var job = await Json(response, 201);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/jobs/{job["id"]}"));
        Assert.That((job["status"]!.GetValue<string>(), job["awarded"]!.GetValue<int>(), job["refused"]!.GetValue<int>()), Is.EqualTo(("completed", 3, 0)));
        var assertions = job["assertions"]!.AsArray();
        Assert.That(assertions.Select(a => a!["line"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2, 3 }));
        var second = await Json(await partner.Client.GetAsync($"/api/v1/assertions/{assertions[1]!["assertionId"]}"), 200);
        Assert.That(second["narrative"]!.GetValue<string>(), Is.EqualTo("Accueil du samedi"));
    }

    [Test]
    public async Task Csv_with_bom_semicolons_and_quoted_fields_as_french_spreadsheets_write_it()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var csv = "\uFEFFrecipient;narrative;issued_on;evidence_url\r\n"
            + "marie@example.org;\"Accueil; orientation et \"\"café\"\"\r\nsur deux lignes\";22/11/2026;https://example.org/rapport\r\n"
            + "\r\n"
            + "Paul@Example.org;Simple;2026-11-01;\r\n";
        var job = await Json(await Send(partner, badgeClass, csv, "text/csv", "key-csv-1"), 201);
        Assert.That(job["awarded"]!.GetValue<int>(), Is.EqualTo(2), job.ToJsonString());
        var lines = job["assertions"]!.AsArray().Select(a => a!["line"]!.GetValue<int>()).ToList();
        Assert.That(lines, Is.EqualTo(new[] { 2, 5 }), "lines are the file's, a quoted line break and a blank line included");
        var first = await Json(await partner.Client.GetAsync($"/api/v1/assertions/{job["assertions"]![0]!["assertionId"]}"), 200);
        Assert.That(first["narrative"]!.GetValue<string>(), Is.EqualTo("Accueil; orientation et \"café\"\r\nsur deux lignes"));
        Assert.That(first["issuedOn"]!.GetValue<DateTime>(), Is.EqualTo(new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc)));
        Assert.That(first["evidence"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("https://example.org/rapport"));
    }

    [Test]
    public async Task One_bad_row_refuses_the_whole_batch_and_names_its_line()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var before = await CountAssertions();
        var csv = "recipient,narrative,issued_on\nok@example.org,\"deux\nlignes\",\nnot-an-email,x,\nok2@example.org,y,31/02/2026\nok3@example.org,z,2099-01-01\n";
        var problem = await AssertProblem(await Send(partner, badgeClass, csv, "text/csv", "key-bad-1"), 422);
        var rows = problem["rows"]!.AsArray();
        Assert.That(rows.Select(r => r!["line"]!.GetValue<int>()), Is.EqualTo(new[] { 4, 5, 6 }));
        Assert.That(rows[0]!["errors"]!.ToJsonString(), Does.Contain("email"));
        Assert.That(rows[1]!["errors"]!.ToJsonString(), Does.Contain("issued_on"));
        Assert.That(rows[2]!["errors"]!.ToJsonString(), Does.Contain("future"));
        Assert.That(await CountAssertions(), Is.EqualTo(before), "nothing was written");

        var partial = await Json(await Send(partner, badgeClass, csv, "text/csv", "key-bad-2", partial: true), 201);
        Assert.That((partial["awarded"]!.GetValue<int>(), partial["refused"]!.GetValue<int>()), Is.EqualTo((1, 3)));
        Assert.That(partial["errors"]!.AsArray().Select(r => r!["line"]!.GetValue<int>()), Is.EqualTo(new[] { 4, 5, 6 }));
        Assert.That(await CountAssertions(), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task The_idempotency_key_is_required_and_a_retry_never_awards_twice()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var body = new JsonArray(Row("a@example.org"), Row("b@example.org")).ToJsonString();
        await AssertProblem(await Send(partner, badgeClass, body, "application/json", key: null), 400);
        var first = await Json(await Send(partner, badgeClass, body, "application/json", "key-retry"), 201);
        var count = await CountAssertions();
        var retry = await Send(partner, badgeClass, body, "application/json", "key-retry");
        var again = await Json(retry, 201);
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That(again.ToJsonString(), Is.EqualTo(first.ToJsonString()), "the same result");
        Assert.That(await CountAssertions(), Is.EqualTo(count), "no duplicates");
        await AssertProblem(await Send(partner, badgeClass, new JsonArray(Row("c@example.org")).ToJsonString(), "application/json", "key-retry"), 422);
    }

    [Test]
    public async Task A_large_batch_answers_202_and_its_job_completes()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var rows = new JsonArray([.. Enumerable.Range(0, 23).Select(i => (JsonNode)Row($"v{i}@example.org"))]);
        var response = await Send(partner, badgeClass, rows.ToJsonString(), "application/json", "key-large");
        var accepted = await Json(response, 202);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/jobs/{accepted["id"]}"));
        var done = await WaitForJob(partner, accepted["id"]!.GetValue<string>());
        Assert.That((done["awarded"]!.GetValue<int>(), done["progress"]!.GetValue<double>()), Is.EqualTo((23, 1.0)));
        var stranger = await NewPartnerAsync("Autre association");
        await AssertProblem(await stranger.Client.GetAsync($"/api/v1/jobs/{accepted["id"]}"), 403);
        await AssertProblem(await partner.Client.GetAsync("/api/v1/jobs/nope123456789012"), 404);
        Assert.That(done["assertions"]!.AsArray().Select(a => a!["assertionId"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(23));
    }

    [Test]
    public async Task A_signed_batch_gives_badges_that_verify()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var rows = new JsonArray([.. Enumerable.Range(0, 9).Select(i => (JsonNode)Row($"s{i}@example.org", verification: "signed"))]);
        var accepted = await Json(await Send(partner, badgeClass, rows.ToJsonString(), "application/json", "key-signed"), 202);
        var done = await WaitForJob(partner, accepted["id"]!.GetValue<string>());
        foreach (var row in done["assertions"]!.AsArray())
        {
            var assertion = await Json(await partner.Client.GetAsync($"/api/v1/assertions/{row!["assertionId"]}"), 200);
            var report = await Json(await Anonymous().PostAsJsonAsync("/public/verify", new { jws = assertion["jws"]!.GetValue<string>() }), 200);
            Assert.That(report["valid"]!.GetValue<bool>(), Is.True, report["checks"]!.ToJsonString());
        }
    }

    [Test]
    public async Task Requests_that_cannot_be_a_batch_get_a_problem_and_write_nothing()
    {
        var partner = await NewPartnerAsync();
        var stranger = await NewPartnerAsync("Autre association");
        var badgeClass = await NewBadgeClassAsync(partner);
        var before = await CountAssertions();
        await AssertProblem(await Send(stranger, badgeClass, new JsonArray(Row("a@example.org")).ToJsonString(), "application/json", "k1"), 403);
        await AssertProblem(await Send(partner, badgeClass, "recipient,colour\na@example.org,blue\n", "text/csv", "k2"), 400);
        await AssertProblem(await Send(partner, badgeClass, "", "text/csv", "k3"), 400);
        await AssertProblem(await Send(partner, badgeClass, "{\"recipient\":1}", "application/json", "k4"), 400);
        await AssertProblem(await Send(partner, badgeClass, "[]", "application/json", "k5"), 400);
        await AssertProblem(await Send(partner, badgeClass, "hello", "text/plain", "k6"), 415);
        var tooMany = "recipient\n" + string.Concat(Enumerable.Range(0, 10_001).Select(i => $"v{i}@example.org\n"));
        await AssertProblem(await Send(partner, badgeClass, tooMany, "text/csv", "k7"), 413);
        await AssertProblem(await Send(partner, "nope123456789012", "[]", "application/json", "k8"), 404);
        Assert.That(await CountAssertions(), Is.EqualTo(before));
    }

    [Test]
    public async Task Bulk_revoke_revokes_own_badges_only()
    {
        var partner = await NewPartnerAsync();
        var stranger = await NewPartnerAsync("Autre association");
        var badgeClass = await NewBadgeClassAsync(partner);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) { ids.Add((await AwardAsync(partner, badgeClass, $"r{i}@example.org"))["id"]!.GetValue<string>()); }
        var foreign = (await AwardAsync(stranger, await NewBadgeClassAsync(stranger)))["id"]!.GetValue<string>();
        await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{ids[2]}/revoke", new { reason = "Déjà" });

        var result = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/assertions/revoke",
            new { ids = new[] { ids[0], ids[1], ids[2], foreign, "nope123456789012" }, reason = "Session annulée" }), 200);
        Assert.That(result["revoked"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(ids.Take(2)));
        Assert.That(result["alreadyRevoked"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { ids[2] }));
        Assert.That(result["notFound"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { "nope123456789012" }));
        // Another issuer's badge gets the answer a single revocation of it gets (403): forbidden, left alone.
        Assert.That(result["forbidden"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { foreign }));
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/assertions/{foreign}/revoke", new { reason = "x" }), 403);
        var revoked = await Json(await partner.Client.GetAsync($"/api/v1/assertions/{ids[0]}"), 200);
        Assert.That(revoked["revocationReason"]!.GetValue<string>(), Is.EqualTo("Session annulée"));
        var untouched = await Json(await stranger.Client.GetAsync($"/api/v1/assertions/{foreign}"), 200);
        Assert.That(untouched["revoked"]!.GetValue<bool>(), Is.False);
        await AssertProblem(await stranger.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/assertions/revoke", new { ids, reason = "x" }), 403);
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/assertions/revoke", new { ids, reason = "" }), 400);
    }

    internal static JsonObject Row(string email, string? narrative = null, string? verification = null) => new()
    {
        ["recipient"] = new JsonObject { ["type"] = "email", ["identity"] = email }, ["narrative"] = narrative, ["verification"] = verification,
    };

    internal static Task<HttpResponseMessage> Send(Partner partner, string badgeClass, string body, string contentType, string? key, bool partial = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch{(partial ? "?partial=true" : "")}")
        {
            Content = new StringContent(body, new UTF8Encoding(false), contentType),
        };
        if (key is not null) { request.Headers.Add("Idempotency-Key", key); }
        return partner.Client.SendAsync(request);
    }

    internal static async Task<JsonObject> WaitForJob(Partner partner, string jobId)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = await Json(await partner.Client.GetAsync($"/api/v1/jobs/{jobId}"), 200);
            if (job["status"]!.GetValue<string>() is "completed" or "failed") { return job; }
            await Task.Delay(100);
        }
        throw new AssertionException($"Job {jobId} did not finish in 60 s.");
    }

    private async Task<int> CountAssertions()
    {
        using var scope = Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BadgesDbContext>().Assertions.CountAsync();
    }
}

/// <summary>10,000 rows in one request, and a job that outlives its host.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public class BatchJobTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => Settings;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Batch:PollInterval"] = "00:00:00.100",
        ["Batch:Lease"] = "00:00:01",
    };

    [Test]
    public async Task Ten_thousand_csv_rows_in_one_request()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var csv = new StringBuilder("\uFEFFrecipient;narrative\r\n");
        for (var i = 0; i < 10_000; i++) { csv.Append($"benevole{i}@example.org;Session du 22 novembre\r\n"); }
        var accepted = await Json(await BatchTests.Send(partner, badgeClass, csv.ToString(), "text/csv", "ten-thousand"), 202);
        var done = await BatchTests.WaitForJob(partner, accepted["id"]!.GetValue<string>());
        Assert.That((done["awarded"]!.GetValue<int>(), done["refused"]!.GetValue<int>()), Is.EqualTo((10_000, 0)));
        Assert.That(done["assertions"]!.AsArray().Select(a => a!["line"]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(2, 10_000)));
    }

    [Test]
    public async Task A_job_interrupted_by_a_stopped_host_resumes_on_restart_without_loss_or_duplicates()
    {
        // A host that pauses between chunks of 10, so that it can be stopped in the middle.
        var slow = new Dictionary<string, string?>(Settings) { ["Batch:ChunkSize"] = "10", ["Batch:PauseBetweenChunks"] = "00:00:00.300", ["Batch:SyncThreshold"] = "0" };
        // Its own database: no other host's worker may pick the job up.
        await using var database = await TestDatabase.CreateAsync(Provider);
        var first = new BadgesApiFactory(database, slow, ownsDatabase: false);
        first.StartServer();
        Partner partner;
        string jobId, badgeClass;
        {
            var admin = first.CreateClient();
            var token = (await Json(await admin.PostAsJsonAsync("/api/v1/auth/token", new { clientId = BadgesApiFactory.AdminClientId, clientSecret = BadgesApiFactory.AdminSecret }), 200))["access_token"]!.GetValue<string>();
            admin.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var issuer = (await Json(await admin.PostAsJsonAsync("/api/v1/issuers", new { name = "MDA Charleroi", url = "https://mda.example.be", email = "c@mda.example.be" }), 201))["id"]!.GetValue<string>();
            partner = new Partner(issuer, admin, token);
            badgeClass = (await Json(await admin.PostAsJsonAsync($"/api/v1/issuers/{issuer}/badge-classes", BadgeClassBody()), 201))["id"]!.GetValue<string>();
            var rows = new JsonArray([.. Enumerable.Range(0, 60).Select(i => (JsonNode)BatchTests.Row($"c{i}@example.org"))]);
            jobId = (await Json(await BatchTests.Send(partner, badgeClass, rows.ToJsonString(), "application/json", "crash-1"), 202))["id"]!.GetValue<string>();
            for (var i = 0; i < 100; i++)
            {
                var job = await Json(await admin.GetAsync($"/api/v1/jobs/{jobId}"), 200);
                if (job["awarded"]!.GetValue<int>() >= 10) { break; }
                await Task.Delay(50);
            }
        }
        await first.DisposeAsync(); // the host stops in the middle of the job
        var (awardedAtStop, rowsDone) = await Progress(database, jobId);
        Assert.That(awardedAtStop, Is.GreaterThanOrEqualTo(10).And.LessThan(60), "stopped mid-job");
        Assert.That(rowsDone, Is.EqualTo(awardedAtStop), "the job's progress and its assertions were committed together");

        // A new host on the same database picks the job up once the stopped node's lease has passed.
        var restarted = new BadgesApiFactory(database, Settings, ownsDatabase: false);
        restarted.Clock.Advance(TimeSpan.FromSeconds(5)); // the test clock stands still; real time would pass the 1 s lease
        restarted.StartServer();
        try
        {
            var client = restarted.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", partner.Token);
            var done = await BatchTests.WaitForJob(partner with { Client = client }, jobId);
            Assert.That(done["awarded"]!.GetValue<int>(), Is.EqualTo(60));
            await using var scope = restarted.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
            var classId = await db.BadgeClasses.Where(b => b.PublicId == badgeClass).Select(b => b.Id).SingleAsync();
            Assert.That(await db.Assertions.CountAsync(a => a.BadgeClassId == classId), Is.EqualTo(60), "no row lost, none awarded twice");
            Assert.That(await db.Assertions.Where(a => a.BadgeClassId == classId).Select(a => a.RecipientLookup).Distinct().CountAsync(), Is.EqualTo(60));
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }

    private static async Task<(int Awarded, int RowsDone)> Progress(TestDatabase database, string jobId)
    {
        var options = new DbContextOptionsBuilder<BadgesDbContext>();
        DatabaseSetup.Configure(options, database.Provider, database.ConnectionString);
        await using var db = new BadgesDbContext(options.Options);
        var job = await db.BatchJobs.SingleAsync(j => j.PublicId == jobId);
        return (job.NextRow, await db.Assertions.CountAsync(a => a.BatchJobId == job.Id));
    }
}
