namespace SchoolCrm.Domain.Import;

/// <summary>A field a column may go to, with every header spelling that names it.</summary>
public sealed record FieldCandidate(ImportTarget Target, IReadOnlyList<string> Names);

public enum ColumnMatchKind
{
    /// <summary>The header names a field.</summary>
    Matched,

    /// <summary>The header names no field: the user picks one or ignores the column.</summary>
    Unknown,

    /// <summary>The header names a field an earlier column already took.</summary>
    Repeated,

    /// <summary>No header text: the column is ignored.</summary>
    Blank,
}

public sealed record ColumnMatch(int Index, string Header, ImportTarget Target, ColumnMatchKind Kind);

/// <summary>
/// Matches spreadsheet headers to fields by <see cref="HeaderKey"/>, so "E-Mail", "e mail" and "EMAIL" are the
/// same header. Each field takes at most one column; where two fields share a spelling (a custom field called
/// like a standard label) the columns go to them in candidate order.
/// </summary>
public static class ColumnMatcher
{
    public static IReadOnlyList<ColumnMatch> Match(IReadOnlyList<string?> headers, IEnumerable<FieldCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(candidates);

        var targetsByKey = new Dictionary<string, List<ImportTarget>>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            foreach (var key in candidate.Names.Select(HeaderKey.Normalize).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!targetsByKey.TryGetValue(key, out var targets))
                {
                    targets = [];
                    targetsByKey[key] = targets;
                }

                if (!targets.Contains(candidate.Target))
                {
                    targets.Add(candidate.Target);
                }
            }
        }

        var taken = new HashSet<ImportTarget>();
        var matches = new List<ColumnMatch>(headers.Count);
        for (int i = 0; i < headers.Count; i++)
        {
            var header = headers[i]?.Trim() ?? "";
            var key = HeaderKey.Normalize(header);
            if (key.Length == 0)
            {
                matches.Add(new ColumnMatch(i, header, ImportTarget.Ignore, ColumnMatchKind.Blank));
                continue;
            }

            if (!targetsByKey.TryGetValue(key, out var targets))
            {
                matches.Add(new ColumnMatch(i, header, ImportTarget.Ignore, ColumnMatchKind.Unknown));
                continue;
            }

            var free = targets.FirstOrDefault(t => !taken.Contains(t), ImportTarget.Ignore);
            if (free.IsIgnored)
            {
                matches.Add(new ColumnMatch(i, header, ImportTarget.Ignore, ColumnMatchKind.Repeated));
                continue;
            }

            taken.Add(free);
            matches.Add(new ColumnMatch(i, header, free, ColumnMatchKind.Matched));
        }

        return matches;
    }

    /// <summary>The targets chosen by more than one column; a mapping with any of these cannot be imported.</summary>
    public static IReadOnlyList<ImportTarget> Conflicts(IEnumerable<ImportTarget> chosen) =>
        chosen.Where(t => !t.IsIgnored).GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
}
