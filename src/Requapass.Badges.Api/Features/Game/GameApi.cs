using Requapass.Badges.Api.Features.Public;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Game;

/// <summary>A player who finished the game: where to send the discovery badge, and in which language (fr, nl, en).</summary>
public sealed record DiscoveryRequest([property: MaxLength(Limits.Email)] string? Email, [property: MaxLength(Limits.Language)] string? Locale);

/// <summary>
/// The mini-game's one call (issue #13, part 5). The game is an API client of role <c>game</c>, bound to
/// one issuer and one badge class (its "Découverte" badge, which the issuer created like any class);
/// it awards that class and no other, through the issuance core (<see cref="SingleAward"/>: the
/// assertion, its event, its award email, which for a class a game client is bound to invites the
/// player to start a skills map). The Idempotency-Key is required and is the award's own mechanism:
/// the same key twice gives the same badge, one assertion, one email. Every other management route
/// answers a game token 403 (<see cref="IssuerScope"/>).
/// </summary>
public static class GameApi
{
    public static RouteGroupBuilder MapGameEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/game").WithTags("Game").WithMetadata(new GameRoute())
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/discoveries", Discover).WithName("RecordDiscovery").WithBodyLimit(Limits.DefaultBody).KeepsPublicAnswers()
            .WithSummary("A player finished the game: award the game client's discovery badge to this email (Idempotency-Key required; game clients only).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Created<AssertionResponse>, ProblemHttpResult, ValidationProblem>> Discover(
        DiscoveryRequest request, [FromHeader(Name = HttpNames.IdempotencyKey)] string? idempotencyKey,
        HttpContext http, BadgesDbContext db, Addressed addressed, SingleAward single, CancellationToken ct)
    {
        var caller = http.Caller();
        if (!caller.IsGame) { return Problems.Forbidden("Only a game client records discoveries."); }
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return Problems.BadRequest("idempotency-key-required", "A discovery needs an Idempotency-Key header (1 to 200 printable ASCII characters), so that a retry never awards twice.");
        }
        if (string.IsNullOrWhiteSpace(request.Email)) { return Problems.Invalid("email", "email is required."); }
        var classId = await db.ApiClients.AsNoTracking().Where(c => c.ClientId == caller.ClientId)
            .Select(c => c.BadgeClass != null ? c.BadgeClass.PublicId : null).SingleOrDefaultAsync(ct);
        var found = classId is null ? null : await addressed.BadgeClass(classId, ct);
        if (found is null) { return Problems.Conflict("game-without-class", "This game client is bound to no badge class."); }
        // Always emailed: the discovery badge is how the player learns where to go next.
        var award = new AwardRequest(new RecipientInput("email", request.Email), null, null, null, null, Notify: true, Locale: request.Locale);
        var result = await single.AwardAsync(found, award, idempotencyKey, caller.ClientId, http, ct);
        if (result.Result is ValidationProblem invalid && invalid.ProblemDetails.Errors.ContainsKey("recipient.identity"))
        {
            // The award names the player's address recipient.identity; this route calls it email.
            var errors = invalid.ProblemDetails.Errors.ToDictionary(e => e.Key == "recipient.identity" ? "email" : e.Key, e => e.Value);
            return Problems.Invalid(errors);
        }
        return result;
    }
}
