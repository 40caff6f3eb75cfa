namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// What the lead list shows: page, sort, filters, search and visible columns. A plain value that round-trips
/// through the URL (<see cref="LeadListUrl"/>), so reload and "Back to list" restore it, and that the Excel
/// export takes as "what the list shows now".
/// </summary>
public sealed record LeadListQuery
{
    public static readonly IReadOnlyList<int> PageSizes = [25, 50, 100];

    /// <summary>The longest search text taken; longer input is cut, so a pasted novel cannot become a huge query.</summary>
    public const int SearchMaxLength = 100;

    /// <summary>Zero-based.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = PageSizes[0];

    /// <summary>A column key from <see cref="LeadColumns"/>; unknown keys sort by name.</summary>
    public string Sort { get; init; } = LeadColumns.Name;

    public bool Descending { get; init; }

    /// <summary>Only leads with this status; null for every status.</summary>
    public int? StatusId { get; init; }

    public AssigneeFilter Assignee { get; init; } = AssigneeFilter.Anyone;

    /// <summary>Only leads that match this saved filter (<see cref="Filters.SavedFilterService"/>); null for none.</summary>
    public int? FilterId { get; init; }

    /// <summary>Whitespace-separated words; each must appear in one of the searched fields.</summary>
    public string? Search { get; init; }

    /// <summary>Column keys in display order. The name column is always shown.</summary>
    public IReadOnlyList<string> Columns { get; init; } = LeadColumns.DefaultVisible;

    /// <summary>Brings values from a URL or a caller into range: a known page size, no negative page, trimmed search.</summary>
    public LeadListQuery Normalized()
    {
        var search = Search?.Trim();
        if (search?.Length > SearchMaxLength)
        {
            search = search[..SearchMaxLength];
        }

        var columns = Columns.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal).ToList();
        if (!columns.Contains(LeadColumns.Name))
        {
            columns.Insert(0, LeadColumns.Name);
        }

        return this with
        {
            Page = Math.Max(0, Page),
            PageSize = PageSizes.Contains(PageSize) ? PageSize : PageSizes[0],
            Sort = string.IsNullOrWhiteSpace(Sort) ? LeadColumns.Name : Sort,
            Search = string.IsNullOrEmpty(search) ? null : search,
            Columns = columns,
        };
    }
}

public enum AssigneeFilterKind
{
    Anyone = 0,
    Me = 1,
    Nobody = 2,
    User = 3,
}

/// <summary>Whose leads: anyone's, the signed-in user's, nobody's (unassigned) or one person's.</summary>
public sealed record AssigneeFilter(AssigneeFilterKind Kind, string? UserId = null)
{
    public static readonly AssigneeFilter Anyone = new(AssigneeFilterKind.Anyone);
    public static readonly AssigneeFilter Me = new(AssigneeFilterKind.Me);
    public static readonly AssigneeFilter Nobody = new(AssigneeFilterKind.Nobody);

    public static AssigneeFilter User(string userId) => new(AssigneeFilterKind.User, userId);

    /// <summary>"me", "nobody", a user id, or null for anyone. Identity user ids never equal "me" or "nobody".</summary>
    public string? ToUrlValue() => Kind switch
    {
        AssigneeFilterKind.Me => "me",
        AssigneeFilterKind.Nobody => "nobody",
        AssigneeFilterKind.User => UserId,
        _ => null,
    };

    public static AssigneeFilter FromUrlValue(string? value) => value?.Trim() switch
    {
        null or "" => Anyone,
        "me" => Me,
        "nobody" => Nobody,
        var id => User(id),
    };
}
