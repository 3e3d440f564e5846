using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>Bulk awards when things go wrong: a job that failed, and small batches racing the worker (issue #10).</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public class BatchFaultTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Batch:SyncThreshold"] = "5",
        ["Batch:ChunkSize"] = "4",
        // As often as the options allow: the worker looks for queued jobs all the time.
        ["Batch:PollInterval"] = "00:00:00.050",
    };

    [Test]
    public async Task Small_batches_sent_together_all_answer_201_finished_while_the_worker_polls()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async n =>
        {
            var rows = new JsonArray([.. Enumerable.Range(0, 5).Select(i => (JsonNode)BatchTests.Row($"p{n}-{i}@example.org"))]);
            var response = await BatchTests.Send(partner, badgeClass, rows.ToJsonString(), "application/json", $"parallel-{n}");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        Assert.That(responses.Where(r => r.Item1 != 201).Select(r => r.Item2), Is.Empty, "every small batch answers 201");
        foreach (var (_, body) in responses)
        {
            var job = JsonNode.Parse(body)!.AsObject();
            Assert.That((job["status"]!.GetValue<string>(), job["awarded"]!.GetValue<int>()), Is.EqualTo(("completed", 5)), body);
        }
    }

    [Test]
    public async Task A_failed_job_is_resumed_by_the_same_request_and_awards_each_row_once()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        // Line 15 of 23 cannot be stored while the database refuses it: a permanent fault, and a real one.
        var rows = new JsonArray([.. Enumerable.Range(1, 23).Select(i => (JsonNode)BatchTests.Row($"f{i}@example.org", narrative: i == 15 ? "refuse-large" : null))]);
        var body = rows.ToJsonString();
        await RefuseNarrativeAsync("refuse-large");
        var accepted = await Json(await BatchTests.Send(partner, badgeClass, body, "application/json", "resume-large"), 202);
        var jobId = accepted["id"]!.GetValue<string>();
        var failed = await BatchTests.WaitForJob(partner, jobId);
        Assert.That((failed["status"]!.GetValue<string>(), failed["awarded"]!.GetValue<int>()), Is.EqualTo(("failed", 12)), "three chunks of 4 were kept");
        Assert.That(failed["failureReason"]!.GetValue<string>(), Does.Contain("same Idempotency-Key"));

        await AllowNarrativeAsync("refuse-large");
        var response = await BatchTests.Send(partner, badgeClass, body, "application/json", "resume-large");
        var resumed = await Json(response, 202);
        Assert.That(response.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That(resumed["id"]!.GetValue<string>(), Is.EqualTo(jobId), "the same job");
        var done = await BatchTests.WaitForJob(partner, jobId);
        Assert.That((done["status"]!.GetValue<string>(), done["awarded"]!.GetValue<int>(), done["failureReason"]), Is.EqualTo(("completed", 23, (JsonNode?)null)));
        Assert.That(await CountAsync(jobId), Is.EqualTo((23, 23)), "every row exactly once");
    }

    [Test]
    public async Task A_small_failed_job_is_resumed_by_the_same_request_and_answers_201()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var body = new JsonArray(BatchTests.Row("s1@example.org"), BatchTests.Row("s2@example.org", narrative: "refuse-small")).ToJsonString();
        await RefuseNarrativeAsync("refuse-small");
        var failed = await Json(await BatchTests.Send(partner, badgeClass, body, "application/json", "resume-small"), 201);
        Assert.That((failed["status"]!.GetValue<string>(), failed["awarded"]!.GetValue<int>()), Is.EqualTo(("failed", 0)));

        await AllowNarrativeAsync("refuse-small");
        var response = await BatchTests.Send(partner, badgeClass, body, "application/json", "resume-small");
        var done = await Json(response, 201);
        Assert.That(response.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That((done["id"]!.GetValue<string>(), done["status"]!.GetValue<string>(), done["awarded"]!.GetValue<int>()),
            Is.EqualTo((failed["id"]!.GetValue<string>(), "completed", 2)));
        Assert.That(await CountAsync(failed["id"]!.GetValue<string>()), Is.EqualTo((2, 2)));
        // A completed job is only replayed: the same request once more changes nothing.
        Assert.That((await Json(await BatchTests.Send(partner, badgeClass, body, "application/json", "resume-small"), 201)).ToJsonString(), Is.EqualTo(done.ToJsonString()));
        Assert.That(await CountAsync(failed["id"]!.GetValue<string>()), Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task The_same_batch_under_a_new_key_is_refused_unless_repeat_is_asked()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var body = new JsonArray(BatchTests.Row("k1@example.org"), BatchTests.Row("k2@example.org")).ToJsonString();
        var first = await Json(await BatchTests.Send(partner, badgeClass, body, "application/json", "first-key"), 201);
        var refused = await AssertProblem(await BatchTests.Send(partner, badgeClass, body, "application/json", "second-key"), 409);
        Assert.That(refused["type"]!.GetValue<string>(), Does.EndWith("batch-already-sent"));
        Assert.That(refused["job"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(refused["detail"]!.GetValue<string>(), Does.Contain("'first-key'"));
        Assert.That(await CountAsync(first["id"]!.GetValue<string>()), Is.EqualTo((2, 2)));

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/badge-classes/{badgeClass}/assertions/batch?repeat=true")
        {
            Content = new StringContent(body, new System.Text.UTF8Encoding(false), "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "second-key");
        var again = await Json(await partner.Client.SendAsync(request), 201);
        Assert.That(again["id"]!.GetValue<string>(), Is.Not.EqualTo(first["id"]!.GetValue<string>()), "awarded once more, on purpose");
        Assert.That(await CountAsync(again["id"]!.GetValue<string>()), Is.EqualTo((2, 2)));
        // Another batch (one row more) under a new key is not the same request.
        var other = new JsonArray(BatchTests.Row("k1@example.org"), BatchTests.Row("k2@example.org"), BatchTests.Row("k3@example.org")).ToJsonString();
        await Json(await BatchTests.Send(partner, badgeClass, other, "application/json", "third-key"), 201);
    }

    /// <summary>A trigger that makes the database refuse assertions with this narrative (each test uses its own).</summary>
    private Task RefuseNarrativeAsync(string narrative) => ExecuteAsync(Provider == DatabaseProvider.Postgres
        ? $"""
          CREATE FUNCTION "{narrative}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
          CREATE TRIGGER "{narrative}" BEFORE INSERT ON assertions FOR EACH ROW WHEN (NEW.narrative = '{narrative}') EXECUTE FUNCTION "{narrative}"();
          """
        : $"""
          CREATE TRIGGER "{narrative}" BEFORE INSERT ON assertions WHEN NEW.narrative = '{narrative}'
          BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
          """);

    private Task AllowNarrativeAsync(string narrative) => ExecuteAsync(Provider == DatabaseProvider.Postgres
        ? $"""DROP TRIGGER "{narrative}" ON assertions; DROP FUNCTION "{narrative}"();"""
        : $"""DROP TRIGGER "{narrative}";""");

    private async Task ExecuteAsync(string sql)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BadgesDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>The job's assertions, and how many distinct lines they stand for.</summary>
    private async Task<(int Assertions, int Lines)> CountAsync(string jobId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var id = await db.BatchJobs.Where(j => j.PublicId == jobId).Select(j => j.Id).SingleAsync();
        var made = db.Assertions.Where(a => a.BatchJobId == id);
        return (await made.CountAsync(), await made.Select(a => a.BatchLine).Distinct().CountAsync());
    }
}
