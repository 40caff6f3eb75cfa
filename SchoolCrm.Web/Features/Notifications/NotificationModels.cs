using SchoolCrm.Domain.Notifications;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>One notification as the bell and the list show it.</summary>
public sealed record NotificationItem(
    long Id,
    NotificationKind Kind,
    int? TaskId,
    string TaskTitle,
    string? TaskTypeName,
    string? LeadName,
    DateTime? DeadlineUtc,
    DateTime? DueUtc,
    DateTime CreatedAt,
    bool IsRead)
{
    public bool IsLate => Notification.WasLate(DueUtc, CreatedAt);
}

public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, int UnreadCount, bool HasMore);

/// <summary>The profile's choices: popup, e-mail, both or none, for assignments and for reminders.</summary>
public sealed record NotificationDeliveryChoice(NotificationDelivery Assignment, NotificationDelivery Reminder);
