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
    public void EveryEntry_HasFrenchFirstDutchAndEnglish_AndARectecAlignment()
    {
        Assert.That(Catalogue.DefaultLanguage, Is.EqualTo("fr"));
        Assert.That(Catalogue.Languages, Is.EqualTo(new[] { "fr", "nl", "en" }));
        foreach (var badge in Catalogue.Badges)
        {
            foreach (var language in Catalogue.Languages)
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

    [Test]
    public void DutchNames_UseOneCompetenceNameAndOneLevelNamePerLevel_AcrossTheEightCompetences()
    {
        // One wording per level for all eight competences (issue #15): "<competence> – Niveau N", the
        // level's name taken from levelNames.nl, and the same competence name at its four levels.
        Assert.That(Catalogue.LevelNames["nl"], Is.EqualTo(new[] { "Niveau 1", "Niveau 2", "Niveau 3", "Niveau 4" }));
        foreach (var competence in Catalogue.Badges.GroupBy(b => b.Competency))
        {
            Assert.That(competence.Select(b => b.CompetencyName["nl"]).Distinct().Count(), Is.EqualTo(1), competence.Key);
            foreach (var badge in competence)
            {
                Assert.That(badge.Name["nl"], Is.EqualTo($"{badge.CompetencyName["nl"]} – {Catalogue.LevelName("nl", badge.Level)}"), badge.Code);
                Assert.That(badge.CompetencyName["nl"], Is.Not.EqualTo(badge.CompetencyName["fr"]), badge.Code);
            }
        }
        Assert.That(Catalogue.Badges.Select(b => b.CompetencyName["nl"]).Distinct().Count(), Is.EqualTo(8));
    }

    [TestCase("avec l'appui d'un référent", "met de steun van een begeleider")]
    [TestCase("avec une certaine autonomie", "met enige zelfstandigheid")]
    [TestCase("en autonomie", "zelfstandig")]
    [TestCase("de façon autonome", "zelfstandig")]
    public void DutchDescriptions_SayTheAutonomyOfALevelAsTheFrenchDoes_InOneWording(string french, string dutch)
    {
        var withFrench = Catalogue.Badges.Where(b => b.Description["fr"].Contains(french, StringComparison.Ordinal)).ToList();
        Assert.That(withFrench, Is.Not.Empty, french);
        foreach (var badge in withFrench)
        {
            Assert.That(badge.Description["nl"], Does.Contain(dutch), badge.Code);
        }
    }

    [Test]
    public void DutchTexts_AreWholeSentencesAsTheFrench_WithAsManyCriteria()
    {
        foreach (var badge in Catalogue.Badges)
        {
            Assert.That(badge.Criteria["nl"], Has.Count.EqualTo(badge.Criteria["fr"].Count), badge.Code);
            Assert.That(badge.Criteria["nl"].Append(badge.Description["nl"]), Has.All.EndWith("."), badge.Code);
            Assert.That(badge.Criteria["nl"].Append(badge.Description["nl"]), Has.None.EqualTo(badge.Description["fr"]), badge.Code);
        }
        Assert.That(Catalogue.Framework.Description["nl"], Does.Contain("vrijwilligerswerk"));
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
