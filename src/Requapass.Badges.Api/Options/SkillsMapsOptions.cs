using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>
/// Where a volunteer starts a skills map (issue #13): the link the discovery badge's award email gives.
/// Unset: {PublicBaseUrl}/public/skills-maps/new on this service.
/// </summary>
public sealed class SkillsMapsOptions : IValidatableObject
{
    public const string Section = "SkillsMaps";

    public string? StartUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartUrl is not null && !(Uri.TryCreate(StartUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            yield return new ValidationResult($"SkillsMaps:StartUrl must be an absolute http(s) URL; '{StartUrl}' is not.", [nameof(StartUrl)]);
        }
    }

    /// <summary>The configured URL, or the service's own page.</summary>
    public string Start(string publicBaseUrl) => StartUrl ?? publicBaseUrl.TrimEnd('/') + "/public/skills-maps/new";
}
