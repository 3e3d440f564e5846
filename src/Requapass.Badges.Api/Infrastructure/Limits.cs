namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// Every size the service accepts, in one place. The request records carry these numbers as
/// <c>[MaxLength]</c> attributes, which the OpenAPI document shows (maxLength, maxItems) and
/// <see cref="InputRules"/> enforces on every request; the body limits are per route
/// (<see cref="BodyLimits"/>). Characters are UTF-16 code units, as JSON Schema's maxLength counts
/// code points: a text within the limit here is within it there.
/// </summary>
public static class Limits
{
    // Texts.
    public const int Name = 200;
    public const int Description = 4_000;
    /// <summary>Award and criteria narratives (Markdown).</summary>
    public const int Narrative = 20_000;
    public const int EvidenceNarrative = 4_000;
    public const int ShortText = 200;
    public const int Code = 100;
    public const int Url = 2_048;
    public const int Email = 254;      // RFC 5321, section 4.5.3.1.3 (path) less the brackets
    public const int Telephone = 32;
    public const int Identity = 320;   // an email, URL or telephone number
    public const int Language = 35;    // a BCP 47 tag (RFC 5646, section 4.4.1)
    public const int Reason = 1_000;
    /// <summary>An issuer's sender name for award emails (a display name in the From header).</summary>
    public const int MailSenderName = 100;
    /// <summary>An issuer's short message in award emails.</summary>
    public const int MailMessage = 1_000;
    /// <summary>An endorsement's comment (the claim's endorsementComment, Markdown, published).</summary>
    public const int EndorsementComment = 2_000;
    public const int Tag = 100;
    public const int Secret = 200;
    /// <summary>A claim code as typed (12 characters, with dashes and spaces to spare).</summary>
    public const int ClaimCode = 64;
    /// <summary>A volunteer's own words on a claim (plain text, kept as the badge's narrative).</summary>
    public const int ClaimNarrative = 2_000;
    /// <summary>A skills map's texts: an experience's context (what, for whom) and a competence's example.</summary>
    public const int SkillsMapText = 1_000;
    /// <summary>A skills map's experience in the volunteer's own words.</summary>
    public const int SkillsMapNarrative = 4_000;
    /// <summary>A volunteer's words on an application (plain text or Markdown, kept as the badge's narrative).</summary>
    public const int ApplicationNarrative = 4_000;
    /// <summary>A staff message to a volunteer on an application: a request for more, a reason, a comment.</summary>
    public const int ApplicationMessage = 2_000;
    /// <summary>An email domain a campaign accepts (RFC 1035, section 2.3.4: 255 octets, 253 characters written).</summary>
    public const int Domain = 253;
    public const int Id = 100;
    /// <summary>An ISO 3166-2 subdivision code (FR-976 is the longest we list).</summary>
    public const int Territory = 10;
    public const int Jws = 2 * 1024 * 1024;
    /// <summary>A PNG or SVG data: URI of at most <see cref="ImageBytes"/>, base64 (4/3) with its prefix.</summary>
    public const int ImageDataUri = (ImageBytes + 2) / 3 * 4 + 64;
    public const int ImageBytes = 256 * 1024;

    // Lists.
    public const int EvidenceItems = 20;
    public const int Alignments = 20;
    public const int Tags = 30;
    public const int Translations = 10;
    public const int BulkIds = 10_000;
    /// <summary>Badge classes shown on an issuer's page (the rest are counted, not listed).</summary>
    public const int PageBadgeCards = 100;
    /// <summary>Event types one webhook endpoint asks for.</summary>
    public const int WebhookEvents = 10;
    /// <summary>Single-use codes one claim campaign may have.</summary>
    public const int ClaimCodes = 10_000;
    /// <summary>Claims one campaign may take (a multi-use code on a poster).</summary>
    public const int ClaimsPerCampaign = 100_000;
    /// <summary>Email domains one campaign may accept.</summary>
    public const int ClaimDomains = 20;
    /// <summary>Experiences one skills map may hold.</summary>
    public const int SkillsMapExperiences = 20;
    /// <summary>Competences the volunteer picks for one experience (issue #13: up to four).</summary>
    public const int SkillsMapCompetences = 4;
    /// <summary>The longest experience counted, in months (50 years), and the hours of a month (31 x 24).</summary>
    public const int SkillsMapMonths = 600;
    public const int HoursPerMonth = 744;
    /// <summary>Badge classes one application request asks for (one application each).</summary>
    public const int ApplicationClasses = 8;
    /// <summary>The longest a campaign may stay open, in days.</summary>
    public const int ClaimCampaignDays = 732;

    /// <summary>
    /// Endorsements one document lists (the oldest first); more may exist, each still hosted and
    /// verifiable at its own URL. An issuer endorses a document once (a second answers 409).
    /// </summary>
    public const int EndorsementsListed = 100;
    /// <summary>A volunteer's copy of their data: at most this many badges, applications and claims each (maps are capped by SkillsMapsPerAddress).</summary>
    public const int PersonalDataItems = 1_000;
    /// <summary>A staff erasure's reference to the request it answers (a ticket number, a letter's date).</summary>
    public const int ErasureReference = 100;

    // Bodies, in bytes (UTF-8 texts take up to 3 bytes a character).
    public const long DefaultBody = 64 * 1024;
    public const long AwardBody = 512 * 1024;
    public const long BadgeClassBody = 2 * 1024 * 1024;
    public const long IssuerBody = 1024 * 1024;
    public const long BatchBody = 16 * 1024 * 1024;
    public const long BulkRevokeBody = 1024 * 1024;
    /// <summary>A baked badge to verify or unbake (2 MB), with room for a multipart envelope.</summary>
    public const long UploadBody = 2 * 1024 * 1024 + 64 * 1024;
    /// <summary>A raw PNG or SVG upload; one byte over <see cref="ImageBytes"/> reaches the handler, which names the image limit.</summary>
    public const long ImageBody = ImageBytes + 1;
}
