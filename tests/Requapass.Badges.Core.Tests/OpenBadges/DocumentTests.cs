using System.Text.Json.Nodes;
using Requapass.Badges.Core.Dates;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Core.Tests.OpenBadges;

public sealed class DocumentTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Assertion_SerialisesWithContextFirst_UtcDatesWithZ_AndNoNulls()
    {
        var json = ObJson.ToJson(new Assertion
        {
            Id = "https://badges.example.org/public/assertions/abc",
            Recipient = new IdentityObject("email", true, "salt", "sha256$00"),
            Badge = "https://badges.example.org/public/badges/def",
            Verification = new VerificationObject { Type = "HostedBadge" },
            IssuedOn = new DateTimeOffset(2026, 11, 22, 13, 30, 15, TimeSpan.FromHours(1)).AddTicks(1234),
        });
        Assert.That(json, Does.StartWith("{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\",\"id\":"));
        var doc = JsonNode.Parse(json)!;
        Assert.That(doc["issuedOn"]!.GetValue<string>(), Is.EqualTo("2026-11-22T12:30:15Z"));
        Assert.That(json, Does.Not.Contain("null"));
        Assert.That(json, Does.Not.Contain("expires"));
    }

    [Test]
    public void BadgeClass_KeepsFrenchTextsReadable()
    {
        var json = ObJson.ToJson(new BadgeClass
        {
            Id = "https://x.example/b", Name = "Prise en compte des règles – Niveau 1", Description = "L'association",
            Image = "https://x.example/i", Criteria = new Criteria("https://x.example/c", "- Règle"), Issuer = "https://x.example/i",
        });
        Assert.That(json, Does.Contain("règles – Niveau 1").And.Contain("L'association"));
    }

    [Test]
    public void Dates_IssuedOnInTheFuture_IsRefused()
    {
        Assert.That(IssueDates.Check(Noon.AddSeconds(1), null, Noon)?.Field, Is.EqualTo("issuedOn"));
        Assert.That(IssueDates.Check(Noon, null, Noon), Is.Null);
    }

    [Test]
    public void Dates_ExpiresNotAfterIssuedOn_IsRefused()
    {
        Assert.That(IssueDates.Check(Noon.AddDays(-1), Noon.AddDays(-1), Noon)?.Field, Is.EqualTo("expires"));
        Assert.That(IssueDates.Check(Noon.AddDays(-1), Noon.AddDays(-2), Noon)?.Field, Is.EqualTo("expires"));
        Assert.That(IssueDates.Check(Noon.AddDays(-1), Noon.AddDays(30), Noon), Is.Null);
    }

    [Test]
    public void WholeSecondUtc_DropsFractionsAndOffset()
    {
        var value = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));
        var result = IssueDates.ToWholeSecondUtc(value);
        Assert.That(result, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero)));
        Assert.That(result.Offset, Is.EqualTo(TimeSpan.Zero));
    }
}
