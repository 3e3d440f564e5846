using Requapass.Badges.Api.Features.Public;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Features.Verification;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Issuance;

namespace Requapass.Badges.Api.Features.Batches;

/// <summary>A refused row: its line and what is wrong, field by field.</summary>
public sealed record RowError(int Line, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>An awarded row: its line and the assertion it became.</summary>
public sealed record RowAssertion(int Line, string AssertionId);

/// <summary>A bulk award job, as GET /api/v1/jobs/{jobId} shows it.</summary>
public sealed record BatchJobResponse(
    string Id, string Status, string BadgeClassId, bool Partial, int Rows, int Valid, int Awarded, int Refused, double Progress,
    string? FailureReason, IReadOnlyList<RowError> Errors, IReadOnlyList<RowAssertion> Assertions, DateTime CreatedAt, DateTime? CompletedAt);

/// <summary>Revoke many assertions of one issuer with one reason.</summary>
public sealed record BulkRevokeRequest([property: MaxLength(Limits.BulkIds)] IReadOnlyList<string>? Ids, [property: MaxLength(Limits.Reason)] string? Reason);

/// <summary>
/// What a bulk revocation did: revoked now, already revoked before, not found, and forbidden (another
/// issuer's assertions, left alone: the answer a single revocation of one of them gets, 403).
/// </summary>
public sealed record BulkRevokeResponse(
    IReadOnlyList<string> Revoked, IReadOnlyList<string> AlreadyRevoked, IReadOnlyList<string> NotFound, IReadOnlyList<string> Forbidden);

/// <summary>
/// Bulk awards (issue #6). Every row is checked before anything is written; by default one bad row
/// refuses the whole batch (422, listing the rows), <c>?partial=true</c> awards the good ones. An
/// Idempotency-Key is required: the job is stored under it with the request's hash, so a retry after
/// a timeout or a crash gets the same job and never a second set of badges.
/// </summary>
public static class BatchApi
{
    public static IEndpointRouteBuilder MapBatchEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Bulk awards")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/badge-classes/{badgeClassId}/assertions/batch", Batch).WithName("AwardBatch").WithBodyLimit(Limits.BatchBody).KeepsPublicAnswers()
            .WithSummary("Award a badge class to up to 10,000 recipients: a JSON array of award requests, or CSV (text/csv, UTF-8, comma or semicolon, header row). Idempotency-Key required.")
            .WithDescription("Batches with at most Batch:SyncThreshold (100) valid rows answer 201 with the finished job; larger ones 202 with Location: /api/v1/jobs/{jobId}. "
                + "CSV columns: recipient (required), recipient_type (email, url, telephone; default email), narrative, evidence_url, evidence_narrative, issued_on, expires, verification. "
                + "Lines in errors are CSV line numbers, or 1-based positions in the JSON array. "
                + "The same request with the same Idempotency-Key gets the same job (and resumes it if it failed); the same request under "
                + "another key answers 409 batch-already-sent unless ?repeat=true.")
            .Accepts<AwardRequest[]>("application/json", "text/csv")
            .Produces<BatchJobResponse>(StatusCodes.Status201Created).Produces<BatchJobResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/jobs/{jobId}", GetJob).WithName("GetJob").WithSummary("A bulk award job: status, progress, counts, refused rows and the assertions made.");
        group.MapPost("/issuers/{issuerId}/assertions/revoke", BulkRevoke).WithName("RevokeBatch").WithBodyLimit(Limits.BulkRevokeBody)
            .WithSummary("Revoke up to 10,000 of the issuer's assertions with one reason, in one transaction.")
            .ProducesValidationProblem();
        return routes;
    }

    public static async Task<IResult> Batch(
        string badgeClassId, bool? partial, bool? repeat, [Microsoft.AspNetCore.Mvc.FromHeader(Name = HttpNames.IdempotencyKey)] string? idempotencyKey,
        HttpContext http, BadgesDbContext db, BatchProcessor processor, IOptions<BatchOptions> options, TimeProvider clock, Addressed addressed,
        Issuance.Pathways pathways, Audit.AuditTrail audit, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        var caller = http.Caller();
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return Problems.BadRequest("idempotency-key-required", "Bulk awards need an Idempotency-Key header (1 to 200 printable ASCII characters), so that a retry never awards twice.");
        }
        if (idempotencyKey.Length > 200 || idempotencyKey.Any(c => c < 0x20 || c > 0x7E))
        {
            return Problems.Invalid(HttpNames.IdempotencyKey, "The Idempotency-Key must be 1 to 200 printable ASCII characters.");
        }
        if (found.Entity.ArchivedAt is not null)
        {
            return Problems.Conflict("badge-class-archived", "The badge class is archived and can no longer be awarded.");
        }

        var now = clock.GetUtcNow();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{badgeClassId}\n{partial == true}\n{http.Request.ContentType}\n"));
        var body = new BatchRows.HashingStream(http.Request.Body, hash);
        var parsed = http.Request.HasJsonContentType() ? await BatchRows.JsonAsync(body, ct)
            : http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true ? await BatchRows.CsvAsync(body, ct)
            : BatchRows.Parsed.Problem(TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, type: Problems.Type("unsupported-media-type"),
                title: "Unsupported media type.", detail: "Send application/json (an array of award requests) or text/csv."));
        if (parsed.Failure is { } failure) { return failure; }
        var requestHash = Convert.ToHexStringLower(hash.GetHashAndReset());

        var existing = await db.BatchJobs.AsNoTracking().SingleOrDefaultAsync(j => j.ClientId == caller.ClientId && j.IdempotencyKey == idempotencyKey, ct);
        if (existing is not null) { return await ReplayAsync(existing, requestHash, http, db, processor, options.Value, now, ct); }
        if (repeat != true && await db.BatchJobs.AsNoTracking().Where(j => j.ClientId == caller.ClientId && j.RequestHash == requestHash)
            .Select(j => new { j.PublicId, j.IdempotencyKey }).FirstOrDefaultAsync(ct) is { } twin)
        {
            // The very same request under a new key is, nearly always, a retry that lost its key: it would award
            // every row again. Only byte-identical requests are recognised; this is a check, not a lock.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: Problems.Type("batch-already-sent"), title: "Conflict.",
                detail: $"This client already sent the same batch with Idempotency-Key '{twin.IdempotencyKey}'. Send it with that key to get "
                    + "(or resume) that job; add ?repeat=true to award the same rows once more on purpose.",
                extensions: new Dictionary<string, object?> { ["job"] = twin.PublicId });
        }

        // Every row is checked before anything is written.
        var valid = new List<BatchRow>();
        var lookups = new List<string>();
        var errors = new List<RowError>();
        foreach (var (line, request, readError) in parsed.Rows)
        {
            var rowErrors = new ValidationErrors();
            ValidAward? award = null;
            if (readError is not null) { rowErrors.Add("row", readError); }
            else { award = AwardValidation.Check(request!, now, rowErrors, checkLimits: true); }
            if (rowErrors.Any) { errors.Add(new RowError(line, rowErrors.ToDictionary())); }
            else { valid.Add(new BatchRow(line, request!)); lookups.Add(award!.Recipient.LookupKey()); }
        }
        if (parsed.Rows.Count == 0) { return Problems.BadRequest("empty-batch", "The batch has no rows."); }
        if (errors.Count > 0 && partial != true)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, type: Problems.Type("batch-invalid"),
                title: "Some rows are not valid; nothing was awarded.",
                detail: $"{errors.Count} of {parsed.Rows.Count} rows are not valid. Fix them, or send ?partial=true to award the valid rows only.",
                extensions: new Dictionary<string, object?> { ["rows"] = errors });
        }
        // Levels in order, checked when the job is accepted (like every row's rules): a strict class at level
        // N+1 refuses the rows whose recipient does not hold level N (Pathways): all of the batch with 409,
        // or, with ?partial=true, those rows, listed with the others.
        if (await pathways.LackingAsync(found.Entity, lookups, ct) is { } lacking)
        {
            var refused = valid.Where((row, i) => lacking.Lacking.Contains(lookups[i])).ToList();
            if (partial != true)
            {
                var extensions = lacking.Missing.Extensions();
                extensions["rows"] = refused.Select(r => r.Line).ToList();
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: Problems.Type(MissingLevel.ProblemSlug),
                    title: "A lower level is required; nothing was awarded.",
                    detail: $"{refused.Count} of {parsed.Rows.Count} rows name a recipient without the level this class requires. {lacking.Missing.Detail} "
                        + "Send ?partial=true to award the other rows only.",
                    extensions: extensions);
            }
            var message = new Dictionary<string, string[]> { ["level"] = [lacking.Missing.Detail] };
            errors.AddRange(refused.Select(r => new RowError(r.Line, message)));
            errors.Sort((a, b) => a.Line.CompareTo(b.Line));
            valid = [.. valid.Except(refused)];
        }

        // A small batch is stored already claimed by this request, with a lease: the worker only takes a
        // running job once its lease has passed, so it cannot race the request for it (which made small
        // batches answer 202). Should this node die mid-request, the lease passes and the job resumes.
        var settings = options.Value;
        var small = valid.Count <= settings.SyncThreshold;
        var job = new BatchJobEntity
        {
            PublicId = PublicIds.New(), IssuerId = found.Entity.IssuerId, BadgeClassId = found.Entity.Id, ClientId = caller.ClientId,
            IdempotencyKey = idempotencyKey, RequestHash = requestHash, Status = small ? BatchStatus.Running : BatchStatus.Queued,
            LeaseUntil = small ? now.UtcDateTime + settings.Lease : null, Partial = partial == true,
            TotalRows = parsed.Rows.Count, Refused = errors.Count, ErrorsJson = JsonSerializer.Serialize(errors, BatchProcessor.RowJson),
            RowsJson = JsonSerializer.Serialize(valid, BatchProcessor.RowJson),
            CreatedAt = now.UtcDateTime, UpdatedAt = now.UtcDateTime,
        };
        try
        {
            // One write: the job with its rows. From here on it survives anything.
            db.BatchJobs.Add(job);
            // The bulk award is audited once, as it starts (its awards are the job's, by line); saved with the job.
            audit.Record(Audit.AuditAction.BatchAwardStarted, new(Audit.AuditTargets.BatchJob, job.PublicId, job.IssuerId));
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            // A concurrent retry with the same key stored its job first: answer with that one.
            db.ChangeTracker.Clear();
            var winner = await db.BatchJobs.AsNoTracking().SingleAsync(j => j.ClientId == caller.ClientId && j.IdempotencyKey == idempotencyKey, ct);
            return await ReplayAsync(winner, requestHash, http, db, processor, settings, now, ct);
        }
        db.ChangeTracker.Clear();
        return await RunOrQueueAsync(job.Id, job.PublicId, small, db, processor, ct);
    }

    /// <summary>Runs a job this request holds (small) before answering 201, or leaves it to the worker (202).</summary>
    private static async Task<IResult> RunOrQueueAsync(long jobId, string publicId, bool small, BadgesDbContext db, BatchProcessor processor, CancellationToken ct)
    {
        if (small) { await processor.RunAsync(jobId, held: true, ct); }
        var response = await ResponseAsync(db, jobId, ct);
        if (small && response.Status is BatchStatus.Completed or BatchStatus.Failed)
        {
            return TypedResults.Created($"/api/v1/jobs/{publicId}", response);
        }
        // Large, or a small one the database kept this node from finishing: the worker goes on with it.
        processor.Wake(jobId);
        return TypedResults.Accepted($"/api/v1/jobs/{publicId}", response);
    }

    public static async Task<Results<Ok<BatchJobResponse>, ProblemHttpResult>> GetJob(string jobId, BadgesDbContext db, Addressed addressed, CancellationToken ct)
    {
        var job = await addressed.Job(jobId, ct);
        if (job is null) { return Problems.NotFound("job"); }
        return TypedResults.Ok(await ResponseAsync(db, job.Id, ct));
    }

    public static async Task<Results<Ok<BulkRevokeResponse>, ProblemHttpResult, ValidationProblem>> BulkRevoke(
        string issuerId, BulkRevokeRequest request, HttpContext http, BadgesDbContext db, Issuance.Revocation revocation, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason);
        var ids = (request.Ids ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) { errors.Add("ids", "ids is required: the assertion ids to revoke."); }
        if (ids.Count > BatchOptions.MaxRows) { errors.Add("ids", $"At most {BatchOptions.MaxRows} ids per request."); }
        if (errors.Any) { return errors.ToProblem(); }

        var outcome = await revocation.RevokeAsync(issuer.Id, ids, request.Reason!, ct);
        return TypedResults.Ok(new BulkRevokeResponse(outcome.Revoked, outcome.AlreadyRevoked, outcome.NotFound, outcome.Forbidden));
    }

    private static async Task<IResult> ReplayAsync(
        BatchJobEntity job, string requestHash, HttpContext http, BadgesDbContext db, BatchProcessor processor, BatchOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (job.RequestHash != requestHash)
        {
            return Problems.Unprocessable("idempotency-key-reused", "This Idempotency-Key was already used with a different batch.");
        }
        http.Response.Headers["Idempotent-Replayed"] = "true";
        var small = job.TotalRows - job.Refused <= options.SyncThreshold;
        if (job.Status == BatchStatus.Failed)
        {
            // The same request again resumes a failed job (its cause fixed, one hopes): same job, from its first
            // row without an assertion, so nothing is awarded twice. Only one of concurrent retries re-queues it.
            var at = now.UtcDateTime;
            var status = small ? BatchStatus.Running : BatchStatus.Queued;
            DateTime? lease = small ? at + options.Lease : null;
            var requeued = await db.BatchJobs.Where(j => j.Id == job.Id && j.Status == BatchStatus.Failed)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status)
                    .SetProperty(j => j.LeaseUntil, lease).SetProperty(j => j.FailureReason, (string?)null)
                    .SetProperty(j => j.CompletedAt, (DateTime?)null).SetProperty(j => j.UpdatedAt, at), ct);
            if (requeued == 1) { return await RunOrQueueAsync(job.Id, job.PublicId, small, db, processor, ct); }
        }
        var response = await ResponseAsync(db, job.Id, ct);
        return small && response.Status == BatchStatus.Completed
            ? TypedResults.Created($"/api/v1/jobs/{job.PublicId}", response)
            : TypedResults.Accepted($"/api/v1/jobs/{job.PublicId}", response);
    }

    private static async Task<BatchJobResponse> ResponseAsync(BadgesDbContext db, long jobId, CancellationToken ct)
    {
        var job = await db.BatchJobs.AsNoTracking().Where(j => j.Id == jobId)
            .Select(j => new
            {
                // Every column but rows_json, which can be megabytes.
                Job = new { j.PublicId, j.Status, j.Partial, j.TotalRows, j.NextRow, j.Refused, j.FailureReason, j.ErrorsJson, j.CreatedAt, j.CompletedAt },
                BadgeClass = db.BadgeClasses.Where(b => b.Id == j.BadgeClassId).Select(b => b.PublicId).First(),
            }).SingleAsync(ct);
        // The assertions made are listed once the job has finished: while it runs, progress and counts
        // say how far it is, and a poll stays cheap however large the batch.
        var assertions = job.Job.Status is BatchStatus.Completed or BatchStatus.Failed
            ? await db.Assertions.AsNoTracking().Where(a => a.BatchJobId == jobId).OrderBy(a => a.BatchLine)
                .Select(a => new RowAssertion(a.BatchLine!.Value, a.PublicId)).ToListAsync(ct)
            : [];
        var valid = job.Job.TotalRows - job.Job.Refused;
        return new BatchJobResponse(job.Job.PublicId, job.Job.Status, job.BadgeClass, job.Job.Partial, job.Job.TotalRows, valid,
            job.Job.NextRow, job.Job.Refused, valid == 0 ? 1 : Math.Round((double)job.Job.NextRow / valid, 4), job.Job.FailureReason,
            JsonSerializer.Deserialize<List<RowError>>(job.Job.ErrorsJson, BatchProcessor.RowJson) ?? [], assertions, job.Job.CreatedAt, job.Job.CompletedAt);
    }
}
