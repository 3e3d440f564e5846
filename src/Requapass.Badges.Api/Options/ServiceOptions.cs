using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Options;

/// <summary>Where the service is reached: every Open Badges id is an absolute URL under this base.</summary>
public sealed class ServiceOptions : IValidatableObject
{
    public const string Section = "Service";

    /// <summary>e.g. https://badges.requapass.eu (a path prefix is allowed; no trailing slash needed).</summary>
    [Required] public string PublicBaseUrl { get; set; } = "";

    /// <summary>Serve Swagger UI at /swagger outside Development (it is always on in Development).</summary>
    public bool SwaggerUi { get; set; }

    /// <summary>Folder for the SQLite file and development keys.</summary>
    [Required] public string DataDirectory { get; set; } = "data";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            yield return new ValidationResult("Service:PublicBaseUrl must be an absolute http(s) URL with no query or fragment.", [nameof(PublicBaseUrl)]);
        }
    }
}

/// <summary>The store: SQLite (default) or PostgreSQL.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Defaults to a SQLite file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations and seed the catalogue when the service starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Database:ConnectionString is required when Database:Provider is Postgres (e.g. Host=db;Username=requapass;Password=...;Database=requapass).",
                [nameof(ConnectionString)]);
        }
        else if (!string.IsNullOrWhiteSpace(ConnectionString) && Syntax(ConnectionString) is { } error)
        {
            yield return new ValidationResult($"Database:ConnectionString is not a valid {Provider} connection string ({error}).", [nameof(ConnectionString)]);
        }
    }

    private string? Syntax(string connectionString)
    {
        try
        {
            _ = Provider == DatabaseProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(connectionString).ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).ConnectionString;
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message.TrimEnd('.');
        }
    }
}

/// <summary>The REQUAPASS issuer that owns the seeded catalogue, and the catalogue file it is seeded from.</summary>
public sealed class CatalogueOptions : IValidatableObject
{
    public const string Section = "Catalogue";

    public bool Seed { get; set; } = true;
    [Required] public string IssuerName { get; set; } = "REQUAPASS";
    [Required, Url] public string IssuerUrl { get; set; } = "";
    [Required, EmailAddress] public string IssuerEmail { get; set; } = "";
    public string? IssuerDescription { get; set; }

    /// <summary>A catalogue JSON file used instead of the one embedded in the service; none by default.</summary>
    public string? File { get; set; }

    /// <summary>The catalogue this configuration names: the file when one is set, else the embedded one.</summary>
    public RectecCatalogue Load() => string.IsNullOrWhiteSpace(File) ? RectecCatalogue.Load() : RectecCatalogue.LoadFile(File);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(File)) { yield break; }
        string? problem = null;
        try
        {
            RectecCatalogue.LoadFile(File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            problem = e.Message;
        }
        if (problem is not null) { yield return new ValidationResult($"Catalogue:File cannot be used: {problem}", [nameof(File)]); }
    }
}
