using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.Applications;

/// <summary>
/// A volunteer applies, from their skills map, to one issuer (<c>issuerId</c>, its public id) for one
/// or more of its badge classes (<c>badgeClassIds</c>, one application each), with one experience of
/// the map as evidence (<c>experienceId</c>) and their own words (<c>narrative</c>, kept as the badge's
/// narrative if it is awarded). All of them are stored, or none.
/// </summary>
public sealed record ApplyRequest(
    [property: MaxLength(Limits.Id)] string? IssuerId,
    [property: MaxLength(Limits.ApplicationClasses)] IReadOnlyList<string>? BadgeClassIds,
    [property: MaxLength(Limits.Id)] string? ExperienceId,
    [property: MaxLength(Limits.ApplicationNarrative)] string? Narrative);

/// <summary>
/// The volunteer's answer to a request for more: new words (<c>narrative</c>) and/or another or the
/// updated experience (<c>experienceId</c>: the experience is copied again as it now is). The
/// application goes back to the review queue.
/// </summary>
public sealed record ApplicationAnswerRequest(
    [property: MaxLength(Limits.ApplicationNarrative)] string? Narrative,
    [property: MaxLength(Limits.Id)] string? ExperienceId);

/// <summary>Staff approve an application, with a comment for the history if they wish.</summary>
public sealed record ApproveApplicationRequest([property: MaxLength(Limits.ApplicationMessage)] string? Comment);

/// <summary>What staff ask the volunteer to add (required: it is mailed to them).</summary>
public sealed record RequestInfoRequest([property: MaxLength(Limits.ApplicationMessage)] string? Message);

/// <summary>Why staff reject an application (required: it is mailed to the volunteer).</summary>
public sealed record RejectApplicationRequest([property: MaxLength(Limits.ApplicationMessage)] string? Reason);

/// <summary>A competence the volunteer picked for the experience, as it was sent.</summary>
public sealed record CompetencePick(string Key, int Level, string? Example);

/// <summary>The experience as it was when the application was sent (or re-sent): what staff review.</summary>
public sealed record ExperienceSnapshot(
    string ExperienceId, string Association, string Role, string? ContextWhat, string? ContextForWhom, DateOnly? StartedOn, DateOnly? EndedOn,
    int? DurationMonths, int? HoursPerMonth, string? Narrative, IReadOnlyList<CompetencePick> Competences);

/// <summary>One step of an application: <c>what</c> (submitted, info-requested, resubmitted, approved, rejected, withdrawn), <c>who</c> (a staff client id, or volunteer), <c>at</c>, and its message.</summary>
public sealed record ApplicationStep(string What, string Who, DateTime At, string? Message);

/// <summary>
/// An application as staff review it: the class, the narrative, the experience as sent, the badge once
/// approved, and (when read one by one) its whole history. The volunteer's address is never shown.
/// </summary>
public sealed record ApplicationView(
    string Id, string IssuerId, string BadgeClassId, string Status, string Narrative, ExperienceSnapshot Experience, string? AssertionId,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? DecidedAt, IReadOnlyList<ApplicationStep>? History);

public sealed record ApplicationViewPage(IReadOnlyList<ApplicationView> Items, string? NextCursor);

/// <summary>
/// An application as its volunteer sees it: as staff do, with the badge's URL once awarded; in the
/// history, staff are "staff" (their client ids are the service's business).
/// </summary>
public sealed record VolunteerApplicationView(
    string Id, string IssuerId, string BadgeClassId, string Status, string Narrative, ExperienceSnapshot Experience, string? AssertionId,
    string? BadgeUrl, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DecidedAt, IReadOnlyList<ApplicationStep> History);

public sealed record VolunteerApplications(IReadOnlyList<VolunteerApplicationView> Items);

/// <summary>pending (in the review queue), info-requested (waiting for the volunteer), approved, rejected, withdrawn.</summary>
public static class ApplicationStatus
{
    public const string Pending = "pending";
    public const string InfoRequested = "info-requested";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";

    public static readonly IReadOnlyList<string> All = [Pending, InfoRequested, Approved, Rejected, Withdrawn];

    /// <summary>The statuses staff may decide from (approve, reject); asking for more is from pending alone.</summary>
    public static readonly string[] Open = [Pending, InfoRequested];
}

/// <summary>The steps of an application's history (application_events.kind).</summary>
public static class ApplicationSteps
{
    public const string Submitted = "submitted";
    public const string InfoRequested = "info-requested";
    public const string Resubmitted = "resubmitted";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";

    /// <summary>Who a volunteer's own step is by.</summary>
    public const string Volunteer = "volunteer";
}
