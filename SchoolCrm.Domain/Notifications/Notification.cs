namespace SchoolCrm.Domain.Notifications;

public enum NotificationKind
{
    /// <summary>A task was given to the recipient (created for them or reassigned to them).</summary>
    TaskAssigned = 1,

    /// <summary>A task of the recipient was reassigned to someone else: listed, never a popup.</summary>
    TaskUnassigned = 2,

    /// <summary>A task's reminder fell due.</summary>
    TaskReminder = 3,
}

/// <summary>
/// One stored notification of one user. It keeps what it says about the task at the moment it was sent (title, type,
/// lead name, deadline), so it still reads right after the task changed or was deleted; the text around it is
/// written in the reader's language when shown.
/// </summary>
public sealed class Notification
{
    private Notification()
    {
        UserId = "";
        TaskTitle = "";
    }

    public long Id { get; private set; }

    public string UserId { get; private set; }

    public NotificationKind Kind { get; private set; }

    public int? TaskId { get; private set; }

    public string TaskTitle { get; private set; }

    public string? TaskTypeName { get; private set; }

    public string? LeadName { get; private set; }

    public DateTime? DeadlineUtc { get; private set; }

    /// <summary>When a reminder was due; a reminder delivered later than that (the app was down) says so.</summary>
    public DateTime? DueUtc { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? ReadAt { get; private set; }

    public bool IsRead => ReadAt is not null;

    public static Notification ForTask(
        string userId, NotificationKind kind, int taskId, string taskTitle, string? taskTypeName, string? leadName,
        DateTime deadlineUtc, DateTime nowUtc, DateTime? dueUtc = null) => new()
    {
        UserId = userId,
        Kind = kind,
        TaskId = taskId,
        TaskTitle = taskTitle,
        TaskTypeName = taskTypeName,
        LeadName = leadName,
        DeadlineUtc = deadlineUtc,
        DueUtc = dueUtc,
        CreatedAt = nowUtc,
    };

    /// <summary>A reminder delivered more than a minute after its time was late (the app was down or busy).</summary>
    public bool IsLate => WasLate(DueUtc, CreatedAt);

    public static bool WasLate(DateTime? dueUtc, DateTime deliveredUtc) =>
        dueUtc is { } due && deliveredUtc - due > TimeSpan.FromMinutes(1);
}
