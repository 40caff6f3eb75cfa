namespace SchoolCrm.Web.Components.Calendar;

/// <summary>A timed item's piece on one day: wall-clock minutes from that day's midnight, and its column among overlaps.</summary>
/// <param name="StartMinute">0 to 1439: where the block begins.</param>
/// <param name="EndMinute">Up to 1440 (midnight of the next day); at least <see cref="CalendarLayout.MinimumBlockMinutes"/> after the start where the day allows.</param>
/// <param name="Column">0-based column among the items it overlaps with.</param>
/// <param name="Columns">How many columns its group of overlapping items needs.</param>
public sealed record TimedBlock(CalendarItem Item, int StartMinute, int EndMinute, int Column, int Columns);

/// <summary>An item's bar across a row of days (a week of the month view, the all-day row of the week view).</summary>
/// <param name="FirstColumn">0-based column of its first day in the row.</param>
/// <param name="Span">How many columns it covers.</param>
/// <param name="Lane">0-based line within the row; bars in one lane never overlap.</param>
/// <param name="ContinuesBefore">It started before the row's first day.</param>
/// <param name="ContinuesAfter">It ends after the row's last day.</param>
public sealed record DayBar(CalendarItem Item, int FirstColumn, int Span, int Lane, bool ContinuesBefore, bool ContinuesAfter);

/// <summary>
/// The calendar's layout as pure functions: which days a view shows, which days an item covers in the school's
/// zone, where a timed item sits in a day column and how overlapping items share it. Every position is wall-clock
/// time in the school's zone, so on the days clocks change (a 23- or 25-hour day) each item still sits at the time
/// its clock shows; a day column always has 24 wall-clock hours.
/// </summary>
public static class CalendarLayout
{
    public const int MinutesPerDay = 24 * 60;

    /// <summary>A task is a point in time and a short event would be a sliver: blocks are at least this tall.</summary>
    public const int MinimumBlockMinutes = 30;

