using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Microsoft.Extensions.Options;
using MimeKit;
using Requapass.Badges.Api.Options;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>
/// What one email says and carries; the texts of the issuer are plain text, escaped where they are written.
/// <see cref="Kind"/> chooses the templates and texts (<see cref="MailKinds"/>); a reminder names the badge's <see cref="Expires"/>;
/// a claim's rejection carries the reviewer's comment as its <see cref="IssuerMessage"/>.
/// </summary>
public sealed record MailContent(
    string Address, string Locale, string MessageId, string BadgeUrl, string BadgeName, string IssuerName, string IssuerEmail,
    string? SenderName, string? ReplyTo, string? IssuerMessage, BadgeImage? Image, DateTimeOffset Date,
    string Kind = MailKinds.Award, DateTime? Expires = null, string? SkillsMapUrl = null);

/// <summary>
/// Builds award emails, expiry reminders and claim rejections: multipart text and HTML from two Liquid
/// templates (Fluid) per kind (award.*, reminder.*, claim-rejected.*, skills-map-link.*), with every string from the language's resource set
/// (Templates/texts.{fr,nl,en}.json); data-access-link.* is a volunteer's link to their own data. Placeholders ({badge}, {issuer}, {file}, {date}, {email}) are
/// filled in plain text; the HTML template writes every value through an HTML encoder, so
/// the issuer's texts (name, message, badge name) cannot add markup. Header values are one line each
/// whatever they hold (header injection), and the address types come from MimeKit, which encodes
/// display names (RFC 2047).
/// </summary>
public sealed partial class MailComposer
{
    private static readonly string[] Keys =
    [
        "subject", "greeting", "intro", "messageTitle", "viewLabel", "viewText", "attachment", "whatTitle", "whatBody",
        "backpackTitle", "backpackBody", "linkedinTitle", "linkedinBody", "footer", "skillsMapTitle", "skillsMapBody", "skillsMapLabel",
    ];

    private static readonly string[] ReminderKeys =
    [
        "reminderSubject", "greeting", "reminderIntro", "reminderViewLabel", "reminderViewText", "reminderRenewTitle", "reminderRenewBody",
        "reminderFooter",
    ];

    private static readonly string[] RejectionKeys = ["rejectedSubject", "greeting", "rejectedIntro", "rejectedCommentTitle", "rejectedNext", "rejectedFooter"];

    private static readonly string[] SkillsMapKeys = ["mapSubject", "greeting", "mapIntro", "mapLinkLabel", "mapLinkText", "mapKeep", "mapReplaces", "mapFooter"];

    private static readonly string[] DataAccessKeys = ["accessSubject", "greeting", "accessIntro", "accessLinkLabel", "accessLinkText", "accessExpires", "accessFooter"];

    /// <summary>The sender's display name of the service's own mails (a skills map's link), per language.</summary>
    private const string ServiceSenderKey = "mapSender";

    /// <summary>
    /// An application's steps share one pair of templates (application.*): each kind has its own texts,
    /// named by a prefix the template does not see (applicationReceivedIntro is {{ intro }}).
    /// </summary>
    private static readonly Dictionary<string, string> ApplicationPrefixes = new()
    {
        [MailKinds.ApplicationReceived] = "applicationReceived",
        [MailKinds.ApplicationInfoRequested] = "applicationInfo",
        [MailKinds.ApplicationRejected] = "applicationRejected",
    };

    private static string[] ApplicationKeys(string prefix) =>
        [prefix + "Subject", "greeting", prefix + "Intro", prefix + "MessageTitle", prefix + "Next", prefix + "Footer"];

    /// <summary>How each language writes the expiry date (a .NET format, read with the invariant culture: the service runs without ICU).</summary>
    private const string DateFormatKey = "reminderDateFormat";

    private sealed record Templates(IFluidTemplate Html, IFluidTemplate Text, string[] Keys, string Subject, string? Prefix = null);

    // Accented letters stay readable in the HTML source; markup characters are always escaped.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _texts;
    private readonly Dictionary<string, Templates> _kinds;
    private readonly string _from;

    public MailComposer(IOptions<MailOptions> options)
    {
        _from = options.Value.From ?? "";
        _texts = MailLanguages.All.ToDictionary(l => l, Texts);
        var parser = new FluidParser();
        _kinds = new Dictionary<string, Templates>
        {
            [MailKinds.Award] = new(Parse(parser, "award.html.liquid"), Parse(parser, "award.txt.liquid"), Keys, "subject"),
            [MailKinds.ExpiryReminder] = new(Parse(parser, "reminder.html.liquid"), Parse(parser, "reminder.txt.liquid"), ReminderKeys, "reminderSubject"),
            [MailKinds.ClaimRejected] = new(Parse(parser, "claim-rejected.html.liquid"), Parse(parser, "claim-rejected.txt.liquid"), RejectionKeys, "rejectedSubject"),
            [MailKinds.SkillsMapLink] = new(Parse(parser, "skills-map-link.html.liquid"), Parse(parser, "skills-map-link.txt.liquid"), SkillsMapKeys, "mapSubject"),
            [MailKinds.DataAccessLink] = new(Parse(parser, "data-access-link.html.liquid"), Parse(parser, "data-access-link.txt.liquid"), DataAccessKeys, "accessSubject"),
        };
        var (applicationHtml, applicationText) = (Parse(parser, "application.html.liquid"), Parse(parser, "application.txt.liquid"));
        foreach (var (kind, prefix) in ApplicationPrefixes)
        {
            _kinds[kind] = new(applicationHtml, applicationText, ApplicationKeys(prefix), prefix + "Subject", prefix);
        }
    }

