using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>The cap on the endorsements a document lists, applied after the read (not a window in SQL).</summary>
public sealed class DocumentRowsTests
{
    [Test]
    public void A_document_lists_the_oldest_endorsements_up_to_the_limit()
    {
        var many = Enumerable.Range(0, Limits.EndorsementsListed + 7).Select(i => $"endorsement-{i}").ToList();
        Assert.That(DocumentRows.Listed(many), Is.EqualTo(many.Take(Limits.EndorsementsListed)));
        var few = many[..3];
        Assert.That(DocumentRows.Listed(few), Is.EqualTo(few));
        Assert.That(DocumentRows.Listed(null), Is.Null);
    }
}
