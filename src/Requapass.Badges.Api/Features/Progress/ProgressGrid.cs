using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Api.Features.Progress;

/// <summary>One level of one competence: held (with the badge's URL when the caller may see it), applied for, the next step.</summary>
public sealed record ProgressCell(int Level, string Code, string Name, bool Held, string? Assertion, bool Applied, bool Next);

/// <summary>
/// One competence's path. <c>nextLevel</c>: the lowest level not held (null when all four are).
/// <c>heldElsewhere</c>: for staff, how many of its levels are held only at other issuers (counted, never shown).
/// </summary>
public sealed record ProgressCompetence(string Competence, string Name, int? NextLevel, int HeldElsewhere, IReadOnlyList<ProgressCell> Levels);

/// <summary>The 8 x 4 grid of one recipient, in one language; <c>scope</c> is "recipient" (everything) or "issuer" (staff).</summary>
public sealed record ProgressGridResponse(string Language, string Scope, string Framework, IReadOnlyList<ProgressCompetence> Competences);

/// <summary>
/// Builds the progress grid (issue #13, part 3) from the levels a recipient holds and the levels they
/// applied for. Applications are a separate feature: whoever has them passes the applied (competence,
/// level) pairs in <c>applied</c>; the grid only draws them.
/// </summary>
public static class ProgressGrids
{
    /// <param name="visibleIssuerId">Staff: only this issuer's badges are shown; the others are counted. Null: all are shown (the recipient's own view).</param>
    public static ProgressGridResponse Build(
        RectecCatalogue catalogue, PublicUrls urls, IReadOnlyList<HeldLevel> held, IReadOnlySet<CompetenceLevel> applied, string language, long? visibleIssuerId)
    {
        var competences = new List<ProgressCompetence>();
        foreach (var path in catalogue.Badges.GroupBy(b => b.Competency))
        {
            var levels = path.OrderBy(b => b.Level).ToList();
            // The next step counts every valid badge on the service, since that is what the award rule counts.
            var next = levels.Select(b => (int?)b.Level).FirstOrDefault(l => !held.Any(h => h.Competency == path.Key && h.Level == l));
            var cells = levels.Select(b =>
            {
                var mine = held.FirstOrDefault(h => h.Competency == path.Key && h.Level == b.Level && (visibleIssuerId is null || h.IssuerId == visibleIssuerId));
                return new ProgressCell(b.Level, b.Code, catalogue.LevelName(CatalogueLanguage(catalogue, language), b.Level), mine is not null,
                    mine is null ? null : urls.Assertion(mine.AssertionPublicId), applied.Contains(new CompetenceLevel(path.Key, b.Level)), b.Level == next);
            }).ToList();
            var elsewhere = visibleIssuerId is null ? 0
                : levels.Count(b => cells.Single(c => c.Level == b.Level) is { Held: false } && held.Any(h => h.Competency == path.Key && h.Level == b.Level));
            competences.Add(new ProgressCompetence(path.Key, levels[0].CompetencyName[CatalogueLanguage(catalogue, language)], next, elsewhere, cells));
        }
        return new ProgressGridResponse(language, visibleIssuerId is null ? "recipient" : "issuer", catalogue.Framework.Name, competences);
    }

    /// <summary>
    /// The catalogue's texts in the asked language, else in its default language (a deployment's own
    /// catalogue file without that language: the grid's labels stay in the asked language).
    /// </summary>
    public static string CatalogueLanguage(RectecCatalogue catalogue, string language) =>
        catalogue.Languages.Contains(language) ? language : catalogue.DefaultLanguage;
}
