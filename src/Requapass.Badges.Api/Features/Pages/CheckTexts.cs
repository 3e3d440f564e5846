namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// The verifier's checks said to a person in the page's language. The verifier (Core) writes one
/// technical English message per check, with the values it found; the verify page leads with a sentence
/// from the page texts chosen by the check's stable name and status (<c>check_time_expires_pass</c>),
/// else by its family (<c>check_shape_fail</c> for every <c>shape.*</c>), else a generic one, and keeps
/// the technical message below it, marked as English.
/// </summary>
public static class CheckTexts
{
    public static string Sentence(IReadOnlyDictionary<string, string> texts, string name, string status)
    {
        var family = name.Split('.')[0];
        return texts.GetValueOrDefault($"check_{name.Replace('.', '_')}_{status}")
            ?? texts.GetValueOrDefault($"check_{family}_{status}")
            ?? texts[$"check_other_{status}"];
    }
}
