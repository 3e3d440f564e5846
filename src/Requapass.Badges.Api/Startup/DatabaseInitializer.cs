using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Startup;

/// <summary>
/// Brings the store up to date before the server takes requests: migrations, the REQUAPASS issuer
/// and its catalogue classes (with a new catalogue version's texts for the classes and adopted copies
/// nobody edited), and the first admin client. All of it runs under the migration lock,
/// so instances that start together do it once, and all of it is idempotent.
/// </summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes, IOptions<DatabaseOptions> database, IOptions<CatalogueOptions> catalogue,
    IOptions<AuthOptions> auth, IHostEnvironment env, TimeProvider clock, ILogger<DatabaseInitializer> logger,
    KeyRing keyRing, TokenSigningKey tokenKey, RectecCatalogue rectec) : IHostedService
{
    // Taking the keys here loads and checks them before the server starts: a missing file, a weak key,
    // the example key or no token key outside Development stops the start, not the first request.
    // The same goes for the catalogue file.
    private readonly object[] _keysCheckedAtStart = [keyRing, tokenKey, rectec];

    public Task StartAsync(CancellationToken ct) => database.Value.MigrateOnStartup ? RunAsync(ct) : Task.CompletedTask;

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<MigrationRunner>();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var keys = scope.ServiceProvider.GetRequiredService<IssuerKeys>();
        await runner.RunExclusiveAsync(async () =>
        {
            var applied = await runner.ApplyPendingAsync(ct);
            logger.LogInformation("Database is up to date ({Applied} migration(s) applied now)", applied);
            if (catalogue.Value.Seed) { await SeedCatalogueAsync(db, keys, ct); }
            await EnsureAdminAsync(db, ct);
        }, ct);
    }

    private async Task SeedCatalogueAsync(BadgesDbContext db, IssuerKeys keys, CancellationToken ct)
    {
        var o = catalogue.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var owner = await db.Issuers.SingleOrDefaultAsync(i => i.IsCatalogueOwner, ct);
        if (owner is null)
        {
            owner = new IssuerEntity
            {
                PublicId = PublicIds.New(), Name = o.IssuerName, Url = o.IssuerUrl, Email = o.IssuerEmail,
                Description = o.IssuerDescription, IsCatalogueOwner = true, DefaultVerification = VerificationType.Signed, CreatedAt = now, UpdatedAt = now,
            };
            db.Issuers.Add(owner);
        }
        else if (owner.Name != o.IssuerName || owner.Url != o.IssuerUrl || owner.Email != o.IssuerEmail)
        {
            // Configuration is the source of the REQUAPASS issuer's name, url and email.
            (owner.Name, owner.Url, owner.Email, owner.UpdatedAt) = (o.IssuerName, o.IssuerUrl, o.IssuerEmail, now);
        }
        await db.SaveChangesAsync(ct);
        var added = await CatalogueCopy.SeedAsync(db, rectec, owner, b => CatalogueArtwork.For(b.Competency, b.Level), now, ct);
        if (added > 0) { logger.LogInformation("Seeded {Count} RECTEC+ badge classes", added); }
        await CatalogueUpdate.RunAsync(db, rectec, now, logger, ct);
        await keys.CurrentAsync(owner.Id, owner.PublicId, ct);
    }

    private async Task EnsureAdminAsync(BadgesDbContext db, CancellationToken ct)
    {
        var o = auth.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!string.IsNullOrEmpty(o.BootstrapAdminClientId))
        {
            var existing = await db.ApiClients.SingleOrDefaultAsync(c => c.ClientId == o.BootstrapAdminClientId, ct);
            if (existing is null)
            {
                db.ApiClients.Add(new ApiClientEntity
                {
                    ClientId = o.BootstrapAdminClientId, Name = "Bootstrap admin", Role = Caller.AdminRole,
                    SecretHash = ClientSecrets.Hash(o.BootstrapAdminClientSecret!), CreatedAt = now,
                });
                logger.LogInformation("Created the bootstrap admin client {ClientId} from configuration", o.BootstrapAdminClientId);
            }
            else if (!ClientSecrets.Verify(o.BootstrapAdminClientSecret!, existing.SecretHash) || existing.Role != Caller.AdminRole)
            {
                // Configuration stays the source of truth: changing the secret there rotates it.
                (existing.SecretHash, existing.Role, existing.DisabledAt) = (ClientSecrets.Hash(o.BootstrapAdminClientSecret!), Caller.AdminRole, null);
                logger.LogInformation("Updated the bootstrap admin client {ClientId} from configuration", o.BootstrapAdminClientId);
            }
            await db.SaveChangesAsync(ct);
            return;
        }
        if (await db.ApiClients.AnyAsync(c => c.Role == Caller.AdminRole && c.DisabledAt == null, ct)) { return; }
        if (!env.IsDevelopment())
        {
            logger.LogWarning("No admin API client exists. Set Auth:BootstrapAdminClientId and Auth:BootstrapAdminClientSecret.");
            return;
        }
        var secret = ClientSecrets.Generate();
        var client = new ApiClientEntity
        {
            ClientId = "dev-admin", Name = "Development admin", Role = Caller.AdminRole, SecretHash = ClientSecrets.Hash(secret), CreatedAt = now,
        };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        // Printed once, to the console only (not through the logger, so it reaches no log sink); it is
        // stored hashed and cannot be shown again.
        Console.WriteLine($"""

            ==== Development admin client (shown once) ====
            client id:     {client.ClientId}
            client secret: {secret}
            ===============================================

            """);
    }
}
