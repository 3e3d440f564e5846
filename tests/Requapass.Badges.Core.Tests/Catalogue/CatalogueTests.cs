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

    [Test]
    public void Tags_NameTheLevelAsTheFileDoes()
    {
        var badge = Catalogue.Find("COM-ORAL-N2")!;
        Assert.That(Catalogue.Tags(badge, "fr"), Is.EqualTo(new[] { "RECTEC+", "REQUAPASS", "Communication orale", "Niveau 2" }));
        Assert.That(Catalogue.Tags(badge, "en"), Does.Contain("Level 2"));
        Assert.That(Catalogue.Version, Is.Not.Empty);
    }

    [TestCase("fr", 1, "levelNames.fr")]
    [TestCase("en", 0, "levelNames.en")]
    public void LoadFile_WithoutEveryLevelName_IsRefused(string language, int keep, string expected)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Embedded())!;
        var names = json["levelNames"]![language]!.AsArray();
        while (names.Count > keep) { names.RemoveAt(names.Count - 1); }
        var file = Path.Combine(Path.GetTempPath(), $"rq-catalogue-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json.ToJsonString());
        var error = Assert.Throws<InvalidOperationException>(() => RectecCatalogue.LoadFile(file));
        Assert.That(error!.Message, Does.Contain(expected));
        File.Delete(file);
    }

    private static string Embedded()
    {
        using var stream = typeof(RectecCatalogue).Assembly.GetManifestResourceStream("Requapass.Badges.Core.Catalogue.rectec-catalogue.json")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
