namespace Requapass.Badges.Core.Verification;

/// <summary>The outcome of one check.</summary>
public enum CheckStatus
{
    /// <summary>The rule holds.</summary>
    Pass,
    /// <summary>The rule is broken: the badge is not valid.</summary>
    Fail,
    /// <summary>Worth knowing, but the badge stays valid.</summary>
    Warning,
}

/// <summary>One line of a verification report: a stable name, a status and a plain message.</summary>
public sealed record VerificationCheck(string Name, CheckStatus Status, string Message)
{
    /// <summary>A passed check.</summary>
    public static VerificationCheck Passed(string name, string message) => new(name, CheckStatus.Pass, message);

    /// <summary>A failed check.</summary>
    public static VerificationCheck Failed(string name, string message) => new(name, CheckStatus.Fail, message);

    /// <summary>A warning.</summary>
    public static VerificationCheck Warned(string name, string message) => new(name, CheckStatus.Warning, message);
}
