namespace Requapass.Badges.Core.Dates;

/// <summary>The date rules of an award.</summary>
public static class IssueDates
{
    /// <summary>The earliest issue date accepted.</summary>
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Drops sub-second precision: OB 2.0 dates are published to the second.</summary>
    public static DateTimeOffset ToWholeSecondUtc(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>
    /// Checks the rules: issuedOn is never in the future, and expires, when given, comes after issuedOn.
    /// Returns the field and message of the first broken rule, or null.
    /// </summary>
    public static (string Field, string Message)? Check(DateTimeOffset issuedOn, DateTimeOffset? expires, DateTimeOffset now)
    {
        if (issuedOn < Earliest)
        {
            // A year such as 0001 is a default value that leaked, not a date anyone meant.
            return ("issuedOn", $"issuedOn must be on or after {Earliest:yyyy-MM-dd}.");
        }
        if (issuedOn > now)
        {
            return ("issuedOn", "issuedOn cannot be in the future.");
        }
        if (expires is { } e && e <= issuedOn)
        {
            return ("expires", "expires must be after issuedOn.");
        }
        return null;
    }
}
