namespace SchoolCrm.Domain.Filters;

/// <summary>
/// Who runs a filter and when: "me" is <see cref="CurrentUserId"/>; "today", "in the last 7 days" and "this month"
/// count from <see cref="Today"/>, the school day (in <see cref="Zone"/>) of <see cref="NowUtc"/>; "has an overdue
/// task" compares deadlines with <see cref="NowUtc"/> itself. Passed in when the filter runs, so a saved filter means
/// the same thing to everyone at the moment they use it.
/// </summary>
public sealed record FilterContext(string CurrentUserId, DateTime NowUtc, TimeZoneInfo Zone)
{
    /// <summary>The school day of <see cref="NowUtc"/>: one instant gives both, so they can never disagree.</summary>
    public DateOnly Today => DayOf(NowUtc);

    /// <summary>The instant (UTC) a school day begins: local midnight, or the first local time after it that exists
    /// when the clocks jump over midnight; the earlier of two when midnight happens twice.</summary>
    public DateTime StartOfDayUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>The school day an instant (UTC) falls on.</summary>
    public DateOnly DayOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));
}

/// <summary>The days a date condition covers, first and last inclusive; null where the range is open.</summary>
public readonly record struct DayRange(DateOnly? First, DateOnly? Last)
{
    public bool Contains(DateOnly day) => (First is not { } first || day >= first) && (Last is not { } last || day <= last);

    /// <summary>The days of a date operator ("empty" and "not empty" have none).</summary>
    public static DayRange Of(string op, ConditionValue value, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(value);
        var month = new DateOnly(today.Year, today.Month, 1);
        return op switch
        {
            FilterOperators.On => new(value.Date, value.Date),
            FilterOperators.Before => new(null, value.Date.AddDays(-1)),
            FilterOperators.After => new(value.Date.AddDays(1), null),
            FilterOperators.Between => new(value.Date, value.DateTo),
            FilterOperators.Today => new(today, today),

            // N days including today: "in the last 7 days" on a Monday is last Tuesday to today.
            FilterOperators.LastDays => new(today.AddDays(1 - value.Days), today),
            FilterOperators.NextDays => new(today, today.AddDays(value.Days - 1)),

            // The days before the last N: "older than 7 days" on a Tuesday is up to last Tuesday, 7 days ago.
            FilterOperators.OlderThanDays => new(null, today.AddDays(-value.Days)),
            FilterOperators.ThisMonth => new(month, month.AddMonths(1).AddDays(-1)),
            FilterOperators.LastMonth => new(month.AddMonths(-1), month.AddDays(-1)),
            FilterOperators.ThisYear => new(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31)),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a date range operator."),
        };
    }
}
