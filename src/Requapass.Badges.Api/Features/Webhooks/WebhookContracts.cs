using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Webhooks;

/// <summary>Register an endpoint: an absolute http(s) URL, and the event types to send it (assertion.awarded, assertion.revoked, assertion.expired, batch.completed).</summary>
public sealed record WebhookRequest(
    [property: MaxLength(Limits.Url)] string? Url,
    [property: MaxLength(Limits.WebhookEvents)] IReadOnlyList<string>? Events);

/// <summary>An endpoint, as listed: never its secret.</summary>
public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events, bool Active, DateTime CreatedAt, DateTime? DisabledAt)
{
    public static WebhookResponse From(WebhookEndpointEntity w) =>
        new(w.PublicId, w.Url, WebhookEvents.Parse(w.EventTypes), w.Active, w.CreatedAt, w.DisabledAt);
}

/// <summary>The only response that ever carries the secret (whsec_...): the one that creates it. Keep it; it cannot be shown again.</summary>
public sealed record CreatedWebhookResponse(string Id, string Url, IReadOnlyList<string> Events, bool Active, DateTime CreatedAt, string Secret);

/// <summary>One event sent to one endpoint: pending, succeeded or failed; attempts made; the last answer or error.</summary>
public sealed record DeliveryResponse(
    string Id, string EventId, string EventType, string Status, int Attempts, DateTime NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt);
