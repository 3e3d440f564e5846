using Microsoft.AspNetCore.Http.HttpResults;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// RFC 9457 problem responses with stable <c>type</c> URIs. Clients can switch on the type; the title
/// and detail are for people.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:requapass:problem:";

    public static string Type(string slug) => TypePrefix + slug;

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: 404, type: Type("not-found"), title: "Not found.", detail: $"No {what} has that id.");

    public static ProblemHttpResult Forbidden(string detail = "This client may not act on that issuer's data.") =>
        TypedResults.Problem(statusCode: 403, type: Type("forbidden"), title: "Forbidden.", detail: detail);

    public static ProblemHttpResult Conflict(string slug, string detail) =>
        TypedResults.Problem(statusCode: 409, type: Type(slug), title: "Conflict.", detail: detail);

    public static ProblemHttpResult Gone(string detail) =>
        TypedResults.Problem(statusCode: 410, type: Type("gone"), title: "Gone.", detail: detail);

    public static ProblemHttpResult Unprocessable(string slug, string detail) =>
        TypedResults.Problem(statusCode: 422, type: Type(slug), title: "Unprocessable request.", detail: detail);

    public static ProblemHttpResult BadRequest(string slug, string detail) =>
        TypedResults.Problem(statusCode: 400, type: Type(slug), title: "Bad request.", detail: detail);

    public static ProblemHttpResult Unavailable(string slug, string detail) =>
        TypedResults.Problem(statusCode: 503, type: Type(slug), title: "Service unavailable.", detail: detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(statusCode: 415, type: Type("unsupported-media-type"), title: "Unsupported media type.", detail: detail);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, type: Type("validation"), title: "The request is not valid.");

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Writes a problem from middleware, where no handler returns a result (guards, limits, rates).</summary>
    public static async Task WriteAsync(HttpContext http, int status, string slug, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Type = Type(slug), Title = title, Detail = detail },
        });
    }
}

/// <summary>Collects field errors; the handlers return <see cref="Problems.Invalid(IDictionary{string, string[]})"/> when any.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, $"{field} is required."); }
    }

    public void HttpUrl(string field, string? value, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) { Add(field, $"{field} is required."); }
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps) || u.Host.Length == 0)
        {
            Add(field, $"{field} must be an absolute http or https URL.");
        }
        else if (u.UserInfo.Length > 0)
        {
            // Credentials in a URL would be published in every Open Badges document that carries it.
            Add(field, $"{field} may not hold a user name or password (user:pass@).");
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public ValidationProblem ToProblem() => Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
