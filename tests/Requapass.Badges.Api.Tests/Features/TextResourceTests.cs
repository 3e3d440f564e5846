using System.Text.Json;
using System.Text.RegularExpressions;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The texts people read, pages and mails, exist in French, Dutch and English with the same keys, no
/// empty value, the same placeholders, and a Dutch text is not the French one left untranslated (names
/// and formats excepted). Read from the source files, as they ship.
/// </summary>
public sealed partial class TextResourceTests
{
    // The same in every language on purpose: names (of the service, of each language), "Niveau"/"Badge"
    // (the same word in French and Dutch), the date pattern Belgium writes as France does.
    private static readonly HashSet<string> SameInDutch =
        ["site_name", "language_fr", "language_nl", "language_en", "level", "badge_class_kicker", "reminderDateFormat", "mapSender"];

    public static IEnumerable<TestCaseData> Sets()
    {
        yield return new TestCaseData("Pages/Texts/{0}.json").SetName("PageTexts_HaveEveryKeyInEveryLanguage");
        yield return new TestCaseData("Mail/Templates/texts.{0}.json").SetName("MailTexts_HaveEveryKeyInEveryLanguage");
    }

    [TestCaseSource(nameof(Sets))]
    public void EveryFrenchKey_IsInDutchAndEnglish_WithItsPlaceholders(string pattern)
    {
        var fr = Read(pattern, "fr");
        Assert.That(fr, Has.Count.GreaterThan(20));
        foreach (var language in new[] { "nl", "en" })
        {
            var other = Read(pattern, language);
            Assert.That(fr.Keys.Except(other.Keys), Is.Empty, $"keys missing in {language}");
            Assert.That(other.Keys.Except(fr.Keys), Is.Empty, $"keys only in {language}");
            foreach (var (key, text) in fr)
            {
                Assert.That(other[key], Is.Not.Empty.And.Not.Contain("TODO"), $"{language}: {key}");
                Assert.That(Placeholders(other[key]), Is.EquivalentTo(Placeholders(text)), $"{language}: {key} fills the same placeholders");
            }
        }
        var nl = Read(pattern, "nl");
        Assert.That(fr.Keys.Where(k => !SameInDutch.Contains(k) && nl[k] == fr[k]), Is.Empty, "a Dutch text is not the French one");
        Assert.That(nl.Values.Where(v => FamiliarYou().IsMatch(v)), Is.Empty, "the pages and mails say 'u' to their reader, not 'je'");
    }

    private static Dictionary<string, string> Read(string pattern, string language)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "src", "Requapass.Badges.Api", "Features",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, language));
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Distinct()];

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\b(je|jij|jouw|jou)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FamiliarYou();
}
