using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Core.Tests.Catalogue;

public sealed class CatalogueTests
{
    private static readonly RectecCatalogue Catalogue = RectecCatalogue.Load();

    [Test]
    public void Catalogue_Has8CompetencesTimes4Levels_WithUniqueCodes()
    {
        Assert.That(Catalogue.Badges, Has.Count.EqualTo(32));
        Assert.That(Catalogue.Badges.Select(b => b.Code), Is.Unique);
        Assert.That(Catalogue.Badges.GroupBy(b => b.Competency).Select(g => g.Select(b => b.Level).Order()),
            Has.All.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(Catalogue.Badges.Select(b => b.Competency).Distinct().Count(), Is.EqualTo(8));
    }

    [Test]
    public void EveryEntry_HasFrenchFirstAndEnglish_AndARectecAlignment()
    {
        Assert.That(Catalogue.DefaultLanguage, Is.EqualTo("fr"));
        foreach (var badge in Catalogue.Badges)
        {
            foreach (var language in new[] { "fr", "en" })
            {
                Assert.That(badge.Name[language], Is.Not.Empty, badge.Code);
                Assert.That(badge.Description[language], Is.Not.Empty, badge.Code);
                Assert.That(badge.Criteria[language], Is.Not.Empty, badge.Code);
            }
            Assert.That(badge.Alignment.TargetFramework, Is.EqualTo("RECTEC+"));
            Assert.That(badge.Alignment.TargetCode, Is.EqualTo(badge.Code));
        }
    }

    [Test]
    public void CriteriaNarrative_IsAMarkdownList()
    {
        var narrative = Catalogue.Find("COM-ORAL-N1")!.CriteriaNarrative("fr");
        Assert.That(narrative.Split('\n'), Has.All.StartWith("- "));
        Assert.That(narrative, Does.Contain("Se présente"));
    }
}
