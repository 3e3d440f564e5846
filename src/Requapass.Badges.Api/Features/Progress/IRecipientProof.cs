using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Progress;

/// <summary>
/// Proves who a recipient is from a capability token the volunteer holds (no account, no password: a
/// private link sent to their address). Returns the recipient's lookup key (assertions.recipient_lookup,
/// the normalised identity's unsalted key), or null for a token that proves nothing.
/// </summary>
public interface IRecipientProof
{
    Task<string?> RecipientLookupAsync(string token, CancellationToken ct);
}

/// <summary>
/// The skills map's token proves its owner's address: the link was mailed to it and nowhere else
/// (issue #13, part 1). Opening the progress grid with it counts as using the map.
/// </summary>
public sealed class SkillsMapRecipientProof(BadgesDbContext db) : IRecipientProof
{
    public async Task<string?> RecipientLookupAsync(string token, CancellationToken ct) =>
        (await SkillsMapTokens.FindAsync(db, token, ct))?.RecipientLookup;
}
