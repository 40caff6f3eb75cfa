namespace SchoolCrm.Domain.Tasks;

/// <summary>When the assignee is reminded of a task's deadline. The default for new tasks is the setting <c>Tasks:DefaultReminder</c>.</summary>
public enum TaskReminder
{
    None = 0,
    AtDeadline = 1,
    FifteenMinutesBefore = 2,
    OneHourBefore = 3,
    OneDayBefore = 4,
}

/// <summary>The instant a reminder is due, which the live-notification work delivers.</summary>
public static class TaskReminders
{
    /// <summary>
    /// Null for <see cref="TaskReminder.None"/>. "One day before" is the same wall-clock time on the day before at
    /// the school (a 10:00 deadline the Monday after a clock change reminds at 10:00 on Sunday, not 09:00 or 11:00);
    /// where that time does not exist on the day before, it is 24 hours before.
    /// </summary>
    public static DateTime? DueAt(TaskReminder reminder, DateTime deadlineUtc, TimeZoneInfo zone) => reminder switch
    {
        TaskReminder.None => null,
        TaskReminder.AtDeadline => deadlineUtc,
        TaskReminder.FifteenMinutesBefore => deadlineUtc.AddMinutes(-15),
        TaskReminder.OneHourBefore => deadlineUtc.AddHours(-1),
        TaskReminder.OneDayBefore => DayBefore(deadlineUtc, zone),
        _ => throw new DomainException("task.reminder_unknown", nameof(CrmTask.Reminder)),
    };

    private static DateTime DayBefore(DateTime deadlineUtc, TimeZoneInfo zone)
    {
        var local = SchoolTime.ToLocal(deadlineUtc, zone);
        var dayBefore = DateOnly.FromDateTime(local).AddDays(-1);
        var time = TimeOnly.FromDateTime(local);
        return zone.IsInvalidTime(dayBefore.ToDateTime(time))
            ? deadlineUtc.AddHours(-24)
            : SchoolTime.ToUtc(dayBefore, time, zone);
    }
}
