namespace SchoolCrm.Domain.Tasks;

/// <summary>The sections of "My tasks", in the order the page shows them.</summary>
public enum TaskBucket
{
    Overdue = 0,
    Today = 1,
    ThisWeek = 2,
    Later = 3,
    Done = 4,
}

/// <summary>
/// Where "now" cuts the deadlines into sections, as UTC instants a query compares with:
/// Overdue: deadline before <see cref="NowUtc"/> (so a task due at 09:00 is overdue at 09:01 the same day);
/// Today: from now to the end of the school's day; This week: from tomorrow to the end of the week (empty on the
/// week's last day); Later: after that. Done tasks are Done whatever their deadline.
/// </summary>
public sealed record TaskBucketBounds(DateTime NowUtc, DateTime EndOfTodayUtc, DateTime EndOfWeekUtc)
{
    /// <param name="firstDayOfWeek">The user's culture's first day: Monday for German, Italian and the app's British English.</param>
    public static TaskBucketBounds At(DateTime nowUtc, TimeZoneInfo zone, DayOfWeek firstDayOfWeek)
    {
        var today = SchoolTime.DateOf(nowUtc, zone);
        var nextWeek = SchoolTime.StartOfWeek(today, firstDayOfWeek).AddDays(7);
        return new TaskBucketBounds(nowUtc, SchoolTime.StartOfDay(today.AddDays(1), zone), SchoolTime.StartOfDay(nextWeek, zone));
    }

    public TaskBucket Of(DateTime deadlineUtc, bool isDone)
    {
        if (isDone)
        {
            return TaskBucket.Done;
        }

        if (deadlineUtc < NowUtc)
        {
            return TaskBucket.Overdue;
        }

        if (deadlineUtc < EndOfTodayUtc)
        {
            return TaskBucket.Today;
        }

        return deadlineUtc < EndOfWeekUtc ? TaskBucket.ThisWeek : TaskBucket.Later;
    }

    /// <summary>The deadlines [from, to) of an open-task bucket; null ends are open. Not for <see cref="TaskBucket.Done"/>.</summary>
    public (DateTime? FromUtc, DateTime? ToUtc) Range(TaskBucket bucket) => bucket switch
    {
        TaskBucket.Overdue => (null, NowUtc),
        TaskBucket.Today => (NowUtc, EndOfTodayUtc),
        TaskBucket.ThisWeek => (EndOfTodayUtc, EndOfWeekUtc),
        TaskBucket.Later => (EndOfWeekUtc, null),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "Done tasks are not chosen by deadline."),
    };
}
