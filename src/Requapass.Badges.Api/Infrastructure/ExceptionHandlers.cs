using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// The one place infrastructure failures become responses. Expected outcomes never get here: the
/// handlers return them. A unique violation (a race the handler could not see) becomes 409, an
/// unreadable request 400; anything else is a 500 whose body says nothing about internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, slug, title, detail) = exception switch
        {
            BadHttpRequestException bad when bad.InnerException is JsonException =>
                (400, "malformed-json", "The request body is not valid JSON.", "The JSON could not be read: check its syntax and the types of its fields."),
            BadHttpRequestException bad =>
                (bad.StatusCode, "bad-request", "Bad request.", bad.Message),
            DbUpdateException db when IsUniqueViolation(db) =>
                (409, "conflict", "Conflict.", "The change conflicts with data stored at the same time. Retry the request."),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested =>
                (499, "cancelled", "Cancelled.", "The client closed the request."),
            _ => (500, "internal", "Internal error.", "The service failed to complete the request. It has been logged."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled failure on {Method} {Path}", http.Request.Method, http.Request.Path);
        }
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Type = Problems.Type(slug), Title = title, Detail = detail },
        });
    }

    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
