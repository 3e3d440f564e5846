namespace Requapass.Badges.Api.Features.Progress;

/// <summary>
/// Proves who a recipient is from a capability token the volunteer holds (no account, no password: a
/// private link sent to their address). Returns the recipient's lookup key (assertions.recipient_lookup,
/// the normalised identity's unsalted key), or null for a token that proves nothing.
/// The skills-map tokens (issue #13, part 1) are to be bound here.
/// </summary>
public interface IRecipientProof
{
    Task<string?> RecipientLookupAsync(string token, CancellationToken ct);
}

/// <summary>
/// What runs until the skills-map tokens are bound to <see cref="IRecipientProof"/>: no token proves
/// anyone, so the public progress route answers 401 to every token. Registered with TryAdd, so a real
/// binding registered anywhere replaces it.
/// </summary>
public sealed class UnboundRecipientProof : IRecipientProof
{
    public Task<string?> RecipientLookupAsync(string token, CancellationToken ct) => Task.FromResult<string?>(null);
}
