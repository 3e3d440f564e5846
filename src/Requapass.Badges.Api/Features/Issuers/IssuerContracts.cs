using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Features.Issuers;

/// <summary>Create or replace an issuer profile. <c>image</c> is an optional PNG/SVG data: URI.</summary>
/// <summary><c>defaultVerification</c>: "hosted" (default) or "signed", for awards that do not choose.</summary>
public sealed record IssuerRequest(
    [property: MaxLength(Limits.Name)] string? Name, [property: MaxLength(Limits.Url)] string? Url, [property: MaxLength(Limits.Email)] string? Email, [property: MaxLength(Limits.Description)] string? Description,
    [property: MaxLength(Limits.Telephone)] string? Telephone, [property: MaxLength(Limits.ImageDataUri)] string? Image, [property: MaxLength(Limits.Code)] string? DefaultVerification = null);

public sealed record IssuerResponse(
    string Id, string OpenBadgesId, string Name, string Url, string Email, string? Description,
    string? Telephone, string? ImageUrl, bool IsCatalogueOwner, string DefaultVerification, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static IssuerResponse From(IssuerEntity e, PublicUrls urls) => new(
        e.PublicId, urls.Issuer(e.PublicId), e.Name, e.Url, e.Email, e.Description, e.Telephone,
        e.ImageId is null ? null : urls.IssuerImage(e.PublicId), e.IsCatalogueOwner, e.DefaultVerification.Name(), e.CreatedAt, e.UpdatedAt);
}

public static class IssuerValidation
{
    /// <summary>Checks a request; returns the normalised telephone (E.164) when one was given.</summary>
    public static string? Check(IssuerRequest r, ValidationErrors errors)
    {
        errors.Required("name", r.Name);
        errors.HttpUrl("url", r.Url);
        if (string.IsNullOrWhiteSpace(r.Email))
        {
            errors.Add("email", "email is required.");
        }
        else if (RecipientNormalizer.Normalize(RecipientType.Email, r.Email).Error is { } emailError)
        {
            errors.Add("email", emailError);
        }
        if (r.DefaultVerification is not null && VerificationTypes.Parse(r.DefaultVerification) is null)
        {
            errors.Add("defaultVerification", "defaultVerification must be hosted or signed.");
        }
        if (string.IsNullOrWhiteSpace(r.Telephone)) { return null; }
        var (phone, phoneError) = RecipientNormalizer.Normalize(RecipientType.Telephone, r.Telephone);
        if (phoneError is not null) { errors.Add("telephone", phoneError); }
        return phone?.Normalized;
    }
}
