using Requapass.Badges.Core.Recipients;

namespace Requapass.Badges.Core.Tests.Recipients;

public sealed class RecipientTests
{
    [TestCase(RecipientType.Email, "  Marie.Dupont@Example.ORG\t", "marie.dupont@example.org")]
    [TestCase(RecipientType.Telephone, "+33 6 12 34 56 78", "+33612345678")]
    [TestCase(RecipientType.Telephone, "0032 470/12.34.56", "+32470123456")]
    [TestCase(RecipientType.Telephone, "+1 (202) 555-0143", "+12025550143")]
    [TestCase(RecipientType.Url, "HTTPS://Example.ORG:443/Portfolio/Marie", "https://example.org/Portfolio/Marie")]
    [TestCase(RecipientType.Url, "http://example.org", "http://example.org/")]
    public void Normalize_ValidInput_GivesCanonicalForm(RecipientType type, string raw, string expected)
    {
        var (identity, error) = RecipientNormalizer.Normalize(type, raw);
        Assert.That(error, Is.Null);
        Assert.That(identity!.Normalized, Is.EqualTo(expected));
    }

    [TestCase(RecipientType.Email, "")]
    [TestCase(RecipientType.Email, "no-at-sign")]
    [TestCase(RecipientType.Email, "two@@example.org")]
    [TestCase(RecipientType.Email, "a@localhost")]
    [TestCase(RecipientType.Email, "a b@example.org")]
    [TestCase(RecipientType.Email, "<a@example.org>")]
    [TestCase(RecipientType.Telephone, "06 12 34 56 78")]
    [TestCase(RecipientType.Telephone, "+0 612 345 678")]
    [TestCase(RecipientType.Telephone, "+33 6 12 34 56 78 90 12 34")]
    [TestCase(RecipientType.Telephone, "+33 six")]
    [TestCase(RecipientType.Url, "javascript:alert(1)")]
    [TestCase(RecipientType.Url, "/relative/path")]
    [TestCase(RecipientType.Url, "ftp://example.org/file")]
    public void Normalize_InvalidInput_IsRefusedWithAReason(RecipientType type, string raw)
    {
        var (identity, error) = RecipientNormalizer.Normalize(type, raw);
        Assert.That(identity, Is.Null);
        Assert.That(error, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void Hash_IsSha256OfIdentityThenSalt_InOpenBadgesForm()
    {
        // sha256("alice@example.org" + "deadbeef"), computed independently with coreutils' sha256sum.
        var identity = new RecipientIdentity(RecipientType.Email, "alice@example.org");
        Assert.That(identity.Hash("deadbeef"), Is.EqualTo("sha256$" + "c8f9044308604b6067de8c7722dca052d4e15796ff609de70f75c219c70535d6"));
    }

    [Test]
    public void NewSalt_IsFreshEachTime()
    {
        var salts = Enumerable.Range(0, 100).Select(_ => RecipientIdentity.NewSalt()).ToList();
        Assert.That(salts, Is.Unique);
        Assert.That(salts, Has.All.Match("^[0-9a-f]{32}$"));
    }

    [Test]
    public void LookupKey_IsStableAndDependsOnType()
    {
        var email = new RecipientIdentity(RecipientType.Email, "a@example.org");
        Assert.That(email.LookupKey(), Is.EqualTo(new RecipientIdentity(RecipientType.Email, "a@example.org").LookupKey()));
        Assert.That(email.LookupKey(), Is.Not.EqualTo(new RecipientIdentity(RecipientType.Url, "a@example.org").LookupKey()));
    }
}
