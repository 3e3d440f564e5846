using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>
/// Reading and changing a map its token opened: the rules of an experience and its competence picks,
/// checked whole before anything is written, and the map as its owner reads it.
/// </summary>
public static class SkillsMapEditing
{
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>The experience's errors by JSON path; none means it may be stored.</summary>
    public static ValidationErrors Check(ExperienceRequest r, RectecCatalogue catalogue, DateOnly today)
    {
        var errors = new ValidationErrors();
        errors.Required("association", r.Association);
        errors.Required("role", r.Role);
        if (r.StartedOn is null && r.DurationMonths is null) { errors.Add("startedOn", "Give startedOn (with endedOn, or none while it goes on) or durationMonths."); }
        if (r.StartedOn is { } start && (start < Earliest || start > today)) { errors.Add("startedOn", "startedOn must be a past date, from 1900."); }
        if (r.EndedOn is { } end)
        {
            if (r.StartedOn is null) { errors.Add("endedOn", "endedOn needs startedOn."); }
            else if (end < r.StartedOn) { errors.Add("endedOn", "endedOn is before startedOn."); }
            if (end > today.AddYears(5)) { errors.Add("endedOn", "endedOn is more than five years ahead."); }
        }
        if (r.DurationMonths is { } months && months is < 1 or > Limits.SkillsMapMonths) { errors.Add("durationMonths", $"durationMonths must be 1 to {Limits.SkillsMapMonths}."); }
        if (r.HoursPerMonth is { } hours && hours is < 0 or > Limits.HoursPerMonth) { errors.Add("hoursPerMonth", $"hoursPerMonth must be 0 to {Limits.HoursPerMonth}."); }
        var picks = r.Competences ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < picks.Count; i++)
        {
            var p = picks[i];
            var field = $"competences[{i}]";
            if (p is null) { errors.Add(field, $"{field} is empty."); continue; }
            if (string.IsNullOrWhiteSpace(p.Competence)) { errors.Add($"{field}.competence", "competence is required."); }
            else if (!SkillsMapCompetences.Exists(catalogue, p.Competence.Trim()))
            {
                errors.Add($"{field}.competence", $"'{p.Competence}' is not a RECTEC+ competence (GET /public/competences lists them).");
            }
            else if (!seen.Add(p.Competence.Trim())) { errors.Add($"{field}.competence", "This competence is already picked for this experience."); }
            if (p.Level is not (>= 1 and <= 4)) { errors.Add($"{field}.level", "level must be 1, 2, 3 or 4."); }
        }
        return errors;
    }

    /// <summary>Writes an experience (new, or replacing one) with its picks, in one transaction.</summary>
    public static async Task<SkillsMapExperienceEntity> SaveAsync(
        BadgesDbContext db, SkillsMapEntity map, SkillsMapExperienceEntity? existing, ExperienceRequest r, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var e = existing ?? new SkillsMapExperienceEntity
        {
            PublicId = PublicIds.New(), MapId = map.Id, Association = "", Role = "", CreatedAt = now,
            Position = (await db.SkillsMapExperiences.Where(x => x.MapId == map.Id).MaxAsync(x => (int?)x.Position, ct) ?? 0) + 1,
        };
        (e.Association, e.Role, e.ContextWhat, e.ContextForWhom) = (r.Association!.Trim(), r.Role!.Trim(), Clean(r.ContextWhat), Clean(r.ContextForWhom));
        (e.StartedOn, e.EndedOn, e.DurationMonths, e.HoursPerMonth, e.Narrative) = (r.StartedOn, r.EndedOn, r.DurationMonths, r.HoursPerMonth, Clean(r.Narrative));
        e.UpdatedAt = now;
        if (existing is null) { db.SkillsMapExperiences.Add(e); }
        else { await db.SkillsMapCompetences.Where(c => c.ExperienceId == e.Id).ExecuteDeleteAsync(ct); }
        map.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        var position = 0;
        foreach (var p in r.Competences ?? [])
        {
            db.SkillsMapCompetences.Add(new SkillsMapCompetenceEntity
            {
                ExperienceId = e.Id, CompetenceKey = p.Competence!.Trim(), Level = p.Level!.Value, Example = Clean(p.Example), Position = ++position,
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return e;
    }

    /// <summary>The map as its owner reads it, experiences and picks in their order, names in the map's language.</summary>
    public static async Task<SkillsMapResponse> ReadAsync(BadgesDbContext db, RectecCatalogue catalogue, SkillsMapEntity map, CancellationToken ct)
    {
        var experiences = await db.SkillsMapExperiences.AsNoTracking().Where(e => e.MapId == map.Id).OrderBy(e => e.Position).ThenBy(e => e.Id).ToListAsync(ct);
        var ids = experiences.Select(e => e.Id).ToList();
        var picks = (await db.SkillsMapCompetences.AsNoTracking().Where(c => ids.Contains(c.ExperienceId)).ToListAsync(ct))
            .GroupBy(c => c.ExperienceId).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Position).ToList());
        var language = MailLanguages.Parse(map.Locale) ?? MailLanguages.Default;
        return new SkillsMapResponse(map.PublicId, map.Locale, map.Title, map.CreatedAt, map.UpdatedAt,
            [.. experiences.Select(e => new ExperienceResponse(e.PublicId, e.Position, e.Association, e.Role, e.ContextWhat, e.ContextForWhom,
                e.StartedOn, e.EndedOn, e.DurationMonths, e.HoursPerMonth, e.Narrative,
                [.. picks.GetValueOrDefault(e.Id, []).Select(c => new CompetencePickResponse(c.CompetenceKey,
                    SkillsMapCompetences.Name(catalogue, c.CompetenceKey, language).Text, c.Level,
                    SkillsMapCompetences.LevelName(catalogue, c.Level, language).Text, c.Example))]))]);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
