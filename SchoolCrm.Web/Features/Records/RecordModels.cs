namespace SchoolCrm.Web.Features.Records;

/// <summary>One comment of a lead or student; <see cref="CanEdit"/> says whether the current user may edit it here.</summary>
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
