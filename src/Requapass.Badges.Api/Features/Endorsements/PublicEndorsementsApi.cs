using Microsoft.AspNetCore.Http.HttpResults;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Endorsements;

/// <summary>The hosted Endorsement documents (OB 2.0 "Endorsement", hosted verification): one query each, as the other public documents.</summary>
public static class PublicEndorsementsApi
{
    public static IEndpointRouteBuilder MapPublicEndorsementEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/endorsements/{endorsementId}", Get).WithName("GetPublicEndorsement").WithTags("Public Open Badges documents")
            .RequireCors(HttpNames.PublicCors).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The Endorsement as Open Badges 2.0 JSON-LD; 410 with revoked: true once its issuer revoked it.")
            .Produces<RevokedEndorsement>(StatusCodes.Status410Gone, JsonLdDocument<RevokedEndorsement>.LdJson);
        return routes;
    }

    public static async Task<Results<JsonLdDocument<Endorsement>, JsonLdDocument<RevokedEndorsement>, ProblemHttpResult>> Get(
        string endorsementId, BadgesDbContext db, ObDocuments documents, CancellationToken ct)
    {
        var row = await DocumentRows.Endorsement(endorsementId, db, ct);
        if (row is null) { return Problems.NotFound("endorsement"); }
        // As a revoked hosted assertion (OB 2.0 "Revoking Hosted Assertions"): 410 Gone, revoked: true.
        return row.RevokedAt is not null
            ? new JsonLdDocument<RevokedEndorsement>(documents.RevokedEndorsement(row), StatusCodes.Status410Gone)
            : new JsonLdDocument<Endorsement>(documents.Endorsement(row));
    }
}
