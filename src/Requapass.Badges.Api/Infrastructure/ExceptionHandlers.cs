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
/// unreadable request 400, 413 or 415, a store that cannot be reached or written 503 with
/// Retry-After, a full store 507; anything else is a 500 whose body says nothing about internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait while the store is away.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, slug, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "malformed-json", "The request body is not valid JSON.", JsonDetail(json)),
            BadHttpRequestException { StatusCode: 413 } bad =>
                (413, "too-large", "Request body too large.", bad.Message),
            BadHttpRequestException { StatusCode: 415 } =>
                (415, "unsupported-media-type", "Unsupported media type.", MediaTypes.UnsupportedDetail(http)),
            BadHttpRequestException bad =>
                (bad.StatusCode, "bad-request", "Bad request.", bad.Message),
            DbUpdateException or System.Data.Common.DbException when IsUniqueViolation(exception) =>
                (409, "conflict", "Conflict.", "The change conflicts with data stored at the same time. Retry the request."),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested =>
                (499, "cancelled", "Cancelled.", "The client closed the request."),
            _ => StoreFaults.Classify(exception) switch
            {
                StoreFault.Unavailable => (503, "store-unavailable", "Service unavailable.",
                    "The database cannot be reached or cannot take writes at the moment; nothing was changed. Retry later."),
                StoreFault.Full => (507, "store-full", "Insufficient storage.",
                    "The database has no space left; nothing was changed. The operator must free space."),
                _ => (500, "internal", "Internal error.", "The service failed to complete the request. It has been logged."),
            },
        };
        if (status is 503 or 507) { StoreFaults.ForgetBrokenConnections(exception); }
        if (status >= 500)
        {
            // The route template, not the raw path: a skills map's path holds its capability token.
            logger.LogError(exception, "{Status} on {Method} {Path}", status, http.Request.Method,
                (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value);
        }
        if (status is 503 or 507) { http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Type = Problems.Type(slug), Title = title, Detail = detail },
        });
    }

    /// <summary>Where the JSON broke and why; the reader's messages name the position, never our internals.</summary>
    private static string JsonDetail(JsonException json)
    {
        var at = json.Path is { Length: > 0 } path ? $" at {path}" : "";
        return json is JsonValueException
            ? $"The value{at} {json.Message}."
            : $"The JSON could not be read{at}: check its syntax and the types of its fields.";
    }

    /// <summary>A unique or primary key violation, from EF Core (the driver's error inside) or from a hand-written statement.</summary>
    public static bool IsUniqueViolation(Exception exception) => (exception is DbUpdateException ? exception.InnerException : exception) switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}

/// <summary>A JSON value the service's converters refuse, with the reason; the reader adds where it was.</summary>
public sealed class JsonValueException(string message) : JsonException(message);