    public MimeMessage Compose(MailContent c)
    {
        var texts = _texts[c.Locale];
        var kind = _kinds[c.Kind];
        var fileName = c.Image?.FileName ?? "";
        var values = new Dictionary<string, string>
        {
            ["badge"] = c.BadgeName, ["issuer"] = c.IssuerName, ["file"] = fileName, ["email"] = c.ReplyTo ?? c.IssuerEmail,
            ["date"] = c.Expires?.ToString(texts[DateFormatKey], System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        string T(string key) => Placeholder().Replace(texts[key], m => values.GetValueOrDefault(m.Groups[1].Value, m.Value));

        var context = new TemplateContext();
        context.SetValue("lang", c.Locale);
        foreach (var key in kind.Keys) { context.SetValue(Snake(Unprefixed(key, kind.Prefix)), T(key)); }
        if (c.Image is null) { context.SetValue("attachment", ""); }
        context.SetValue("badge_url", c.BadgeUrl);
        // A discovery badge (the game's) invites the player to start a skills map (issue #13, part 5).
        context.SetValue("skills_map_url", c.SkillsMapUrl ?? "");
        // The issuer's message (award), or the reviewer's comment (a claim's rejection): plain text, its lines kept.
        var lines = (c.IssuerMessage ?? "").ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).ToArray();
        context.SetValue(c.Kind == MailKinds.ClaimRejected ? "comment_lines" : "message_lines", lines);

        var message = new MimeMessage();
        // The service's own mails (a skills map's link) speak for no issuer: no Reply-To, the service's name.
        var own = c.Kind is MailKinds.SkillsMapLink or MailKinds.DataAccessLink;
        var sender = OneLine(own ? texts[ServiceSenderKey] : c.SenderName ?? c.IssuerName);
        message.From.Add(new MailboxAddress(sender, _from));
        message.To.Add(new MailboxAddress(string.Empty, c.Address));
        if (!own) { message.ReplyTo.Add(new MailboxAddress(sender, c.ReplyTo ?? c.IssuerEmail)); }
        message.Subject = OneLine(T(kind.Subject));
        message.MessageId = c.MessageId;
        message.Date = c.Date;
        // RFC 3834: an automatic message, so auto-responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new BodyBuilder
        {
            TextBody = kind.Text.Render(context, NullEncoder.Default),
            HtmlBody = kind.Html.Render(context, Html),
        };
        if (c.Image is { } image)
        {
            body.Attachments.Add(image.FileName, image.Content, ContentType.Parse(image.ContentType));
        }
        message.Body = body.ToMessageBody();
        // RFC 3282; a MIME header, so MimeKit keeps it with the body entity, not the message headers.
        message.Body.Headers.Add(HeaderId.ContentLanguage, c.Locale);
        return message;
    }

    /// <summary>A header value on one line: control characters (CR, LF, tab, ...) become spaces.</summary>
    public static string OneLine(string value) => Spaces().Replace(new string([.. value.Select(ch => char.IsControl(ch) ? ' ' : ch)]), " ").Trim();

    private static IReadOnlyDictionary<string, string> Texts(string language)
    {
        var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(Resource($"texts.{language}.json"))
            ?? throw new InvalidOperationException($"The award mail texts for {language} are empty.");
        var missing = Keys.Concat(ReminderKeys).Concat(RejectionKeys).Concat(SkillsMapKeys).Concat(DataAccessKeys).Concat(ApplicationPrefixes.Values.SelectMany(ApplicationKeys)).Append(DateFormatKey).Append(ServiceSenderKey).Distinct().Where(k => !texts.ContainsKey(k)).ToList();
        if (missing.Count > 0) { throw new InvalidOperationException($"The award mail texts for {language} lack {string.Join(", ", missing)}."); }
        return texts;
    }

    private static IFluidTemplate Parse(FluidParser parser, string name) =>
        parser.TryParse(Resource(name), out var template, out var error) ? template
            : throw new InvalidOperationException($"The mail template {name} does not parse: {error}");

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"mail/{name}")
            ?? throw new InvalidOperationException($"The mail resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>An application text's name as its template knows it: applicationInfoIntro is intro.</summary>
    private static string Unprefixed(string key, string? prefix) =>
        prefix is not null && key.StartsWith(prefix, StringComparison.Ordinal) ? char.ToLowerInvariant(key[prefix.Length]) + key[(prefix.Length + 1)..] : key;

    private static string Snake(string key) => SnakeCase().Replace(key, "_$1").ToLowerInvariant();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex("([A-Z])")]
    private static partial Regex SnakeCase();
}
