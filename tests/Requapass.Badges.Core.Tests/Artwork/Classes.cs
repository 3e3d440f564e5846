using Requapass.Badges.Core.Artwork;

namespace Requapass.Badges.Core.Tests.Artwork;

/// <summary>The 32 catalogue classes as test cases: every competence at every level.</summary>
internal static class Classes
{
    public static IEnumerable<(string Key, int Level)> All =>
        BadgeArtwork.CompetencyKeys.SelectMany(k => Enumerable.Range(1, 4).Select(level => (k, level)));

    public static IEnumerable<TestCaseData> Cases => All.Select(c => new TestCaseData(c.Key, c.Level));
}
