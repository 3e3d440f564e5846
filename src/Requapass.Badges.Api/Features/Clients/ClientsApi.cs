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

/// <summary>Create a client: <c>role</c> is admin (whole platform) or staff (one issuer, named by <c>issuerId</c>).</summary>
public sealed record ClientRequest([property: MaxLength(Limits.Name)] string? Name, [property: MaxLength(Limits.Code)] string? Role, [property: MaxLength(Limits.Id)] string? IssuerId);

public sealed record ClientResponse(string ClientId, string Name, string Role, string? IssuerId, DateTime CreatedAt, bool Disabled);

/// <summary>The only response that ever carries a secret: the one that creates it.</summary>
public sealed record CreatedClientResponse(string ClientId, string ClientSecret, string Name, string Role, string? IssuerId, DateTime CreatedAt);

/// <summary>API clients are managed by platform admins only.</summary>
public static class ClientsApi
{
    public static RouteGroupBuilder MapClientEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/clients").WithTags("API clients").RequireAuthorization(AuthSetup.AdminOnly)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", Create).WithName("CreateClient").WithSummary("Create an API client. Its secret is shown once, in this response.");
        group.MapGet("/", List).WithName("ListClients").WithSummary("List API clients (never their secrets).");
        group.MapPost("/{clientId}/disable", Disable).WithName("DisableClient").WithSummary("Disable a client; its tokens stop working at once.");
        return group;
    }

    public static async Task<Results<Created<CreatedClientResponse>, ProblemHttpResult, ValidationProblem>> Create(
        ClientRequest request, BadgesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("name", request.Name);
        IssuerEntity? issuer = null;
        if (request.Role == Caller.StaffRole)
        {
            issuer = request.IssuerId is null ? null : await Find.Issuer(db, request.IssuerId, ct);
            if (issuer is null) { errors.Add("issuerId", "A staff client needs the id of an existing issuer."); }
        }
        else if (request.Role == Caller.AdminRole)
        {
            if (request.IssuerId is not null) { errors.Add("issuerId", "An admin client belongs to no issuer."); }
        }
        else
        {
            errors.Add("role", "role must be admin or staff.");
        }
        if (errors.Any) { return errors.ToProblem(); }
        var secret = ClientSecrets.Generate();
        var client = new ApiClientEntity
        {
            ClientId = "rqc_" + PublicIds.New(),
            Name = request.Name!.Trim(),
            Role = request.Role!,
            IssuerId = issuer?.Id,
            SecretHash = ClientSecrets.Hash(secret),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/clients/{client.ClientId}",
            new CreatedClientResponse(client.ClientId, secret, client.Name, client.Role, issuer?.PublicId, client.CreatedAt));
    }

    public static async Task<Ok<ClientResponse[]>> List(BadgesDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.ApiClients.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new ClientResponse(c.ClientId, c.Name, c.Role, c.Issuer != null ? c.Issuer.PublicId : null, c.CreatedAt, c.DisabledAt != null))
            .ToArrayAsync(ct));

    public static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> Disable(
        string clientId, BadgesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var client = await db.ApiClients.Include(c => c.Issuer).SingleOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (client is null) { return Problems.NotFound("API client"); }
        client.DisabledAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ClientResponse(client.ClientId, client.Name, client.Role, client.Issuer?.PublicId, client.CreatedAt, true));
    }
}
