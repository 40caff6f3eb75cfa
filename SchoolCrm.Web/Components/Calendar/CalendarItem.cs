using System.Text.RegularExpressions;

namespace SchoolCrm.Web.Components.Calendar;

public enum CalendarItemKind
{
    Task,
    Event,
}

public enum CalendarView
{
    Month,
    Week,
    Day,
}

/// <summary>
/// One thing the calendar shows: a task at its deadline or an event. Either timed (instants in UTC, shown at their
/// wall-clock time in the school's zone) or all day (school days, first and last included). Build one with
/// <see cref="Timed"/> or <see cref="AllDay"/> and set the rest with <c>with { Color = ..., Done = true }</c>.
/// </summary>
public sealed partial record CalendarItem
{
    private CalendarItem(int id, CalendarItemKind kind, string title)
    {
        Id = id;
        Kind = kind;
        Title = title;
    }

    /// <summary>The task's or event's id; with <see cref="Kind"/> it says what to open.</summary>
    public int Id { get; }

    public CalendarItemKind Kind { get; }

    public string Title { get; }

    /// <summary>Start of a timed item (UTC); null for an all-day item.</summary>
    public DateTime? StartUtc { get; private init; }

    /// <summary>End of a timed item (UTC); equal to the start for a task, which is a point in time.</summary>
    public DateTime? EndUtc { get; private init; }

    /// <summary>First day of an all-day item; null for a timed item.</summary>
    public DateOnly? FirstDay { get; private init; }

    /// <summary>Last day of an all-day item, included (a one-day event has FirstDay == LastDay).</summary>
    public DateOnly? LastDay { get; private init; }

    /// <summary>A colour as #RGB or #RRGGBB (e.g. the task type's); anything else shows the theme's colour.</summary>
    public string? Color { get; init; }

    /// <summary>A done task: shown struck through.</summary>
    public bool Done { get; init; }

    /// <summary>Where clicking the item goes; without one the item is a button that only calls OnItemClick.</summary>
    public string? Href { get; init; }

    public bool IsAllDay => FirstDay is not null;

    /// <summary>The colour when it is a safe CSS hex colour, else null (it ends up in a style attribute).</summary>
    public string? SafeColor => Color is not null && HexColor().IsMatch(Color) ? Color : null;

    public static CalendarItem Timed(int id, CalendarItemKind kind, string title, DateTime startUtc, DateTime endUtc)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (startUtc.Kind == DateTimeKind.Local || endUtc.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException("Calendar instants are UTC, not local times.");
        }

        if (endUtc < startUtc)
        {
            throw new ArgumentException("An item cannot end before it starts.", nameof(endUtc));
        }

        return new CalendarItem(id, kind, title)
        {
            StartUtc = DateTime.SpecifyKind(startUtc, DateTimeKind.Utc),
            EndUtc = DateTime.SpecifyKind(endUtc, DateTimeKind.Utc),
        };
    }

    public static CalendarItem AllDay(int id, CalendarItemKind kind, string title, DateOnly firstDay, DateOnly lastDay)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (lastDay < firstDay)
        {
            throw new ArgumentException("An item cannot end before it starts.", nameof(lastDay));
        }

        return new CalendarItem(id, kind, title) { FirstDay = firstDay, LastDay = lastDay };
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}

/// <summary>The days a view shows, first and last included.</summary>
public readonly record struct CalendarRange(DateOnly First, DateOnly Last)
{
    public int DayCount => Last.DayNumber - First.DayNumber + 1;

    public IEnumerable<DateOnly> Days => Enumerable.Range(0, DayCount).Select(First.AddDays);

    /// <summary>The instant the first day begins in <paramref name="zone"/>: load items ending after it.</summary>
    public DateTime StartUtc(TimeZoneInfo zone) => CalendarLayout.StartOfDayUtc(First, zone);

    /// <summary>The instant the day after the last begins in <paramref name="zone"/>: load items starting before it.</summary>
    public DateTime EndUtc(TimeZoneInfo zone) => CalendarLayout.StartOfDayUtc(Last.AddDays(1), zone);
}

/// <summary>An empty place the user clicked: a day (month view, all-day row) or a day and an hour (week and day view).</summary>
public readonly record struct CalendarSlot(DateOnly Day, TimeOnly? Time);
