namespace SchoolCrm.Domain.Notifications;

/// <summary>
/// The schedule row of one task's reminder: when it is due and whether it went out. There is at most one per task
/// (the task's id is the key); it follows the task's deadline and reminder choice, goes when the task is done or
/// deleted, and is claimed exactly once by setting <see cref="DeliveredAt"/> with a conditional update.
/// </summary>
public sealed class ScheduledReminder
{
    private ScheduledReminder()
    {
    }

    public int TaskId { get; private set; }

    public DateTime DueUtc { get; private set; }

    /// <summary>Set by the one delivery that claimed the reminder; null while it waits.</summary>
    public DateTime? DeliveredAt { get; private set; }

    public static ScheduledReminder For(int taskId, DateTime dueUtc) => new() { TaskId = taskId, DueUtc = dueUtc };

    /// <summary>A new time: the reminder waits again, also if it had gone out for the old time.</summary>
    public void Reschedule(DateTime dueUtc)
    {
        DueUtc = dueUtc;
        DeliveredAt = null;
    }
}
