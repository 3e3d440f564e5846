using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Options;
using Microsoft.Extensions.Options;

namespace Requapass.Badges.Api.Features.Assertions;

/// <summary>
/// Awarding one badge (the route; the work is <see cref="SingleAward"/>'s, which the game's route shares). With an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) the assertion and
/// the key are written in one transaction, so a retry after a timeout or a crash finds the key and
/// gets the first result; the same key with a different request is refused with 422.
/// </summary>
public static class AwardEndpoint
{

    public static async Task<Results<Created<AssertionResponse>, ProblemHttpResult, ValidationProblem>> Award(
        string badgeClassId, AwardRequest request, [FromHeader(Name = HttpNames.IdempotencyKey)] string? idempotencyKey,
        HttpContext http, Addressed addressed, SingleAward single, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        return await single.AwardAsync(found, request, idempotencyKey, http.Caller().ClientId, http, ct);
    }
}