    /// <summary>The days <paramref name="view"/> shows around <paramref name="date"/>: the whole weeks holding its month, its week, or the day.</summary>
    public static CalendarRange VisibleRange(CalendarView view, DateOnly date, DayOfWeek firstDayOfWeek) => view switch
    {
        CalendarView.Month => new CalendarRange(
            StartOfWeek(new DateOnly(date.Year, date.Month, 1), firstDayOfWeek),
            StartOfWeek(new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)), firstDayOfWeek).AddDays(6)),
        CalendarView.Week => new CalendarRange(StartOfWeek(date, firstDayOfWeek), StartOfWeek(date, firstDayOfWeek).AddDays(6)),
        _ => new CalendarRange(date, date),
    };

    public static DateOnly StartOfWeek(DateOnly date, DayOfWeek firstDayOfWeek) =>
        date.AddDays(-(((int)date.DayOfWeek - (int)firstDayOfWeek + 7) % 7));

    /// <summary>The date shown after <paramref name="steps"/> presses of next (negative: previous).</summary>
    public static DateOnly Move(CalendarView view, DateOnly date, int steps) => view switch
    {
        CalendarView.Month => date.AddMonths(steps),
        CalendarView.Week => date.AddDays(7 * steps),
        _ => date.AddDays(steps),
    };

    /// <summary>The first and last school day an item covers. A timed item ending exactly at midnight does not cover the next day.</summary>
    public static (DateOnly First, DateOnly Last) DaysOf(CalendarItem item, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.FirstDay is { } first)
        {
            return (first, item.LastDay ?? first);
        }

        var (start, end) = LocalTimes(item, zone);
        var firstDay = DateOnly.FromDateTime(start);
        var lastDay = DateOnly.FromDateTime(end);
        if (end > start && end.TimeOfDay == TimeSpan.Zero)
        {
            lastDay = lastDay.AddDays(-1);
        }

        return (firstDay, lastDay < firstDay ? firstDay : lastDay);
    }

    /// <summary>Does the item show on <paramref name="day"/>?</summary>
    public static bool Covers(CalendarItem item, DateOnly day, TimeZoneInfo zone)
    {
        var (first, last) = DaysOf(item, zone);
        return first <= day && day <= last;
    }

    /// <summary>
    /// The blocks of the timed items on <paramref name="day"/> (all-day items are left out: they go in the all-day
    /// row). An item crossing midnight gives a block on each of its days. Overlapping blocks are put side by side:
    /// each group of blocks that overlap one another shares the column width, each block in the first free column.
    /// </summary>
    public static IReadOnlyList<TimedBlock> TimedBlocks(DateOnly day, IEnumerable<CalendarItem> items, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(items);
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        var pieces = new List<(CalendarItem Item, int Start, int End)>();
        foreach (var item in items.Where(i => !i.IsAllDay && Covers(i, day, zone)))
        {
            var (start, end) = LocalTimes(item, zone);
            // Wall-clock minutes: the difference of two local clock readings, not of instants.
            var from = (int)Math.Clamp((start - midnight).TotalMinutes, 0, MinutesPerDay - 1);
            var to = (int)Math.Clamp(Math.Ceiling((end - midnight).TotalMinutes), 0, MinutesPerDay);
            pieces.Add((item, from, Math.Min(Math.Max(to, from + MinimumBlockMinutes), MinutesPerDay)));
        }

        var ordered = pieces
            .OrderBy(p => p.Start)
            .ThenByDescending(p => p.End)
            .ThenBy(p => p.Item.Title, StringComparer.CurrentCulture)
            .ThenBy(p => p.Item.Id)
            .ToList();
        var blocks = new List<TimedBlock>(ordered.Count);
        var group = new List<(CalendarItem Item, int Start, int End, int Column)>();
        var columnEnds = new List<int>();
        var groupEnd = 0;
        foreach (var piece in ordered)
        {
            if (group.Count > 0 && piece.Start >= groupEnd)
            {
                CloseGroup();
            }

            var column = columnEnds.FindIndex(end => end <= piece.Start);
            if (column < 0)
            {
                column = columnEnds.Count;
                columnEnds.Add(piece.End);
            }
            else
            {
                columnEnds[column] = piece.End;
            }

            group.Add((piece.Item, piece.Start, piece.End, column));
            groupEnd = Math.Max(groupEnd, piece.End);
        }

        CloseGroup();
        return blocks;

        void CloseGroup()
        {
            blocks.AddRange(group.Select(g => new TimedBlock(g.Item, g.Start, g.End, g.Column, columnEnds.Count)));
            group.Clear();
            columnEnds.Clear();
            groupEnd = 0;
        }
    }

    /// <summary>
    /// Bars for the items covering any of <paramref name="days"/> (consecutive days: a week row), each in the first
    /// lane free on all its days. Longer bars come first so a multi-day event keeps one straight line; then all-day
    /// before timed, then by start.
    /// </summary>
    public static IReadOnlyList<DayBar> DayBars(IReadOnlyList<DateOnly> days, IEnumerable<CalendarItem> items, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(items);
        if (days.Count == 0)
        {
            return [];
        }

        var rowFirst = days[0];
        var rowLast = days[^1];
        var spans = items
            .Select(item => (Item: item, Days: DaysOf(item, zone)))
            .Where(x => x.Days.First <= rowLast && x.Days.Last >= rowFirst)
            .Select(x =>
            {
                var first = x.Days.First < rowFirst ? rowFirst : x.Days.First;
                var last = x.Days.Last > rowLast ? rowLast : x.Days.Last;
                return (x.Item, x.Days, Column: first.DayNumber - rowFirst.DayNumber, Span: last.DayNumber - first.DayNumber + 1);
            })
            .OrderBy(x => x.Column)
            .ThenByDescending(x => x.Span)
            .ThenBy(x => x.Item.IsAllDay ? 0 : 1)
            .ThenBy(x => x.Item.StartUtc)
            .ThenBy(x => x.Item.Title, StringComparer.CurrentCulture)
            .ThenBy(x => x.Item.Id);

        var lanes = new List<bool[]>();
        var bars = new List<DayBar>();
        foreach (var span in spans)
        {
            var lane = lanes.FindIndex(taken => !taken.Skip(span.Column).Take(span.Span).Any(t => t));
            if (lane < 0)
            {
                lane = lanes.Count;
                lanes.Add(new bool[days.Count]);
            }

            Array.Fill(lanes[lane], true, span.Column, span.Span);
            bars.Add(new DayBar(span.Item, span.Column, span.Span, lane, span.Days.First < rowFirst, span.Days.Last > rowLast));
        }

        return bars;
    }

    /// <summary>
    /// The instant <paramref name="day"/> begins in <paramref name="zone"/>. Where a clock change skips midnight
    /// the day begins at its first existing minute; where midnight happens twice, at the earlier one.
    /// </summary>
    public static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>A timed item's start and end as the school's clocks show them.</summary>
    public static (DateTime Start, DateTime End) LocalTimes(CalendarItem item, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(zone);
        if (item.StartUtc is not { } start || item.EndUtc is not { } end)
        {
            throw new ArgumentException("An all-day item has no times.", nameof(item));
        }

        return (TimeZoneInfo.ConvertTimeFromUtc(start, zone), TimeZoneInfo.ConvertTimeFromUtc(end, zone));
    }
}
