using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Requapass.Badges.Data;

/// <summary>The stores the service runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, no server.</summary>
    Sqlite,
    /// <summary>The production store, shared by any number of API nodes.</summary>
    Postgres,
}

public static class DatabaseSetup
{
    public static IServiceCollection AddBadgesDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        services.AddDbContextPool<BadgesDbContext>(o => Configure(o, provider, connectionString));
        services.AddSingleton(new DatabaseTarget(provider, connectionString));
        services.AddScoped<MigrationRunner>();
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString),
            DatabaseProvider.Postgres => options.UseNpgsql(connectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
}

/// <summary>Which store this process talks to.</summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString);
