using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>Start a skills map: the link goes to <see cref="Email"/>; locale fr, nl or en (default: Accept-Language, then fr).</summary>
public sealed record StartSkillsMapRequest(
    [property: MaxLength(Limits.Email)] string? Email,
    [property: MaxLength(Limits.Language)] string? Locale,
    [property: MaxLength(Limits.Name)] string? Title);

/// <summary>Mail fresh links to the maps of <see cref="Email"/> (the old links stop working).</summary>
public sealed record SkillsMapLinksRequest([property: MaxLength(Limits.Email)] string? Email);

/// <summary>The same answer whatever happened: no one learns whether an address has maps, or a mail went out.</summary>
public sealed record SkillsMapAcceptedResponse(string Status, string Detail);

/// <summary>Change a map: a title (empty clears it) and the language of its mails and pages.</summary>
public sealed record UpdateSkillsMapRequest(
    [property: MaxLength(Limits.Name)] string? Title,
    [property: MaxLength(Limits.Language)] string? Locale);

/// <summary>One competence the volunteer believes an experience built: a catalogue key, a level 1 to 4, an example.</summary>
public sealed record CompetencePickRequest(
    [property: MaxLength(Limits.Code)] string? Competence,
    int? Level,
    [property: MaxLength(Limits.SkillsMapText)] string? Example);

/// <summary>
/// An associative experience: where, which role, what and for whom, when (dates, or a duration in
/// months), how many hours a month, the volunteer's own words, and up to four competences.
/// </summary>
public sealed record ExperienceRequest(
    [property: MaxLength(Limits.Name)] string? Association,
    [property: MaxLength(Limits.ShortText)] string? Role,
    [property: MaxLength(Limits.SkillsMapText)] string? ContextWhat,
    [property: MaxLength(Limits.SkillsMapText)] string? ContextForWhom,
    DateOnly? StartedOn,
    DateOnly? EndedOn,
    int? DurationMonths,
    int? HoursPerMonth,
    [property: MaxLength(Limits.SkillsMapNarrative)] string? Narrative,
    [property: MaxLength(Limits.SkillsMapCompetences)] List<CompetencePickRequest>? Competences);

public sealed record CompetencePickResponse(string Competence, string Name, int Level, string LevelName, string? Example);

public sealed record ExperienceResponse(
    string Id, int Position, string Association, string Role, string? ContextWhat, string? ContextForWhom,
    DateOnly? StartedOn, DateOnly? EndedOn, int? DurationMonths, int? HoursPerMonth, string? Narrative,
    IReadOnlyList<CompetencePickResponse> Competences);

/// <summary>A map as its owner reads it. No token and no address: the caller holds the one and knows the other.</summary>
public sealed record SkillsMapResponse(
    string Id, string Locale, string? Title, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<ExperienceResponse> Experiences);
