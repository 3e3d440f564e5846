namespace Requapass.Badges.Api.Features.Pages;

// What the templates see (Templates/*.liquid), under snake_case names. Texts are plain strings, encoded
// by the template engine on output; the only HTML passed through is the *Html members, made by
// PageMarkdown from escaped Markdown.

/// <summary>What every page's layout needs: language, title, links and share metadata.</summary>
public sealed record PageShell(
    string Lang, string Title, string Description, string CssUrl, string IconUrl, string? ScriptUrl, IReadOnlyList<LanguageLink> Languages,
    string? CanonicalUrl, string? JsonLdUrl, ShareMeta? Share);

/// <summary>One entry of the language switcher.</summary>
public sealed record LanguageLink(string Code, string Name, string Url, bool Current);

/// <summary>Open Graph and Twitter card metadata (absolute URLs).</summary>
public sealed record ShareMeta(string Title, string Description, string Url, string Image, string ImageAlt, string Locale);

/// <summary>A RECTEC+ level: the framework, the level's number and, where known in the page's language, the competence.</summary>
public sealed record LevelView(string Framework, int Number, string? Competence);

public sealed record AlignmentView(string Name, string? Url, string? Framework, string? Code);

public sealed record IssuerLink(string Name, string Url);

/// <summary>A badge class as the pages show it. <c>ContentLang</c> is set when its texts are not in the page's language.</summary>
public sealed record BadgeView(
    string Url, string ImageUrl, string ImageAlt, string Name, string Description, string? ContentLang, LevelView? Level,
    string CriteriaHtml, string? CriteriaUrl, IReadOnlyList<AlignmentView> Alignments, IReadOnlyList<string> Tags, IssuerLink Issuer);

public sealed record DateView(string Iso, string Text);

public sealed record EvidenceView(string? Name, string? Url, string? Description, string NarrativeHtml, string? Genre, string? Audience);

/// <summary>Links to share and keep a badge: absent once it is revoked.</summary>
public sealed record ShareView(string PageUrl, string LinkedInUrl, string? PngUrl, string? SvgUrl);

/// <summary>
/// An awarded badge; never its recipient. An award has no language of its own: its narrative and
/// evidence are taken to be in its class's language, marked by <c>NarrativeLang</c> when that is not the page's.
/// </summary>
public sealed record AssertionView(
    BadgeView Badge, string Status, string StatusDetail, string? RevocationReason, DateView IssuedOn, DateView? Expires,
    string NarrativeHtml, string? NarrativeLang, IReadOnlyList<EvidenceView> Evidence, ShareView? Share, string VerifyAction, string IssuerUrl);

public sealed record BadgeCard(string Url, string ImageUrl, string Name, string? ContentLang, LevelView? Level);

public sealed record IssuerView(
    string Name, string? ImageUrl, string ImageAlt, string? Description, string? Website, string? Email, IReadOnlyList<BadgeCard> Badges, string? More);

/// <summary>A check as a person reads it: <see cref="Sentence"/> in the page's language, <see cref="Message"/> the verifier's own (English).</summary>
public sealed record CheckView(string Name, string Status, string StatusText, string Sentence, string Message);

public sealed record VerificationView(
    string BadgeUrl, string BadgeName, string? ContentLang, bool Valid, string? RevocationReason, DateView VerifiedAt, IReadOnlyList<CheckView> Checks);

/// <summary>An error page: a title, a text, and links (the languages, for an unknown one).</summary>
public sealed record MessageView(string Title, string Text, IReadOnlyList<LanguageLink> Links);

/// <summary>The badge a claim campaign gives, on its claim page.</summary>
public sealed record ClaimBadgeView(string Name, string ImageUrl, string IssuerName, string? ContentLang);

/// <summary>The claim form, with what the volunteer typed and why it was refused, when it was.</summary>
public sealed record ClaimFormView(
    string Action, string? CampaignId, ClaimBadgeView? Badge, string? Code, string? Email, string? Narrative, string? Error, string? CodeError, string? EmailError);

/// <summary>A claim's result: <c>Tone</c> is valid (awarded), expired (pending) or revoked (rejected), as the status styles.</summary>
public sealed record ClaimResultView(string Tone, string Title, string Text, string? Detail, string? BadgeUrl);

/// <summary>The form that starts a skills map: the address typed and why it was refused, when it was.</summary>
public sealed record SkillsMapStartView(string Action, string? Email, string? Error, IReadOnlyList<LanguageLink> Locales);

/// <summary>A skills map's printable page.</summary>
public sealed record SkillsMapPageView(string? MapTitle, string PdfUrl, IReadOnlyList<SkillsMapExperienceView> Experiences, string? FallbackNote);

public sealed record SkillsMapExperienceView(
    int Position, string Association, string Role, string? ContextWhat, string? ContextForWhom, string? When, string? Hours, string? Narrative,
    IReadOnlyList<SkillsMapPickView> Competences);

/// <summary>A competence pick; <see cref="NameLang"/> is set when the name is in another language than the page (a catalogue file without the page's language).</summary>
public sealed record SkillsMapPickView(string Name, string? NameLang, int Level, string LevelName, string? Example);

/// <summary>The form that asks for a link to one's own data.</summary>
public sealed record DataAccessStartView(string Action, string? Email, string? Error, IReadOnlyList<LanguageLink> Locales);

/// <summary>One line of the volunteer's data page: a name, a status or date, and a link where there is one.</summary>
public sealed record DataItemView(string Name, string Detail, string? Url);

/// <summary>
/// The volunteer's data page, at their private link: what is kept, the two downloads (relative links: the
/// page never holds the token) and the erasure form.
/// </summary>
public sealed record DataAccessView(
    string JsonUrl, string ZipUrl, string ExpiresText, IReadOnlyList<DataItemView> Badges, IReadOnlyList<DataItemView> Maps,
    IReadOnlyList<DataItemView> Applications, IReadOnlyList<DataItemView> Claims, string? Error);
