namespace SchoolCrm.Domain.Import;

/// <summary>Which value says two rows are the same person.</summary>
public enum DuplicateMatchKey
{
    Email = 0,
    Mobile = 1,
    TaxCode = 2,
}

/// <summary>What to do with a row whose person is already in the CRM.</summary>
public enum DuplicatePolicy
{
    Skip = 0,
    Update = 1,
    CreateAnyway = 2,
}

public enum DuplicateDecisionKind
{
    Create,
    Update,

    /// <summary>The person is already in the CRM and the policy says skip.</summary>
    SkipExisting,

    /// <summary>An earlier row of the same file already has this person.</summary>
    SkipRepeated,
}

/// <param name="LeadId">The existing lead for Update and SkipExisting.</param>
/// <param name="FirstRowNumber">The earlier row for SkipRepeated.</param>
public readonly record struct DuplicateDecision(DuplicateDecisionKind Kind, int? LeadId = null, int? FirstRowNumber = null);

/// <summary>
/// Decides per row whether its person is new, already in the CRM, or repeated in the file. The existing keys
/// are handed over once, up front: a database look-up per row would be far too slow for 100k rows.
/// </summary>
public sealed class DuplicateFinder
{
    private readonly DuplicateMatchKey key;
    private readonly DuplicatePolicy policy;
    private readonly Dictionary<string, int> existing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> seenInFile = new(StringComparer.Ordinal);

    /// <param name="existingLeads">Every lead that can be matched, with its raw key value; when several
    /// leads share a key the one with the lowest id (the oldest) is the match.</param>
    public DuplicateFinder(DuplicateMatchKey key, DuplicatePolicy policy, IEnumerable<(int LeadId, string? Value)> existingLeads)
    {
        ArgumentNullException.ThrowIfNull(existingLeads);
        this.key = key;
        this.policy = policy;
        foreach (var (leadId, value) in existingLeads)
        {
            var normalized = Normalize(key, value);
            if (normalized is not null && (!existing.TryGetValue(normalized, out var known) || leadId < known))
            {
                existing[normalized] = leadId;
            }
        }
    }

    public static string? Normalize(DuplicateMatchKey key, string? value) => key switch
    {
        DuplicateMatchKey.Email => DuplicateKeys.NormalizeEmail(value),
        DuplicateMatchKey.Mobile => DuplicateKeys.NormalizeMobile(value),
        DuplicateMatchKey.TaxCode => DuplicateKeys.NormalizeTaxCode(value),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    public DuplicateMatchKey Key => key;

    /// <summary>What a row with this key value would be; nothing is remembered (see <see cref="Remember"/>).</summary>
    public DuplicateDecision Decide(string? value)
    {
        var normalized = Normalize(key, value);
        if (normalized is null)
        {
            return new DuplicateDecision(DuplicateDecisionKind.Create);
        }

        if (seenInFile.TryGetValue(normalized, out var firstRow) && policy != DuplicatePolicy.CreateAnyway)
        {
            return new DuplicateDecision(DuplicateDecisionKind.SkipRepeated, FirstRowNumber: firstRow);
        }

        if (policy == DuplicatePolicy.CreateAnyway || !existing.TryGetValue(normalized, out var leadId))
        {
            return new DuplicateDecision(DuplicateDecisionKind.Create);
        }

        return policy == DuplicatePolicy.Skip
            ? new DuplicateDecision(DuplicateDecisionKind.SkipExisting, leadId)
            : new DuplicateDecision(DuplicateDecisionKind.Update, leadId);
    }

    /// <summary>
    /// Marks the key as taken by this row. Call only for rows that will be written: a row with errors must not
    /// claim its key, or the corrected row further down would be skipped as a repeat.
    /// </summary>
    public void Remember(string? value, int rowNumber)
    {
        var normalized = Normalize(key, value);
        if (normalized is not null)
        {
            seenInFile.TryAdd(normalized, rowNumber);
        }
    }
}
