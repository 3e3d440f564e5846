using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;
using UglyToad.PdfPig;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The skills map (issue #13, part 1), over HTTP on both stores with real mails (smtp4dev): start ->
/// link by mail -> experiences with competences -> PDF and page -> lost link (old link dead) -> delete
/// (link dead); the token never in an answer or a log line; hostile input that stores nothing.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed partial class SkillsMapTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;
    private readonly List<string> _answers = [];

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(_smtp.SmtpPort);
        settings["PublicTraffic:SkillsMapMailsPerMinute"] = "10000";
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    [GeneratedRegex(@"https://badges\.example\.test/public/skills-maps/([A-Za-z0-9_-]{43})")]
    private static partial Regex Link();

    /// <summary>A response's body, kept to check that no token was ever in one.</summary>
    private async Task<HttpResponseMessage> Kept(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        _answers.Add(response.Content.Headers.ContentType?.MediaType == "application/pdf"
            ? string.Join(" ", PdfDocument.Open(bytes).GetPages().Select(p => p.Text)) : Encoding.UTF8.GetString(bytes));
        _answers.Add(response.Headers.ToString() + response.Content.Headers);
        return response;
    }

    private async Task<string> TokenFromMailAsync(string address, int count = 1)
    {
        var mails = await _smtp.WaitForAsync(address, count);
        var match = Link().Match(mails[count - 1].TextBody ?? "");
        Assert.That(match.Success, Is.True, "the mail carries the map's link");
        Assert.That(mails[count - 1].HtmlBody, Does.Contain(match.Value));
        return match.Groups[1].Value;
    }

    private async Task<string> StartAsync(string address, string? locale = "fr")
    {
        await Json(await Kept(await Anonymous().PostAsJsonAsync("/public/skills-maps", new { email = address, locale })), 202);
        return await TokenFromMailAsync(address);
    }

    private static object Experience(params (string Key, int Level)[] picks) => new
    {
        association = "Les Restos du Cœur de Roubaix", role = "Bénévole à l'accueil", contextWhat = "Accueil et distribution des colis",
        contextForWhom = "Les familles inscrites", startedOn = "2024-09-01", endedOn = "2025-06-30", hoursPerMonth = 16,
        narrative = "J'ai accueilli les familles, « pris le temps » d'écouter.",
        competences = picks.Select(p => new { competence = p.Key, level = p.Level, example = $"Exemple pour {p.Key} : j'ai géré l'accueil." }).ToArray(),
    };

    private async Task<string[]> CompetenceKeysAsync() =>
        [.. (await Json(await Anonymous().GetAsync("/public/competences?lang=fr"), 200))["competences"]!.AsArray().Select(c => c!["key"]!.GetValue<string>())];

    private HttpClient Client()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    [Test]
    public async Task Map_StartMailOpenEditDownloadRelinkDelete_AndTheTokenIsNeverAnsweredNorLogged()
    {
        var address = SmtpServer.NewAddress("Marie.Dupont");
        var started = await Kept(await Anonymous().PostAsJsonAsync("/public/skills-maps", new { email = address, locale = "fr", title = "Mon parcours" }));
        var accepted = await Json(started, 202);
        // The same answer for an address that will never receive anything: no enumeration.
        var other = await Json(await Kept(await Anonymous().PostAsJsonAsync("/public/skills-maps/links", new { email = SmtpServer.NewAddress("nobody") })), 202);
        Assert.That(other.ToJsonString(), Is.EqualTo(accepted.ToJsonString()));

        var mail = (await _smtp.WaitForAsync(address)).Single();
        Assert.That(mail.Subject, Is.EqualTo("Votre carte de compétences REQUAPASS"));
        Assert.That(mail.ReplyTo, Is.Empty, "the service's own mail speaks for no issuer");
        var token = await TokenFromMailAsync(address);
        var client = Client();
        var path = $"/public/skills-maps/{token}";

        var opened = await Kept(await client.GetAsync(path));
        var map = await Json(opened, 200);
        Assert.That((map["title"]!.GetValue<string>(), map["locale"]!.GetValue<string>(), map["experiences"]!.AsArray().Count), Is.EqualTo(("Mon parcours", "fr", 0)));
        Assert.That(opened.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(opened.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));

        var keys = await CompetenceKeysAsync();
        Assert.That(keys, Has.Length.GreaterThanOrEqualTo(5));
        var four = keys.Take(4).Select((k, i) => (k, i + 1)).ToArray();
        var added = await Json(await Kept(await client.PostAsJsonAsync($"{path}/experiences", Experience(four))), 201);
        var experienceId = added["id"]!.GetValue<string>();
        Assert.That(added["competences"]!.AsArray().Select(c => (c!["competence"]!.GetValue<string>(), c["level"]!.GetValue<int>())), Is.EqualTo(four));
        Assert.That(added["association"]!.GetValue<string>(), Is.EqualTo("Les Restos du Cœur de Roubaix"));

        var fifth = await AssertProblem(await Kept(await client.PostAsJsonAsync($"{path}/experiences", Experience([.. keys.Take(5).Select(k => (k, 2))]))), 400);
        Assert.That(fifth["errors"]!["competences"], Is.Not.Null, "the fifth pick is refused by name");

        var replaced = await Json(await Kept(await client.PutAsJsonAsync($"{path}/experiences/{experienceId}", Experience((keys[4], 3), (keys[0], 2)))), 200);
        Assert.That(replaced["competences"]!.AsArray().Select(c => c!["competence"]!.GetValue<string>()), Is.EqualTo(new[] { keys[4], keys[0] }));
        var patched = await Json(await Kept(await client.PatchAsJsonAsync(path, new { title = "Mon année aux Restos", locale = "fr" })), 200);
        Assert.That((patched["title"]!.GetValue<string>(), patched["experiences"]!.AsArray().Count), Is.EqualTo(("Mon année aux Restos", 1)));

        var pdf = await Kept(await client.GetAsync($"{path}/pdf"));
        Assert.That((pdf.StatusCode, pdf.Content.Headers.ContentType!.MediaType), Is.EqualTo((HttpStatusCode.OK, "application/pdf")));
        using (var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.That(document.NumberOfPages, Is.EqualTo(1));
            var words = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.That(words, Does.Contain("Cœur").And.Contain("Bénévole").And.Contain("Mon année aux Restos").And.Contain("«"));
            Assert.That(words, Does.Contain("du 1er septembre 2024 au 30 juin 2025"), "dates as people write them");
        }
        var viaQuery = await Kept(await Anonymous().GetAsync($"{path}?format=pdf"));
        Assert.That(viaQuery.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/pdf"));

        var browser = Anonymous();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        var page = await Kept(await browser.GetAsync(path));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(html, Does.Contain("du 1er septembre 2024 au 30 juin 2025"));
        Assert.That(html, Does.Contain("Les Restos du Cœur de Roubaix").And.Contain("?format=pdf"));

        // Lost link: a fresh one is mailed, the old one opens nothing.
        await Json(await Kept(await Anonymous().PostAsJsonAsync("/public/skills-maps/links", new { email = address.ToUpperInvariant() })), 202);
        var fresh = await TokenFromMailAsync(address, 2);
        Assert.That(fresh, Is.Not.EqualTo(token));
        await AssertProblem(await Kept(await client.GetAsync(path)), 404);
        path = $"/public/skills-maps/{fresh}";
        Assert.That((await Json(await Kept(await client.GetAsync(path)), 200))["experiences"]!.AsArray().Count, Is.EqualTo(1));

        Assert.That((await Kept(await client.DeleteAsync(path))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertProblem(await Kept(await client.GetAsync(path)), 404);
        await AssertProblem(await Kept(await client.GetAsync($"{path}/pdf")), 404);
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            Assert.That(await db.SkillsMaps.AnyAsync(m => m.Address == address.ToLowerInvariant()), Is.False);
            Assert.That(await db.SkillsMapExperiences.AnyAsync(e => e.PublicId == experienceId), Is.False, "the experiences go with the map");
            Assert.That(await db.AwardMails.AnyAsync(m => m.Kind == "skills-map-link" && m.Address == address.ToLowerInvariant()), Is.False);
        }

        foreach (var t in new[] { token, fresh })
        {
            Assert.That(_answers.Where(a => a.Contains(t, StringComparison.Ordinal)), Is.Empty, "no answer carries a token");
            Assert.That(Factory.Logs.Lines.Where(l => l.Contains(t, StringComparison.Ordinal)), Is.Empty, "no log line carries a token");
        }
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(address, StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public async Task Competences_InDutch_AreInDutch_AndSaySo()
    {
        var guide = await Json(await Anonymous().GetAsync("/public/competences?lang=nl"), 200);
        var first = guide["competences"]!.AsArray()[0]!;
        Assert.That(first["name"]!["language"]!.GetValue<string>(), Is.EqualTo("nl"));
        Assert.That(first["name"]!["text"]!.GetValue<string>(), Is.EqualTo("Mondelinge communicatie"));
        Assert.That(first["levels"]!.AsArray().Select(l => l!["level"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(first["levels"]![0]!["criteria"]!.AsArray(), Is.Not.Empty);
        var english = await Json(await Anonymous().GetAsync("/public/competences?lang=en"), 200);
        Assert.That(english["competences"]![0]!["levels"]![0]!["description"]!["language"]!.GetValue<string>(), Is.EqualTo("en"));
    }

    [TestCase("{\"association\":\"LONG\",\"role\":\"r\",\"startedOn\":\"2024-01-01\"}")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\",\"startedOn\":\"2024-01-01\"")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\",\"startedOn\":\"2024-01-01\",\"competences\":[{\"competence\":\"communication_orale\",\"level\":\"high\"}]}")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\",\"startedOn\":\"2024-01-01\",\"competences\":[{\"competence\":\"jonglage\",\"level\":2}]}")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\",\"startedOn\":\"2024-01-01\",\"competences\":[{\"competence\":\"communication_orale\",\"level\":5}]}")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\",\"startedOn\":\"2024-06-01\",\"endedOn\":\"2024-01-01\"}")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\",\"startedOn\":\"2024-13-01\"}")]
    [TestCase("{\"association\":\"a\",\"role\":\"r\"}")]
    [TestCase("{\"association\":\"a\\u0007\",\"role\":\"r\",\"startedOn\":\"2024-01-01\"}")]
    [TestCase("[1,2]")]
    public async Task Experience_Hostile_Is4xx_AndNothingIsStored(string json)
    {
        var address = SmtpServer.NewAddress();
        var token = await StartAsync(address);
        var body = new StringContent(json.Replace("LONG", new string('x', 201), StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var response = await Kept(await Client().PostAsync($"/public/skills-maps/{token}/experiences", body));
        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Json(await Client().GetAsync($"/public/skills-maps/{token}"), 200))["experiences"]!.AsArray(), Is.Empty);
    }

    [TestCase("{\"email\":\"not an address\"}")]
    [TestCase("{\"email\":\"a@example.org\",\"locale\":\"de\"}")]
    [TestCase("{\"email\":\"a@example.org\",\"title\":\"LONG\"}")]
    [TestCase("{\"email\":42}")]
    [TestCase("{\"email\":")]
    public async Task Start_Hostile_Is400_AndNoMapIsStored(string json)
    {
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var before = await db.SkillsMaps.CountAsync();
        var response = await Anonymous().PostAsync("/public/skills-maps", new StringContent(json.Replace("LONG", new string('x', 201), StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        await AssertProblem(response, 400);
        Assert.That(await db.SkillsMaps.CountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task MadeUpTokens_Are404()
    {
        foreach (var token in new[] { new string('A', 43), "short", new string('b', 500) })
        {
            await AssertProblem(await Client().GetAsync($"/public/skills-maps/{token}"), 404);
            await AssertProblem(await Client().DeleteAsync($"/public/skills-maps/{token}"), 404);
        }
    }

    [Test]
    public async Task StartPage_FormPost_AnswersCheckYourMail_AndTheLinkArrives()
    {
        var form = await Anonymous().GetAsync("/public/skills-maps/new?lang=nl");
        Assert.That(await form.Content.ReadAsStringAsync(), Does.Contain("name=\"email\"").And.Contain("Mijn competentiekaart beginnen"));
        var address = SmtpServer.NewAddress();
        var sent = await Anonymous().PostAsync("/public/skills-maps", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = address, ["lang"] = "nl", ["locale"] = "nl",
        }));
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await sent.Content.ReadAsStringAsync(), Does.Contain("Kijk in uw mailbox"));
        Assert.That((await _smtp.WaitForAsync(address)).Single().Subject, Is.EqualTo("Uw REQUAPASS-competentiekaart"));
        var refused = await Anonymous().PostAsync("/public/skills-maps", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "nope", ["lang"] = "en" }));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("does not look valid"));
    }

    [Test]
    public async Task A_lost_link_request_mails_no_more_links_than_the_address_may_receive_this_hour()
    {
        // Four maps of one address (written directly: no link mail yet); the hourly cap is 3 by default.
        var address = SmtpServer.NewAddress("oubli");
        var maps = new List<long>();
        for (var i = 0; i < 4; i++) { maps.Add((await ApplicationTests.NewMapAsync(Factory.Database, address: address)).Id); }
        await Json(await Anonymous().PostAsJsonAsync("/public/skills-maps/links", new { email = address }), 202);
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        var queued = await db.AwardMails.Where(m => m.SkillsMapId != null && maps.Contains(m.SkillsMapId.Value)).Select(m => m.SkillsMapId!.Value).OrderBy(id => id).ToListAsync();
        Assert.That(queued, Is.EqualTo(maps.Take(3).ToList()), "three links, for the oldest three maps");
    }
}
