using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>One lead as its page and its edit form show it; names are resolved, custom values keyed by field id.</summary>
public sealed record LeadDetails(
    int Id,
    PersonDetails Person,
    DateTime? PrivacyConsentAt,
    int StatusId,
    string StatusName,
    string StatusColor,
    string? AssignedToUserId,
    string? AssignedToName,
    DateTime CreatedAt,
    string CreatedByName,
    DateTime UpdatedAt,
    string UpdatedByName,
    bool IsConverted,
    Guid Version,
    IReadOnlyList<CustomFieldDefinition> CustomFields,
    IReadOnlyDictionary<int, CustomValueInput> CustomValues);

public sealed record StatusOption(int Id, string Name, string Color, bool IsDefault);

/// <summary>What the add and edit forms offer: statuses, active users as assignees, active custom fields.</summary>
public sealed record LeadFormOptions(
    IReadOnlyList<StatusOption> Statuses,
    IReadOnlyList<AssignableUser> Assignees,
    IReadOnlyList<CustomFieldDefinition> CustomFields,
    DateOnly Today)
{
    /// <summary>The active users, plus the lead's assignee when disabled meanwhile, so the choice still shows a name.</summary>
    public IReadOnlyList<AssignableUser> AssigneesFor(string? currentId, string? currentName) =>
        currentId is null || Assignees.Any(u => u.Id == currentId)
            ? Assignees
            : [.. Assignees, new AssignableUser(currentId, currentName ?? "")];

    public int? DefaultStatusId => Statuses.FirstOrDefault(s => s.IsDefault)?.Id ?? (Statuses.Count > 0 ? Statuses[0].Id : null);
}

/// <summary>How many tasks and events a lead's removal deletes with it.</summary>
public sealed record LeadRemovalCounts(int Tasks, int Events);
