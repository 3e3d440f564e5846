using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// Renders the pages with Fluid (Liquid) from templates embedded in the assembly, parsed once. Output
/// is HTML-encoded by default; only values piped through <c>raw</c> (the Markdown HTML and the page
/// body inside the layout) are not.
/// </summary>
public sealed class PageRenderer
{
    /// <summary>Encodes &lt; &gt; &amp; and quotes, but leaves letters as they are (é, ë, “ stay readable in the source).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly string[] Names = ["layout", "assertion", "badge", "issuer", "verification", "message", "claim", "claim-result", "skills-map-new", "skills-map", "data-access-new", "data-access"];

    private readonly TemplateOptions _options = new();
    private readonly Dictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly PageTexts _texts;

    public PageRenderer(PageTexts texts)
    {
        _texts = texts;
        _options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.SnakeCase;
        foreach (var type in new[]
        {
            typeof(PageShell), typeof(LanguageLink), typeof(ShareMeta), typeof(LevelView), typeof(AlignmentView), typeof(IssuerLink),
            typeof(BadgeView), typeof(DateView), typeof(EvidenceView), typeof(ShareView), typeof(AssertionView), typeof(BadgeCard),
            typeof(IssuerView), typeof(CheckView), typeof(VerificationView), typeof(MessageView), typeof(ClaimBadgeView), typeof(ClaimFormView), typeof(ClaimResultView),
            typeof(SkillsMapStartView), typeof(SkillsMapPageView), typeof(SkillsMapExperienceView), typeof(SkillsMapPickView),
            typeof(DataAccessStartView), typeof(DataAccessView), typeof(DataItemView),
        })
        {
            _options.MemberAccessStrategy.Register(type);
        }
        var parser = new FluidParser();
        foreach (var name in Names)
        {
            using var stream = typeof(PageRenderer).Assembly.GetManifestResourceStream($"Pages.Templates.{name}.liquid")
                ?? throw new InvalidOperationException($"The page template {name} is missing.");
            var source = new StreamReader(stream).ReadToEnd();
            _templates[name] = parser.TryParse(source, out var template, out var error)
                ? template
                : throw new InvalidOperationException($"The page template {name} does not parse: {error}");
        }
    }

    /// <summary>The whole document: <paramref name="template"/> with <paramref name="model"/> as <c>m</c>, inside the layout.</summary>
    public async Task<string> RenderAsync(string template, PageShell shell, object model)
    {
        var context = new TemplateContext(_options);
        context.SetValue("page", shell);
        context.SetValue("t", _texts.For(shell.Lang));
        context.SetValue("m", model);
        var body = await _templates[template].RenderAsync(context, Encoder);
        context.SetValue("body", body);
        return await _templates["layout"].RenderAsync(context, Encoder);
    }
}
