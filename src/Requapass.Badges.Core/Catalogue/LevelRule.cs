namespace Requapass.Badges.Core.Catalogue;

/// <summary>
/// How a badge class at RECTEC+ level N+1 treats level N of the same competence: the four levels of a
/// competence form a path.
/// </summary>
public enum LevelRule
{
    /// <summary>Level N is shown as the step before, but not required (the default).</summary>
    Advisory,

    /// <summary>Level N must be held (not revoked, not expired) before level N+1 is awarded.</summary>
    Strict,
}

/// <summary>The stored and published names of <see cref="LevelRule"/>: "advisory" and "strict".</summary>
public static class LevelRules
{
    /// <summary>"advisory" or "strict".</summary>
    public static string Name(this LevelRule rule) => rule == LevelRule.Strict ? "strict" : "advisory";

    /// <summary>The rule named <paramref name="name"/>, or null for anything else.</summary>
    public static LevelRule? Parse(string? name) => name switch
    {
        "advisory" => LevelRule.Advisory,
        "strict" => LevelRule.Strict,
        _ => null,
    };
}

/// <summary>A competence and a level of the RECTEC+ catalogue, read from a class's catalogue code.</summary>
/// <param name="Competency">The catalogue's competence id, e.g. communication_orale.</param>
/// <param name="Level">1 to 4.</param>
public sealed record CompetenceLevel(string Competency, int Level);
