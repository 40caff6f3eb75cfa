using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

using SchoolCrm.Web.Features.Filters;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>One lead as the list shows it. Custom values are filled only for the visible custom columns.</summary>
public sealed record LeadListRow
{
    public int Id { get; init; }

    public string FirstName { get; init; } = "";

    public string? LastName { get; init; }

    public string? CompanyName { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? Mobile { get; init; }

    public string? TaxCode { get; init; }

    public string? Address { get; init; }

    public string? City { get; init; }

    public string? Zip { get; init; }

    public string? Province { get; init; }

    public DateOnly CaptureDate { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public Gender Gender { get; init; }

    public bool PrivacyConsent { get; init; }

    public int StatusId { get; init; }

    public string StatusName { get; init; } = "";

    public string StatusColor { get; init; } = "";

    public string? AssignedToUserId { get; init; }

    public string? AssignedToName { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    /// <summary>By custom field id; a field without a value has no entry.</summary>
    public IReadOnlyDictionary<int, LeadCustomCell> CustomValues { get; init; } = new Dictionary<int, LeadCustomCell>();

    public string FullName => string.IsNullOrEmpty(LastName) ? FirstName : FirstName + " " + LastName;
}

/// <summary>A custom field's value in one row, typed so the page formats it in the user's culture.</summary>
public sealed record LeadCustomCell(string? Text, double? Number, DateOnly? Date, bool? Flag, IReadOnlyList<string> Options);

/// <param name="TotalCount">The number of matching leads, or <see cref="LeadListService.CountLimit"/> + 1 for "more than that".</param>
/// <param name="SavedFilter">How the query's saved filter was applied; null when the query names none.</param>
public sealed record LeadListResult(IReadOnlyList<LeadListRow> Rows, int TotalCount, SavedFilterUse? SavedFilter = null);

/// <param name="Rows">The page's rows.</param>
/// <param name="HasMore">Whether more leads follow this page (one row past it was read to know).</param>
/// <param name="SavedFilter">How the query's saved filter was applied; null when the query names none.</param>
public sealed record LeadListRows(IReadOnlyList<LeadListRow> Rows, bool HasMore, SavedFilterUse? SavedFilter = null);

/// <summary>
/// What the list tells about the saved filter in its URL: <see cref="Exists"/> false when it was deleted or is someone
/// else's private filter (the list then shows the leads without it), otherwise how many of its conditions were
/// left out because they name a deleted field, option, status or user.
/// </summary>
public sealed record SavedFilterUse(int Id, bool Exists, string Name, int BrokenConditions);

public sealed record StatusOption(int Id, string Name, string Color);

public sealed record AssigneeOption(string UserId, string DisplayName, bool IsDisabled);

/// <summary>What the list's filters and column chooser offer.</summary>
public sealed record LeadListOptions(
    IReadOnlyList<StatusOption> Statuses,
    IReadOnlyList<AssigneeOption> Assignees,
    IReadOnlyList<LeadField> Columns,
    string CurrentUserId,
    bool IsAdmin,
    IReadOnlyList<SavedFilterSummary> SavedFilters);
