using Microsoft.AspNetCore.Authorization;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Auth;

/// <summary>
/// The issuer scope, checked once for the whole management API (the filter is on its route group in
/// Program.cs): staff act on their own issuer's resources only, a platform admin on any. A route names
/// what it addresses by its route parameter, with one name for one thing across the API (issuerId,
/// badgeClassId, assertionId, jobId, campaignId, claimId, applicationId, endorsementId: the endorsing issuer); the filter finds the owner of each such parameter in the request
/// and answers another issuer's resource with one answer everywhere, 403 <c>forbidden</c> (the ids
/// are public in the badges themselves, so hiding them behind a 404 would protect nothing). A resource
/// that does not exist is left to the handler, which answers 404. Resources under an issuer's URL
/// (webhooks, keys) are scoped by its issuerId; their handlers look them up within that issuer.
/// </summary>
public static class IssuerScope
{
    public const string IssuerId = "issuerId";
    public const string BadgeClassId = "badgeClassId";
    public const string AssertionId = "assertionId";
    public const string JobId = "jobId";
    public const string CampaignId = "campaignId";
    public const string ClaimId = "claimId";
    public const string EndorsementId = "endorsementId";
    public const string ApplicationId = "applicationId";

    public static readonly IReadOnlyList<string> Scoped = [IssuerId, BadgeClassId, AssertionId, JobId, CampaignId, ClaimId, EndorsementId, ApplicationId];

    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        return async invocation =>
        {
            var http = invocation.HttpContext;
            var caller = http.Caller();
            // A game client (Caller.GameRole) calls its one route and nothing else, whatever the route's scope.
            if (caller.IsGame && http.GetEndpoint()?.Metadata.GetMetadata<GameRoute>() is null
                && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                return Problems.Forbidden("A game client may only record discoveries (POST /api/v1/game/discoveries).");
            }
            if (!caller.IsAdmin && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                foreach (var key in Scoped)
                {
                    if (http.Request.RouteValues[key] is not string id) { continue; }
                    var owner = await OwnerAsync(key, id, http);
                    if (owner is not null && !caller.MayActOn(owner)) { return Problems.Forbidden(); }
                }
            }
            return await next(invocation);
        };
    }

    private static async ValueTask<string?> OwnerAsync(string key, string id, HttpContext http)
    {
        if (key == IssuerId) { return id; }
        var addressed = http.RequestServices.GetRequiredService<Addressed>();
        return key switch
        {
            BadgeClassId => (await addressed.BadgeClass(id, http.RequestAborted))?.IssuerPublicId,
            AssertionId => (await addressed.Assertion(id, http.RequestAborted))?.IssuerId,
            JobId => (await addressed.Job(id, http.RequestAborted))?.IssuerPublicId,
            CampaignId => (await addressed.Campaign(id, http.RequestAborted))?.IssuerPublicId,
            ClaimId => (await addressed.Claim(id, http.RequestAborted))?.IssuerPublicId,
            EndorsementId => (await addressed.Endorsement(id, http.RequestAborted))?.IssuerPublicId,
            ApplicationId => (await addressed.Application(id, http.RequestAborted))?.IssuerPublicId,
            _ => throw new InvalidOperationException($"No owner lookup for the route parameter {key}."),
        };
    }
}
