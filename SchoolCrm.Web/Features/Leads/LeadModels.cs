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

public sealed record CommentItem(int Id, string AuthorName, string Text, DateTime CreatedAt, DateTime? EditedAt, bool CanEdit);

/// <summary>How the page formats a history value; names (status, user, options) are already resolved.</summary>
public enum HistoryValueKind
{
    Text,
    Date,
    Number,
    Boolean,
    Gender,
    Name,
    Event,
}

/// <summary>
/// One history line. <see cref="Field"/> is a standard field's name, "CustomField:{id}" or an event
/// ("Created"); <see cref="CustomFieldName"/> is the custom field's current name (null once deleted).
/// </summary>
public sealed record HistoryItem(
    long Id,
    DateTime At,
    string UserName,
    string Field,
    string? CustomFieldName,
    HistoryValueKind Kind,
    string? OldValue,
    string? NewValue);
