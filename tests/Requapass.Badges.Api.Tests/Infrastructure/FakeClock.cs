namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>A TimeProvider the tests move by hand (Microsoft's testing one is not available here).</summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}
