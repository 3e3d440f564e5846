namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>
/// The k rule: no published figure may single a volunteer out, alone or combined with other figures.
///
/// 1. One unit of time: the calendar month (UTC), closed months only. A range is a list of whole months,
///    so moving a date boundary by one day changes nothing, and a figure never moves from one request
///    to the next as the current month fills up (StatisticsQuery).
/// 2. Every published figure is either a month's cell or total, decided here from that month's data
///    alone (never from the range asked, so two ranges cannot disagree about a month), or a sum of
///    figures shown (the range's sums ignore hidden cells and say so with complete: false). So two
///    requests, however they differ, can only show sums of the same visible month figures.
/// 3. Primary suppression: a cell or total counting fewer than k distinct people (the recipients'
///    lookup keys, COUNT DISTINCT: five badges of one volunteer are one person) is hidden. Zero is shown
///    (it is nobody). Verifications carry no person: their count is held to k.
/// 4. Secondary suppression: the month's total minus its visible cells is the hidden cells' sum. When
///    hidden cells exist, that sum must also cover at least one cell of k people or more, so the
///    smallest visible cell is hidden as well (repeat per group): the difference is then a mixed
///    group, never one volunteer's figure.
/// 5. Nested breakdowns (issuers within territories, REQUAPASS-wide): a territory's cell minus its
///    visible issuers is the same kind of difference, so rule 4 applies within each territory; and
///    every issuer of a hidden territory is hidden, so a hidden territory cannot be rebuilt from its
///    issuers (nor the total's difference opened by it).
/// What it does not claim: breakdowns by competence and by level are two views of the same month,
/// neither nested in the other; an attacker with both sees only marginals of an unpublished
/// class-by-month table, not a cell of it. Platform admins, who hold the database, may compare an
/// issuer's figures with REQUAPASS's; an issuer's staff see their own issuer's people only.
/// </summary>
public static class Suppression
{
    /// <summary>The keys of the cells to hide in one month's table.</summary>
    /// <param name="cells">The month's cells (a key appears once).</param>
    /// <param name="groupOf">The group a key belongs to for rule 4 (the whole table: one group).</param>
    /// <param name="forced">Keys hidden whatever their size (rule 5: issuers of a hidden territory).</param>
    public static HashSet<string> Hidden(IReadOnlyList<Aggregate> cells, int k, Func<string, string> groupOf, IReadOnlySet<string>? forced = null)
    {
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in cells)
        {
            if (IsSmall(c.People, k) || forced?.Contains(c.Key!) == true) { hidden.Add(c.Key!); }
        }
        foreach (var group in cells.GroupBy(c => groupOf(c.Key!)))
        {
            var members = group.ToList();
            var hiddenHere = members.Where(c => hidden.Contains(c.Key!)).ToList();
            if (hiddenHere.Count == 0 || hiddenHere.Any(c => c.People >= k)) { continue; }
            // The smallest visible cell of the group (ties: by key, so the choice is stable).
            var complement = members.Where(c => !hidden.Contains(c.Key!)).OrderBy(c => c.People).ThenBy(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
            if (complement is not null) { hidden.Add(complement.Key!); }
        }
        return hidden;
    }

    /// <summary>Rule 3: some people, but fewer than k.</summary>
    public static bool IsSmall(long people, int k) => people > 0 && people < k;
}
