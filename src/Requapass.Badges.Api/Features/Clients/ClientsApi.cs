using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Clients;

/// <summary>
/// Create a client: <c>role</c> is admin (whole platform), staff (one issuer, named by <c>issuerId</c>) or
/// game (the mini-game: one issuer and the one badge class of that issuer it awards, <c>badgeClassId</c>).
/// </summary>
public sealed record ClientRequest(
    [property: MaxLength(Limits.Name)] string? Name, [property: MaxLength(Limits.Code)] string? Role, [property: MaxLength(Limits.Id)] string? IssuerId,
    [property: MaxLength(Limits.Id)] string? BadgeClassId = null);

public sealed record ClientResponse(string ClientId, string Name, string Role, string? IssuerId, DateTime CreatedAt, bool Disabled, string? BadgeClassId = null);

/// <summary>The only response that ever carries a secret: the one that creates it.</summary>
public sealed record CreatedClientResponse(string ClientId, string ClientSecret, string Name, string Role, string? IssuerId, DateTime CreatedAt, string? BadgeClassId = null);

/// <summary>API clients are managed by platform admins only.</summary>
public static class ClientsApi
{
    public static RouteGroupBuilder MapClientEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/clients").WithTags("API clients").RequireAuthorization(AuthSetup.AdminOnly)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", Create).WithName("CreateClient").WithSummary("Create an API client. Its secret is shown once, in this response.");
        group.MapGet("/", List).WithName("ListClients").WithSummary("List API clients (never their secrets).");
        group.MapPost("/{clientId}/disable", Disable).WithName("DisableClient").WithSummary("Disable a client; its tokens stop working at once on this node, within Caching:AnswerLifetime (2 s) on the others.");
        return group;
    }

    public static async Task<Results<Created<CreatedClientResponse>, ProblemHttpResult, ValidationProblem>> Create(
        ClientRequest request, BadgesDbContext db, TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("name", request.Name);
        IssuerEntity? issuer = null;
        BadgeClassEntity? badgeClass = null;
        if (request.Role is Caller.StaffRole or Caller.GameRole)
        {
            issuer = request.IssuerId is null ? null : await Find.Issuer(db, request.IssuerId, ct);
            if (issuer is null) { errors.Add("issuerId", $"A {request.Role} client needs the id of an existing issuer."); }
        }
        if (request.Role == Caller.GameRole)
        {
            // The discovery badge is a class like any other; the game client is what marks it (README, the game).
            badgeClass = request.BadgeClassId is null || issuer is null ? null
                : await db.BadgeClasses.SingleOrDefaultAsync(b => b.PublicId == request.BadgeClassId && b.IssuerId == issuer.Id && b.ArchivedAt == null, ct);
            if (badgeClass is null) { errors.Add("badgeClassId", "A game client needs the id of a badge class of its issuer, not archived."); }
        }
        else if (request.BadgeClassId is not null)
        {
            errors.Add("badgeClassId", "Only a game client is bound to a badge class.");
        }
        if (request.Role == Caller.AdminRole)
        {
            if (request.IssuerId is not null) { errors.Add("issuerId", "An admin client belongs to no issuer."); }
        }
        else if (request.Role is not (Caller.StaffRole or Caller.GameRole))
        {
            errors.Add("role", "role must be admin, staff or game.");
        }
        if (errors.Any) { return errors.ToProblem(); }
        var secret = ClientSecrets.Generate();
        var client = new ApiClientEntity
        {
            ClientId = "rqc_" + PublicIds.New(),
            Name = request.Name!.Trim(),
            Role = request.Role!,
            IssuerId = issuer?.Id,
            BadgeClassId = badgeClass?.Id,
            SecretHash = ClientSecrets.Hash(secret),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiClients.Add(client);
        audit.Record(Audit.AuditAction.ClientCreated, new(Audit.AuditTargets.Client, client.ClientId, client.IssuerId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/clients/{client.ClientId}",
            new CreatedClientResponse(client.ClientId, secret, client.Name, client.Role, issuer?.PublicId, client.CreatedAt, badgeClass?.PublicId));
    }

    public static async Task<Ok<ClientResponse[]>> List(BadgesDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.ApiClients.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new ClientResponse(c.ClientId, c.Name, c.Role, c.Issuer != null ? c.Issuer.PublicId : null, c.CreatedAt, c.DisabledAt != null,
                c.BadgeClass != null ? c.BadgeClass.PublicId : null))
            .ToArrayAsync(ct));

    public static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> Disable(
        string clientId, BadgesDbContext db, ActiveClients activeClients, TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var client = await db.ApiClients.Include(c => c.Issuer).Include(c => c.BadgeClass).SingleOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (client is null) { return Problems.NotFound("API client"); }
        if (client.DisabledAt is null)
        {
            client.DisabledAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(Audit.AuditAction.ClientDisabled, new(Audit.AuditTargets.Client, client.ClientId, client.IssuerId));
        }
        await db.SaveChangesAsync(ct);
        activeClients.Changed();
        return TypedResults.Ok(new ClientResponse(client.ClientId, client.Name, client.Role, client.Issuer?.PublicId, client.CreatedAt, true, client.BadgeClass?.PublicId));
    }
}
