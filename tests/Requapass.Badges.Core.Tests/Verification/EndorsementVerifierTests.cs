using System.Text.Json.Nodes;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Core.Verification;

namespace Requapass.Badges.Core.Tests.Verification;

/// <summary>
/// A foreign issuer's Endorsement (OB 2.0 "Endorsement"), served by a local server and fetched through
/// the guarded fetcher (loopback allowed for the test only; a default policy refuses it).
/// </summary>
public sealed class EndorsementVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Endorsement(ForeignIssuer foreign, string target) => new()
    {
        ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Endorsement", ["id"] = foreign.Base + "/endorsements/1",
        ["claim"] = new JsonObject { ["id"] = target, ["endorsementComment"] = "Un bon badge." },
        ["issuer"] = foreign.IssuerUrl, ["issuedOn"] = "2026-03-02T10:00:00Z", ["verification"] = new JsonObject { ["type"] = "hosted" },
    };

    [Test]
    public async Task ForeignEndorsement_OfItsBadgeClass_IsValid_AndTheBadgeReportsIt()
    {
        await using var foreign = new ForeignIssuer();
        var endorsement = Endorsement(foreign, foreign.BadgeUrl);
        foreign.ServeJson("/endorsements/1", () => endorsement);
        foreign.BadgeClass["endorsement"] = new JsonArray(foreign.Base + "/endorsements/1");
        using var fetcher = new GuardedFetcher(new FetchPolicy { AllowedRanges = ["127.0.0.1/32"] });

        var report = await new BadgeVerifier(new FetchingDocumentSource(fetcher), Now).VerifyUrlAsync(foreign.Base + "/endorsements/1");
        Assert.That(report.Valid, Is.True, string.Join("\n", report.Checks.Select(c => $"{c.Status} {c.Name}: {c.Message}")));
        Assert.That(report.Checks.Single(c => c.Name == "endorsement.listed").Status, Is.EqualTo(CheckStatus.Pass));

        using var fetcher2 = new GuardedFetcher(new FetchPolicy { AllowedRanges = ["127.0.0.1/32"] });
        var badge = await new BadgeVerifier(new FetchingDocumentSource(fetcher2), Now).VerifyUrlAsync(foreign.AssertionUrl);
        Assert.That(badge.Valid, Is.True);
        Assert.That(badge.EndorsementCount, Is.EqualTo(1));
        Assert.That(badge.Endorsements.Single().Valid, Is.True);
        Assert.That(badge.Endorsements.Single().Of, Is.EqualTo("badgeclass"));
    }

    [Test]
    public async Task ForeignEndorsement_Gone_OrOnAnotherOrigin_OrOfNothing_IsNotValid()
    {
        await using var foreign = new ForeignIssuer();
        using var fetcher = new GuardedFetcher(new FetchPolicy { AllowedRanges = ["127.0.0.1/32"] });
        var endorsement = Endorsement(foreign, foreign.Base + "/nothing-here");
        foreign.ServeJson("/endorsements/1", () => endorsement);
        var noTarget = await new BadgeVerifier(new FetchingDocumentSource(fetcher), Now).VerifyUrlAsync(foreign.Base + "/endorsements/1");
        Assert.That(noTarget.Valid, Is.False);
        Assert.That(noTarget.Checks.Single(c => c.Name == "endorsement.claim").Status, Is.EqualTo(CheckStatus.Fail));

        using var fetcher2 = new GuardedFetcher(new FetchPolicy { AllowedRanges = ["127.0.0.1/32"] });
        foreign.ServeJson("/endorsements/1", () => new JsonObject { ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Endorsement", ["id"] = foreign.Base + "/endorsements/1", ["revoked"] = true }, 410);
        var gone = await new BadgeVerifier(new FetchingDocumentSource(fetcher2), Now).VerifyUrlAsync(foreign.Base + "/endorsements/1");
        Assert.That(gone.Revoked, Is.True);
        Assert.That(gone.Valid, Is.False);

        // A default policy (public addresses only) never reaches the loopback server.
        using var strict = new GuardedFetcher(new FetchPolicy());
        var refused = await new BadgeVerifier(new FetchingDocumentSource(strict), Now).VerifyUrlAsync(foreign.Base + "/endorsements/1");
        Assert.That(refused.Valid, Is.False);
        Assert.That(refused.Checks.Single(c => c.Name == "hosted.fetch").Status, Is.EqualTo(CheckStatus.Fail));
    }
}
