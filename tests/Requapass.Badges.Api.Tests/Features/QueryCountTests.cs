using System.Net;
using System.Net.Http.Json;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Features;

/// <summary>
/// The public reads are the hot paths: each runs exactly one SQL command, whatever the document holds;
/// a stored image's bytes are read once per node (they never change: StoredImageCache); and a finished
/// answer is kept for a moment (PublicAnswerCache), so the same document again runs none.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class QueryCountTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    // The count reads every SQL command the service logs: the background pollers (outbox dispatcher,
    // webhook deliveries, batch jobs) must not run one while a read is being counted.
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Events:DispatchInterval"] = "01:00:00",
        ["Webhooks:PollInterval"] = "01:00:00",
        ["Batch:PollInterval"] = "00:10:00",
    };

    [Test]
    public async Task PublicReads_RunOneSqlCommandEach_ImagesOneMoreTheFirstTimeANodeServesThem()
    {
        var partner = await NewPartnerAsync();
        var badgeClass = await NewBadgeClassAsync(partner);
        var assertion = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var revoked = (await AwardAsync(partner, badgeClass, "other@example.org"))["id"]!.GetValue<string>();
        await partner.Client.PostAsync($"/api/v1/assertions/{revoked}/revoke", System.Net.Http.Json.JsonContent.Create(new { reason = "x" }));

        foreach (var (path, commands) in new[]
        {
            ($"/public/assertions/{assertion}", 1), ($"/public/assertions/{revoked}", 1), ($"/public/badges/{badgeClass}", 1),
            ($"/public/badges/{badgeClass}/translations/en", 1), ($"/public/issuers/{partner.IssuerId}", 1),
            // A stored image's bytes are read once per node (the class row, then the image), then kept.
            ($"/public/badges/{badgeClass}/image", 2), ($"/public/badges/{badgeClass}/image", 1),
            // The baked badge reads its assertion row every time; the class image is the one already kept.
            ($"/public/assertions/{assertion}/image", 1), ($"/public/assertions/{revoked}/image", 1),
        })
        {
            var before = Commands();
            var response = await Anonymous().GetAsync(path);
            Assert.That((int)response.StatusCode, Is.AnyOf(200, 410), path);
            Assert.That(Commands() - before, Is.EqualTo(commands), path);
        }

        // The same documents again, within Caching:AnswerLifetime: served from memory, no command at all
        // (the class image route is not a kept answer: its row is read, its bytes are kept).
        foreach (var path in new[]
        {
            $"/public/assertions/{assertion}", $"/public/assertions/{revoked}", $"/public/badges/{badgeClass}",
            $"/public/badges/{badgeClass}/translations/en", $"/public/issuers/{partner.IssuerId}",
            $"/public/assertions/{assertion}/image", $"/public/assertions/{revoked}/image",
        })
        {
            var (response, commands) = await CountedGetAsync(path);
            Assert.That((int)response.StatusCode, Is.AnyOf(200, 410), path);
            Assert.That(commands, Is.Zero, path);
        }
    }

    [Test]
    public async Task BakedImage_ReadsTheClassImageOnce_AnswersA304WithoutBaking_AndAReplacedImageShowsAtOnce()
    {
        var partner = await NewPartnerAsync();
        var firstPng = Png(16, 40);
        var badgeClass = (await Json(await partner.Client.PostAsJsonAsync($"/api/v1/issuers/{partner.IssuerId}/badge-classes",
            BadgeClassBody("Accueil du public", PngDataUri(firstPng))), 201))["id"]!.GetValue<string>();
        var assertion = (await AwardAsync(partner, badgeClass))["id"]!.GetValue<string>();
        var path = $"/public/assertions/{assertion}/image";

        var (first, firstCommands) = await CountedGetAsync(path);
        var (second, secondCommands) = await CountedGetAsync(path);
        Assert.That((firstCommands, secondCommands), Is.EqualTo((2, 0)), "the class image is read once, then the baked answer is kept");
        Assert.That(TestPng.TakeOpenBadgesChunk(await second.Content.ReadAsByteArrayAsync()).Others, Is.EqualTo(firstPng));
        var (notModified, conditionalCommands) = await CountedGetAsync(path, first.Headers.ETag!);
        Assert.That((notModified.StatusCode, conditionalCommands), Is.EqualTo((HttpStatusCode.NotModified, 0)));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag), "the ETag is stable across requests");

        // A new image is a new stored row: the next request bakes it, with a new ETag, on every node.
        var newPng = Png(24, 90);
        Assert.That((await partner.Client.PutAsync($"/api/v1/badge-classes/{badgeClass}/image", new ByteArrayContent(newPng))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (replaced, _) = await CountedGetAsync(path, first.Headers.ETag!);
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old ETag no longer matches");
        Assert.That(TestPng.TakeOpenBadgesChunk(await replaced.Content.ReadAsByteArrayAsync()).Others, Is.EqualTo(newPng));
        Assert.That(await (await Anonymous().GetAsync($"/public/badges/{badgeClass}/image")).Content.ReadAsByteArrayAsync(), Is.EqualTo(newPng));

        // A revocation on this node drops the kept answers: it shows at once.
        await partner.Client.PostAsync($"/api/v1/assertions/{assertion}/revoke", System.Net.Http.Json.JsonContent.Create(new { reason = "Erreur" }));
        Assert.That((await CountedGetAsync(path, replaced.Headers.ETag!)).Response.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
    }

    [Test]
    public async Task IssuerImage_IsReadOnce_AndAReplacedImageShowsAtOnce()
    {
        var partner = await NewPartnerAsync();
        var path = $"/public/issuers/{partner.IssuerId}/image";
        Assert.That((await Anonymous().GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no image yet");
        var firstPng = Png(12, 30);
        await partner.Client.PutAsync($"/api/v1/issuers/{partner.IssuerId}/image", new ByteArrayContent(firstPng));
        var (first, firstCommands) = await CountedGetAsync(path);
        var (second, secondCommands) = await CountedGetAsync(path);
        Assert.That((firstCommands, secondCommands), Is.EqualTo((2, 1)));
        Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.EqualTo(firstPng));

        var newPng = Png(20, 60);
        await partner.Client.PutAsync($"/api/v1/issuers/{partner.IssuerId}/image", new ByteArrayContent(newPng));
        var (replaced, _) = await CountedGetAsync(path, first.Headers.ETag!);
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await replaced.Content.ReadAsByteArrayAsync(), Is.EqualTo(newPng));
    }

    private async Task<(HttpResponseMessage Response, int Commands)> CountedGetAsync(string path, System.Net.Http.Headers.EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) { request.Headers.IfNoneMatch.Add(ifNoneMatch); }
        var before = Commands();
        var response = await Anonymous().SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, Commands() - before);
    }

    private int Commands() => Factory.Logs.Lines.Count(l => l.Contains("Executed DbCommand", StringComparison.Ordinal));
}
