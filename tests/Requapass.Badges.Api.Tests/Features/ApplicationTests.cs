using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// Applications from a skills map (issue #13, part 2), over HTTP on both stores: apply, the review
/// queue and its filters, a request for more and the answer, approval through the issuance core (the
/// experience as the assertion's evidence, the narrative kept, the award mail), rejection and its mail,
/// withdrawal, the history of every step, one winner among parallel decisions, every refusal, hostile
/// input that stores nothing, and the map's deletion taking its applications along. Maps are written
/// straight into the database until the skills-map API is merged.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class ApplicationTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private SmtpServer _smtp = null!;

    protected override async Task<BadgesApiFactory> StartFactoryAsync()
    {
        _smtp = await SmtpServer.SharedAsync();
        var settings = MailTests.Settings(_smtp.SmtpPort);
        // The rate has its own fixture (ApplicationRateLimitTests); here it must not get in the way.
        settings["PublicTraffic:ApplicationsPerMinute"] = "10000";
        return await BadgesApiFactory.StartAsync(Provider, settings);
    }

    internal sealed record Map(string Token, string Address, string ExperienceId, long Id);

    /// <summary>A skills map with one experience and two competences, as the skills-map API will store it.</summary>
    internal static async Task<Map> NewMapAsync(TestDatabase database, string locale = "fr", string? address = null)
    {
        address ??= SmtpServer.NewAddress("carte");
        var (token, hash) = SkillsMapTokens.New();
        var (recipient, _) = RecipientNormalizer.Normalize(RecipientType.Email, address);
        var now = DateTime.UtcNow;
        await using var db = Storage.SchemaTests.Context(database);
        var map = new SkillsMapEntity
        {
            PublicId = Guid.NewGuid().ToString("N")[..24], TokenHash = hash, RecipientLookup = recipient!.LookupKey(), Address = recipient.Normalized,
            Locale = locale, LastUsedAt = now, CreatedAt = now, UpdatedAt = now,
        };
        db.SkillsMaps.Add(map);
        await db.SaveChangesAsync();
        var experience = new SkillsMapExperienceEntity
        {
            PublicId = Guid.NewGuid().ToString("N")[..24], MapId = map.Id, Position = 1, Association = "Restos du Cœur Roubaix", Role = "Bénévole à l'accueil",
            ContextWhat = "Accueil des familles et tenue du registre", ContextForWhom = "Les familles bénéficiaires", StartedOn = new DateOnly(2024, 9, 1),
            HoursPerMonth = 12, Narrative = "J'accueille chaque mardi une trentaine de familles.", CreatedAt = now, UpdatedAt = now,
        };
        db.SkillsMapExperiences.Add(experience);
        await db.SaveChangesAsync();
        db.SkillsMapCompetences.AddRange(
            new SkillsMapCompetenceEntity { ExperienceId = experience.Id, CompetenceKey = "communication_orale", Level = 2, Example = "J'explique le fonctionnement aux nouvelles familles.", Position = 1 },
            new SkillsMapCompetenceEntity { ExperienceId = experience.Id, CompetenceKey = "travail_en_equipe", Level = 1, Position = 2 });
        await db.SaveChangesAsync();
        return new Map(token, recipient.Normalized, experience.PublicId, map.Id);
    }

    private async Task<HttpResponseMessage> ApplyAsync(Map map, string issuerId, string[] classes, string narrative = "Je tiens l'accueil depuis un an.", string? experienceId = null) =>
        await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications",
            new { issuerId, badgeClassIds = classes, experienceId = experienceId ?? map.ExperienceId, narrative });

    private static string Id(JsonObject application) => application["id"]!.GetValue<string>();

    [Test]
    public async Task The_journey_apply_request_info_answer_approve_awards_the_badge_with_the_experience_as_evidence_and_records_every_step()
    {
        var partner = await NewPartnerAsync("MDA Tourcoing");
        var (welcome, stand) = (await NewBadgeClassAsync(partner, "Accueil du public"), await NewBadgeClassAsync(partner, "Tenue de stand"));
        var map = await NewMapAsync(Factory.Database, "fr");

        var created = await Json(await ApplyAsync(map, partner.IssuerId, [welcome, stand]), 201);
        var items = created["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.That(items.Select(i => i["badgeClassId"]!.GetValue<string>()), Is.EquivalentTo(new[] { welcome, stand }));
        Assert.That(items.Select(i => i["status"]!.GetValue<string>()), Is.All.EqualTo("pending"));
        var application = Id(items.Single(i => i["badgeClassId"]!.GetValue<string>() == welcome));
        Assert.That(items[0]["experience"]!["association"]!.GetValue<string>(), Is.EqualTo("Restos du Cœur Roubaix"));
        Assert.That(items[0]["experience"]!["competences"]!.AsArray(), Has.Count.EqualTo(2));
        var received = await _smtp.WaitForAsync(map.Address, 2);
        Assert.That(received.Select(m => m.Subject), Is.EquivalentTo(new[]
        {
            "Votre candidature au badge «\u00a0Accueil du public\u00a0» de MDA Tourcoing est bien arrivée",
            "Votre candidature au badge «\u00a0Tenue de stand\u00a0» de MDA Tourcoing est bien arrivée",
        }));
        Assert.That(received[0].TextBody, Does.Not.Contain(map.Token), "the token is never mailed again");

        // The map changes after the application: staff still see what was sent.
        await using (var db = Storage.SchemaTests.Context(Factory.Database))
        {
            await db.SkillsMapExperiences.Where(e => e.PublicId == map.ExperienceId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Role, "Coordinatrice"));
        }

        // The queue and its filters.
        var pending = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?status=pending"), 200);
        Assert.That(pending["items"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(pending["items"]![0]!["experience"]!["role"]!.GetValue<string>(), Is.EqualTo("Bénévole à l'accueil"));
        Assert.That(pending.ToJsonString(), Does.Not.Contain(map.Address).And.Not.Contain("@example.org"), "staff never see the address");
        var byClass = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?badgeClass={welcome}"), 200);
        Assert.That(byClass["items"]!.AsArray().Select(i => Id(i!.AsObject())), Is.EqualTo(new[] { application }));
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"));
        Assert.That((await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?from={future}"), 200))["items"]!.AsArray(), Is.Empty);
        Assert.That((await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?to={future}"), 200))["items"]!.AsArray(), Has.Count.EqualTo(2));
        var first = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?limit=1"), 200);
        var second = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?limit=1&cursor={first["nextCursor"]}"), 200);
        Assert.That(new[] { Id(first["items"]![0]!.AsObject()), Id(second["items"]![0]!.AsObject()) }, Is.EquivalentTo(items.Select(Id)));
        Assert.That(second["nextCursor"], Is.Null);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications?status=lost"), 400);

        // A request for more, mailed with the staff's words; the volunteer answers, and it is back in the queue.
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/request-info", new { message = " " }), 400);
        var asked = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/request-info",
            new { message = "Pouvez-vous décrire une <situation> difficile ?\nMerci !" }), 200);
        Assert.That(asked["status"]!.GetValue<string>(), Is.EqualTo("info-requested"));
        var info = (await _smtp.WaitForAsync(map.Address, 3)).Single(m => m.MessageId!.StartsWith("application-info-requested.", StringComparison.Ordinal));
        Assert.That(info.Subject, Is.EqualTo("MDA Tourcoing vous demande un complément pour le badge «\u00a0Accueil du public\u00a0»"));
        Assert.That(info.TextBody, Does.Contain("Pouvez-vous décrire une <situation> difficile ?").And.Contain("ouvrez votre carte de compétences avec le lien que vous avez reçu"));
        Assert.That(info.HtmlBody, Does.Contain("Pouvez-vous décrire une &lt;situation&gt; difficile ?<br>Merci !"));
        Assert.That(info.TextBody + info.HtmlBody, Does.Not.Contain(map.Token));
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/request-info", new { message = "again" }), 409);

        var answered = await Json(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications/{application}/answer",
            new { narrative = "Un soir, une famille sans papiers : j'ai trouvé une solution avec la coordinatrice." }), 200);
        Assert.That(answered["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(answered["experience"]!["role"]!.GetValue<string>(), Is.EqualTo("Coordinatrice"), "the answer copies the experience again");
        await AssertProblem(await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications/{application}/answer", new { narrative = "twice" }), 409);

        // Approval: the badge, with the experience as evidence and the narrative, and its mail.
        var approved = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/approve", new { comment = "Bravo" }), 200);
        Assert.That(approved["status"]!.GetValue<string>(), Is.EqualTo("approved"));
        var assertionId = approved["assertionId"]!.GetValue<string>();
        var document = await Anonymous().GetAsync($"/public/assertions/{assertionId}");
        var text = await document.Content.ReadAsStringAsync();
        var jsonLd = JsonNode.Parse(text)!.AsObject();
        Assert.That(jsonLd["narrative"]!.GetValue<string>(), Is.EqualTo("Un soir, une famille sans papiers : j'ai trouvé une solution avec la coordinatrice."));
        var evidence = jsonLd["evidence"]!.AsArray().Single()!.AsObject();
        Assert.That(evidence["type"]!.GetValue<string>(), Is.EqualTo("Evidence"));
        Assert.That(evidence.ContainsKey("id"), Is.False, "a private map has no URL to give");
        Assert.That(evidence["name"]!.GetValue<string>(), Is.EqualTo("Restos du Cœur Roubaix – Coordinatrice"));
        Assert.That(evidence["genre"]!.GetValue<string>(), Is.EqualTo("Expérience bénévole"));
        Assert.That(evidence["description"]!.GetValue<string>(), Does.Contain("Pour qui\u00A0: Les familles bénéficiaires").And.Contain("Période\u00A0: 2024-09-01 – en cours").And.Contain("Heures par mois\u00A0: 12"));
        Assert.That(evidence["narrative"]!.GetValue<string>(), Does.StartWith("J'accueille chaque mardi").And.Contain("- Communication orale (niveau 2)\u00A0: J'explique"));
        using (var parsed = JsonDocument.Parse(text))
        {
            var failed = ObShape.Assertion(parsed.RootElement).Where(c => c.Status != CheckStatus.Pass).Select(c => c.Name + ": " + c.Message);
            Assert.That(failed, Is.Empty, "the assertion keeps the Open Badges 2.0 shape");
        }
        var award = (await _smtp.WaitForAsync(map.Address, 4)).Single(m => m.MessageId!.StartsWith("award-mail.", StringComparison.Ordinal));
        Assert.That(award.TextBody, Does.Contain($"/public/assertions/{assertionId}"));
        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/reject", new { reason = "late" }), 409);
        await AssertProblem(await ApplyAsync(map, partner.IssuerId, [welcome]), 409);

        // The history: every step, who and when.
        var read = await Json(await partner.Client.GetAsync($"/api/v1/applications/{application}"), 200);
        var history = read["history"]!.AsArray().Select(h => h!.AsObject()).ToList();
        Assert.That(history.Select(h => h["what"]!.GetValue<string>()), Is.EqualTo(new[] { "submitted", "info-requested", "resubmitted", "approved" }));
        Assert.That(history.Select(h => h["who"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(2));
        Assert.That(history[0]["who"]!.GetValue<string>(), Is.EqualTo("volunteer"));
        Assert.That(history[1]["who"]!.GetValue<string>(), Is.Not.EqualTo("volunteer").And.Not.Empty, "a staff client id");
        Assert.That(history[3]["message"]!.GetValue<string>(), Is.EqualTo("Bravo"));
        Assert.That(history.Select(h => h["at"]!.GetValue<DateTime>()), Is.Ordered);
        var mine = await Json(await Anonymous().GetAsync($"/public/skills-maps/{map.Token}/applications"), 200);
        var own = mine["items"]!.AsArray().Single(i => Id(i!.AsObject()) == application)!;
        Assert.That(own["badgeUrl"]!.GetValue<string>(), Does.EndWith($"/public/assertions/{assertionId}"));
        Assert.That(own["history"]!.AsArray().Select(h => h!["who"]!.GetValue<string>()), Is.EqualTo(new[] { "volunteer", "staff", "volunteer", "staff" }));

        var events = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/events"), 200);
        Assert.That(events["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "application.submitted", "application.submitted", "application.info-requested", "application.submitted", "assertion.awarded", "application.decided",
        }));
        Assert.That(events.ToJsonString(), Does.Not.Contain(map.Address));
        Assert.That(Factory.Logs.Lines.Where(l => l.Contains(map.Address, StringComparison.OrdinalIgnoreCase) || l.Contains(map.Token, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Reject_mails_the_reason_and_withdraw_ends_an_application_then_a_new_one_may_follow()
    {
        var partner = await NewPartnerAsync("MDA Charleroi");
        var (welcome, stand) = (await NewBadgeClassAsync(partner, "Accueil du public"), await NewBadgeClassAsync(partner, "Tenue de stand"));
        var map = await NewMapAsync(Factory.Database, "nl");
        var items = (await Json(await ApplyAsync(map, partner.IssuerId, [welcome, stand]), 201))["items"]!.AsArray();
        var rejected = Id(items.Single(i => i!["badgeClassId"]!.GetValue<string>() == welcome)!.AsObject());
        var withdrawn = Id(items.Single(i => i!["badgeClassId"]!.GetValue<string>() == stand)!.AsObject());

        await AssertProblem(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{rejected}/reject", new { reason = "" }), 400);
        var no = await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{rejected}/reject", new { reason = "Il faut d'abord le niveau 1." }), 200);
        Assert.That(no["status"]!.GetValue<string>(), Is.EqualTo("rejected"));
        var mail = (await _smtp.WaitForAsync(map.Address, 3)).Single(m => m.MessageId!.StartsWith("application-rejected.", StringComparison.Ordinal));
        Assert.That(mail.Subject, Is.EqualTo("Uw kandidatuur voor de badge „Accueil du public” van MDA Charleroi"));
        Assert.That(mail.TextBody, Does.Contain("Il faut d'abord le niveau 1.").And.Contain("De reden van MDA Charleroi:"));

        var gone = await Json(await Anonymous().PostAsync($"/public/skills-maps/{map.Token}/applications/{withdrawn}/withdraw", null), 200);
        Assert.That(gone["status"]!.GetValue<string>(), Is.EqualTo("withdrawn"));
        await AssertProblem(await Anonymous().PostAsync($"/public/skills-maps/{map.Token}/applications/{withdrawn}/withdraw", null), 409);
        await AssertProblem(await partner.Client.PostAsync($"/api/v1/applications/{withdrawn}/approve", null), 409);
        var other = await NewMapAsync(Factory.Database);
        await AssertProblem(await Anonymous().PostAsync($"/public/skills-maps/{other.Token}/applications/{rejected}/withdraw", null), 404);

        // Rejected and withdrawn applications do not hold the place: the volunteer may try again.
        var again = await Json(await ApplyAsync(map, partner.IssuerId, [welcome, stand]), 201);
        Assert.That(again["items"]!.AsArray(), Has.Count.EqualTo(2));
        var withdrawnHistory = (await Json(await partner.Client.GetAsync($"/api/v1/applications/{withdrawn}"), 200))["history"]!.AsArray();
        Assert.That(withdrawnHistory.Select(h => (h!["what"]!.GetValue<string>(), h["who"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("submitted", "volunteer"), ("withdrawn", "volunteer") }));
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        await WaitUntilAsync(async () => await db.AwardMails.AsNoTracking().AnyAsync(m => m.Kind == "application-rejected" && m.Status == "sent" && m.Address == null
            && m.ApplicationEvent!.Application!.PublicId == rejected));
    }

    [Test]
    public async Task Parallel_decisions_on_one_application_have_exactly_one_winner()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var map = await NewMapAsync(Factory.Database);
        var application = Id((await Json(await ApplyAsync(map, partner.IssuerId, [badgeClass]), 201))["items"]![0]!.AsObject());
        // Decisions only: a request for more followed by a rejection is a legal sequence, not a double decision.
        var calls = Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/approve", new { comment = (string?)null })
            : partner.Client.PostAsJsonAsync($"/api/v1/applications/{application}/reject", new { reason = "Non" }));
        var responses = await Task.WhenAll(calls);
        var codes = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.That(codes.Count(c => c == 200), Is.EqualTo(1), string.Join(",", codes));
        Assert.That(codes.Count(c => c == 409), Is.EqualTo(11), string.Join(",", codes));
        var read = await Json(await partner.Client.GetAsync($"/api/v1/applications/{application}"), 200);
        Assert.That(read["history"]!.AsArray(), Has.Count.EqualTo(2), "submitted, and the one decision");
        var assertions = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/assertions"), 200);
        Assert.That(assertions["items"]!.AsArray(), Has.Count.EqualTo(read["status"]!.GetValue<string>() == "approved" ? 1 : 0));
    }

    [Test]
    public async Task Refusals_unknown_archived_or_other_issuers_class_a_held_badge_a_duplicate_an_unknown_map_or_experience()
    {
        var partner = await NewPartnerAsync();
        var other = await NewPartnerAsync("MDA Mons");
        var badgeClass = await NewBadgeClassAsync(partner);
        var archived = await NewBadgeClassAsync(partner, "Ancienne");
        await Json(await partner.Client.PostAsync($"/api/v1/badge-classes/{archived}/archive", null), 200);
        var foreign = await NewBadgeClassAsync(other);
        var map = await NewMapAsync(Factory.Database);
        var stranger = await NewMapAsync(Factory.Database);

        Assert.That((await AssertProblem(await ApplyAsync(map, partner.IssuerId, ["abcdefghijklmnop"]), 422))["type"]!.GetValue<string>(), Does.EndWith("application-badge-class-unknown"));
        Assert.That((await AssertProblem(await ApplyAsync(map, partner.IssuerId, [archived]), 422))["type"]!.GetValue<string>(), Does.EndWith("application-badge-class-unknown"));
        Assert.That((await AssertProblem(await ApplyAsync(map, partner.IssuerId, [badgeClass, foreign]), 422))["type"]!.GetValue<string>(), Does.EndWith("application-badge-class-other-issuer"));
        Assert.That((await AssertProblem(await ApplyAsync(map, "abcdefghijklmnop", [badgeClass]), 422))["type"]!.GetValue<string>(), Does.EndWith("application-issuer-unknown"));
        Assert.That((await AssertProblem(await ApplyAsync(map, partner.IssuerId, [badgeClass], experienceId: stranger.ExperienceId), 422))["type"]!.GetValue<string>(),
            Does.EndWith("application-experience-unknown"), "another map's experience");
        await AssertProblem(await ApplyAsync(map with { Token = SkillsMapTokens.New().Token }, partner.IssuerId, [badgeClass]), 404);
        await AssertProblem(await Anonymous().GetAsync($"/public/skills-maps/{new string('x', 500)}/applications"), 404);

        await Json(await ApplyAsync(map, partner.IssuerId, [badgeClass]), 201);
        Assert.That((await AssertProblem(await ApplyAsync(map, partner.IssuerId, [badgeClass]), 409))["type"]!.GetValue<string>(), Does.EndWith("application-exists"));

        await AwardAsync(partner, badgeClass, stranger.Address.ToUpperInvariant());
        Assert.That((await AssertProblem(await ApplyAsync(stranger, partner.IssuerId, [badgeClass]), 409))["type"]!.GetValue<string>(), Does.EndWith("application-badge-held"));

        var list = await Json(await partner.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications"), 200);
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1), "only the one accepted application");
    }

    [TestCase("narrative", "\"narrative\":\"LONG\"")]
    [TestCase("narrative", "\"narrative\":\"a\\u0007b\"")]
    [TestCase("narrative", "\"narrative\":\"  \"")]
    [TestCase("badgeClassIds", "\"narrative\":\"x\",\"badgeClassIds\":[MANY]")]
    [TestCase("badgeClassIds", "\"narrative\":\"x\",\"badgeClassIds\":[]")]
    [TestCase("badgeClassIds", "\"narrative\":\"x\",\"badgeClassIds\":[CLASS,CLASS]")]
    [TestCase("badgeClassIds[0]", "\"narrative\":\"x\",\"badgeClassIds\":[\"../../etc\"]")]
    [TestCase("experienceId", "\"narrative\":\"x\",\"experienceId\":null")]
    [TestCase("", "\"narrative\":[1,2]")]
    public async Task Hostile_input_is_4xx_and_stores_nothing(string field, string json)
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var map = await NewMapAsync(Factory.Database);
        var body = "{\"issuerId\":\"" + partner.IssuerId + "\",\"experienceId\":\"" + map.ExperienceId + "\",\"badgeClassIds\":[\"" + badgeClass + "\"]," + json + "}";
        body = body.Replace("LONG", new string('n', 4_001)).Replace("CLASS", "\"" + badgeClass + "\"")
            .Replace("MANY", string.Join(",", Enumerable.Range(0, 9).Select(i => $"\"class{i:D8}\"")));
        var response = await Anonymous().PostAsync($"/public/skills-maps/{map.Token}/applications", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, 400);
        if (field.Length > 0) { Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field)); }
        await using var db = Storage.SchemaTests.Context(Factory.Database);
        Assert.That(await db.Applications.AsNoTracking().CountAsync(a => a.MapId == map.Id), Is.Zero);
        Assert.That(await db.AwardMails.AsNoTracking().CountAsync(m => m.Address == map.Address), Is.Zero);
    }

    [Test]
    public async Task Another_issuers_staff_get_403_and_change_nothing()
    {
        var partner = await NewPartnerAsync();
        var intruder = await NewPartnerAsync("MDA Mons");
        var badgeClass = await NewBadgeClassAsync(partner);
        var map = await NewMapAsync(Factory.Database);
        var application = Id((await Json(await ApplyAsync(map, partner.IssuerId, [badgeClass]), 201))["items"]![0]!.AsObject());
        await AssertProblem(await intruder.Client.GetAsync($"/api/v1/applications/{application}"), 403);
        await AssertProblem(await intruder.Client.GetAsync($"/api/v1/issuers/{partner.IssuerId}/applications"), 403);
        await AssertProblem(await intruder.Client.PostAsJsonAsync($"/api/v1/applications/{application}/approve", new { }), 403);
        await AssertProblem(await intruder.Client.PostAsJsonAsync($"/api/v1/applications/{application}/reject", new { reason = "x" }), 403);
        var read = await Json(await partner.Client.GetAsync($"/api/v1/applications/{application}"), 200);
        Assert.That((read["status"]!.GetValue<string>(), read["history"]!.AsArray().Count), Is.EqualTo(("pending", 1)));
    }

    [Test]
    public async Task Deleting_the_map_deletes_its_applications_their_history_and_their_mails()
    {
        var partner = await NewPartnerAsync();
        var (welcome, stand) = (await NewBadgeClassAsync(partner, "Accueil du public"), await NewBadgeClassAsync(partner, "Tenue de stand"));
        var map = await NewMapAsync(Factory.Database);
        var items = (await Json(await ApplyAsync(map, partner.IssuerId, [welcome, stand]), 201))["items"]!.AsArray();
        var approved = Id(items[0]!.AsObject());
        var assertionId = (await Json(await partner.Client.PostAsync($"/api/v1/applications/{approved}/approve", null), 200))["assertionId"]!.GetValue<string>();
        await Json(await partner.Client.PostAsJsonAsync($"/api/v1/applications/{Id(items[1]!.AsObject())}/request-info", new { message = "Plus ?" }), 200);
        await _smtp.WaitForAsync(map.Address, 4);

        await using var db = Storage.SchemaTests.Context(Factory.Database);
        Assert.That(await db.ApplicationEvents.AsNoTracking().CountAsync(e => e.Application!.MapId == map.Id), Is.EqualTo(4));
        await db.SkillsMaps.Where(m => m.Id == map.Id).ExecuteDeleteAsync();
        Assert.That(await db.Applications.AsNoTracking().CountAsync(a => a.MapId == map.Id), Is.Zero);
        Assert.That(await db.ApplicationEvents.AsNoTracking().CountAsync(e => items.Select(i => i!["id"]!.GetValue<string>()).Contains(e.Application!.PublicId)), Is.Zero);
        Assert.That(await db.AwardMails.AsNoTracking().CountAsync(m => m.Kind.StartsWith("application-") && m.IssuerId == db.Issuers.Single(i => i.PublicId == partner.IssuerId).Id), Is.Zero);
        await AssertProblem(await partner.Client.GetAsync($"/api/v1/applications/{approved}"), 404);
        var badge = await Anonymous().GetAsync($"/public/assertions/{assertionId}");
        Assert.That((int)badge.StatusCode, Is.EqualTo(200), "the badge is the volunteer's, not the map's");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the condition did not come true in 30 s");
            await Task.Delay(100);
        }
    }
}

/// <summary>The anonymous writes of applications are held to a rate per client address.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed class ApplicationRateLimitTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    protected override IReadOnlyDictionary<string, string?>? ExtraSettings => new Dictionary<string, string?> { ["PublicTraffic:ApplicationsPerMinute"] = "2" };

    [Test]
    public async Task Past_the_rate_applying_is_429_with_retry_after()
    {
        var map = await ApplicationTests.NewMapAsync(Factory.Database);
        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var response = await Anonymous().PostAsJsonAsync($"/public/skills-maps/{map.Token}/applications", new { narrative = "x" });
            codes.Add((int)response.StatusCode);
            if (i == 2) { Assert.That(response.Headers.RetryAfter, Is.Not.Null); }
        }
        Assert.That(codes, Is.EqualTo(new[] { 400, 400, 429 }));
    }
}
