using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Startup;

/// <summary>
/// What stops the start, found before the host runs and printed as one line per problem, all of them
/// at once, without a stack trace: settings, the data folder, the key files, the database. A first
/// start with a mistake should say what to change, not abort with an exception printed twice.
/// </summary>
public static class StartupCheck
{
    public static async Task<List<string>> FindAsync(IServiceProvider services, bool migrating, CancellationToken ct)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var found = ConfigurationProblems.Find(configuration);
        var problems = found.Select(p => p.Message).ToList();
        bool Clean(string section) => found.TrueForAll(p => p.Section != section);

        var development = services.GetRequiredService<IHostEnvironment>().IsDevelopment();
        var dataDirectoryWritable = false;
        if (Clean(ServiceOptions.Section) && Clean(DatabaseOptions.Section))
        {
            var before = problems.Count;
            var service = ConfigurationProblems.Bind<ServiceOptions>(configuration, ServiceOptions.Section);
            var database = ConfigurationProblems.Bind<DatabaseOptions>(configuration, DatabaseOptions.Section);
            var connectionString = ServiceSetup.ConnectionString(database, service.DataDirectory);
            if (database.Provider == DatabaseProvider.Sqlite && ServiceSetup.SqliteFile(connectionString) is { } file)
            {
                var setting = string.IsNullOrWhiteSpace(database.ConnectionString) ? "Service:DataDirectory" : "Database:ConnectionString";
                problems.AddIfAny(DataDirectoryCheck.Problem(setting, Path.GetDirectoryName(file)!, file));
            }
            // Development writes its generated keys there; elsewhere keys come from files.
            if (development && problems.Count == before)
            {
                problems.AddIfAny(DataDirectoryCheck.Problem("Service:DataDirectory", service.DataDirectory));
            }
            dataDirectoryWritable = problems.Count == before;
            if (database.Provider == DatabaseProvider.Postgres && (migrating || database.MigrateOnStartup))
            {
                problems.AddIfAny(await DatabaseReachability.PostgresProblemAsync(connectionString, ct));
            }
        }
        // Loading the keys needs their settings and, in Development (which generates them), a writable data folder.
        var keysMayLoad = Clean(ServiceOptions.Section) && (!development || dataDirectoryWritable);
        if (keysMayLoad && Clean(AuthOptions.Section))
        {
            problems.AddRange(Failures(() => services.GetRequiredService<TokenSigningKey>()));
        }
        if (keysMayLoad && Clean(SigningOptions.Section))
        {
            problems.AddRange(Failures(() => services.GetRequiredService<KeyRing>()));
        }
        return problems;
    }

    /// <summary>Prints the problems to standard error, one line each, and gives the exit code.</summary>
    public static int Report(IReadOnlyCollection<string> problems)
    {
        Console.Error.WriteLine(problems.Count == 1
            ? "Requapass Badges cannot start:"
            : $"Requapass Badges cannot start ({problems.Count} problems):");
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"  - {problem.ReplaceLineEndings(" ")}");
        }
        return 1;
    }

    private static IEnumerable<string> Failures(Func<object> load)
    {
        try
        {
            load();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures;
        }
    }

    private static void AddIfAny(this List<string> problems, string? problem)
    {
        if (problem is not null) { problems.Add(problem); }
    }
}
