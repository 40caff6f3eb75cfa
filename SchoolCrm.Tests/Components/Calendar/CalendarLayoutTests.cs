using SchoolCrm.Web.Components.Calendar;

namespace SchoolCrm.Tests.Components.Calendar;

/// <summary>
/// The calendar's layout rules. Europe/Rome changes its clocks on 29 March 2026 (02:00 CET -> 03:00 CEST, at 01:00 UTC)
/// and on 25 October 2026 (03:00 CEST -> 02:00 CET, at 01:00 UTC).
/// </summary>
public sealed class CalendarLayoutTests
{
    internal static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    private static readonly DateOnly SpringForward = new(2026, 3, 29);
    private static readonly DateOnly FallBack = new(2026, 10, 25);

    [Fact]
    public void A_month_view_shows_the_whole_weeks_holding_the_month_from_monday()
    {
        var range = CalendarLayout.VisibleRange(CalendarView.Month, new DateOnly(2026, 3, 17), DayOfWeek.Monday);

        Assert.Equal(new CalendarRange(new DateOnly(2026, 2, 23), new DateOnly(2026, 4, 5)), range);
        Assert.Equal(42, range.DayCount);
    }

    [Fact]
    public void A_month_view_of_a_culture_starting_on_sunday_starts_on_sunday()
    {
        var range = CalendarLayout.VisibleRange(CalendarView.Month, new DateOnly(2026, 3, 17), DayOfWeek.Sunday);

        Assert.Equal(new CalendarRange(new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 4)), range);
    }

    [Fact]
    public void A_week_view_shows_monday_to_sunday_of_the_date()
    {
        Assert.Equal(
            new CalendarRange(new DateOnly(2026, 3, 23), new DateOnly(2026, 3, 29)),
            CalendarLayout.VisibleRange(CalendarView.Week, new DateOnly(2026, 3, 29), DayOfWeek.Monday));
        Assert.Equal(
            new CalendarRange(new DateOnly(2026, 3, 23), new DateOnly(2026, 3, 29)),
            CalendarLayout.VisibleRange(CalendarView.Week, new DateOnly(2026, 3, 23), DayOfWeek.Monday));
    }

    [Fact]
    public void A_day_view_shows_the_day()
    {
        Assert.Equal(
            new CalendarRange(SpringForward, SpringForward),
            CalendarLayout.VisibleRange(CalendarView.Day, SpringForward, DayOfWeek.Monday));
    }

    [Fact]
    public void Previous_and_next_move_by_a_month_a_week_or_a_day()
    {
        Assert.Equal(new DateOnly(2026, 2, 28), CalendarLayout.Move(CalendarView.Month, new DateOnly(2026, 1, 31), 1));
        Assert.Equal(new DateOnly(2025, 12, 31), CalendarLayout.Move(CalendarView.Month, new DateOnly(2026, 1, 31), -1));
        Assert.Equal(new DateOnly(2026, 4, 5), CalendarLayout.Move(CalendarView.Week, SpringForward, 1));
        Assert.Equal(new DateOnly(2026, 3, 28), CalendarLayout.Move(CalendarView.Day, SpringForward, -1));
    }

    [Fact]
    public void On_the_spring_forward_day_items_sit_at_their_wall_clock_time()
    {
        var beforeSwitch = Timed(1, Utc(2026, 3, 29, 0, 30), Utc(2026, 3, 29, 0, 30)); // 01:30 CET
        var afterSwitch = Timed(2, Utc(2026, 3, 29, 1, 30), Utc(2026, 3, 29, 1, 30)); // 03:30 CEST
        var morning = Timed(3, Utc(2026, 3, 29, 7, 0), Utc(2026, 3, 29, 8, 0)); // 09:00-10:00 CEST

        var blocks = CalendarLayout.TimedBlocks(SpringForward, [beforeSwitch, afterSwitch, morning], Rome);

        Assert.Equal((90, 120), Minutes(blocks, 1));
        Assert.Equal((210, 240), Minutes(blocks, 2));
        Assert.Equal((540, 600), Minutes(blocks, 3));
    }

    [Fact]
    public void An_event_across_the_spring_forward_gap_spans_its_wall_clock_hours()
    {
        // 01:30 CET to 03:30 CEST is one real hour; the column shows it from 01:30 to 03:30 as the clocks read.
        var night = Timed(1, Utc(2026, 3, 29, 0, 30), Utc(2026, 3, 29, 1, 30));

        Assert.Equal((90, 210), Minutes(CalendarLayout.TimedBlocks(SpringForward, [night], Rome), 1));
    }

    [Fact]
    public void On_the_fall_back_day_both_half_past_twos_sit_at_half_past_two_side_by_side()
    {
        var first = Timed(1, Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 25, 0, 30)); // 02:30 CEST
        var second = Timed(2, Utc(2026, 10, 25, 1, 30), Utc(2026, 10, 25, 1, 30)); // 02:30 CET
        var morning = Timed(3, Utc(2026, 10, 25, 8, 0), Utc(2026, 10, 25, 9, 0)); // 09:00-10:00 CET

        var blocks = CalendarLayout.TimedBlocks(FallBack, [first, second, morning], Rome);

        Assert.Equal((150, 180), Minutes(blocks, 1));
        Assert.Equal((150, 180), Minutes(blocks, 2));
        Assert.Equal((540, 600), Minutes(blocks, 3));
        Assert.Equal([(0, 2), (1, 2)], blocks.Where(b => b.Item.Id != 3).OrderBy(b => b.Item.Id).Select(b => (b.Column, b.Columns)));
    }

    [Fact]
    public void An_event_ending_in_the_repeated_hour_before_its_wall_clock_start_still_gets_a_block()
    {
        // 02:45 CEST to 02:15 CET: thirty real minutes whose end reads earlier than its start.
        var item = Timed(1, Utc(2026, 10, 25, 0, 45), Utc(2026, 10, 25, 1, 15));

        Assert.Equal((165, 195), Minutes(CalendarLayout.TimedBlocks(FallBack, [item], Rome), 1));
    }

    [Fact]
    public void A_week_across_the_switch_places_nine_oclock_at_nine_on_every_day()
    {
        var week = CalendarLayout.VisibleRange(CalendarView.Week, SpringForward, DayOfWeek.Monday);
        var items = week.Days
            .Select((day, i) => Timed(i, LocalToUtc(day, 9, 0), LocalToUtc(day, 9, 0)))
            .ToList();

        foreach (var day in week.Days)
        {
            var block = Assert.Single(CalendarLayout.TimedBlocks(day, items, Rome));
            Assert.Equal(540, block.StartMinute);
        }

        // The instants really do differ by one hour less on Sunday than the days before.
        Assert.Equal(TimeSpan.FromHours(23), items[6].StartUtc - items[5].StartUtc);
    }

    [Fact]
    public void A_timed_item_crossing_midnight_shows_on_both_days()
    {
        var party = Timed(1, Utc(2026, 5, 8, 20, 0), Utc(2026, 5, 8, 23, 0)); // Fri 22:00 to Sat 01:00 CEST

        Assert.Equal((new DateOnly(2026, 5, 8), new DateOnly(2026, 5, 9)), CalendarLayout.DaysOf(party, Rome));
        Assert.Equal((1320, 1440), Minutes(CalendarLayout.TimedBlocks(new DateOnly(2026, 5, 8), [party], Rome), 1));
        Assert.Equal((0, 60), Minutes(CalendarLayout.TimedBlocks(new DateOnly(2026, 5, 9), [party], Rome), 1));
    }

    [Fact]
    public void A_timed_item_ending_at_midnight_does_not_show_on_the_next_day()
    {
        var evening = Timed(1, Utc(2026, 5, 8, 20, 0), Utc(2026, 5, 8, 22, 0)); // 22:00 to 24:00 CEST

        Assert.Equal((new DateOnly(2026, 5, 8), new DateOnly(2026, 5, 8)), CalendarLayout.DaysOf(evening, Rome));
        Assert.Empty(CalendarLayout.TimedBlocks(new DateOnly(2026, 5, 9), [evening], Rome));
    }

    [Fact]
    public void A_task_at_its_deadline_gets_a_block_of_the_minimum_height()
    {
        var task = Timed(1, Utc(2026, 5, 8, 8, 0), Utc(2026, 5, 8, 8, 0));

        Assert.Equal((600, 600 + CalendarLayout.MinimumBlockMinutes), Minutes(CalendarLayout.TimedBlocks(new DateOnly(2026, 5, 8), [task], Rome), 1));
    }

    [Fact]
    public void Overlapping_items_sit_side_by_side_and_the_others_take_the_whole_width()
    {
        var day = new DateOnly(2026, 5, 11);
        var items = new[]
        {
            Timed(1, LocalToUtc(day, 9, 0), LocalToUtc(day, 10, 0)),
            Timed(2, LocalToUtc(day, 9, 30), LocalToUtc(day, 10, 30)),
            Timed(3, LocalToUtc(day, 10, 0), LocalToUtc(day, 11, 0)),
            Timed(4, LocalToUtc(day, 12, 0), LocalToUtc(day, 13, 0)),
        };

        var blocks = CalendarLayout.TimedBlocks(day, items, Rome).OrderBy(b => b.Item.Id).Select(b => (b.Item.Id, b.Column, b.Columns));

        Assert.Equal([(1, 0, 2), (2, 1, 2), (3, 0, 2), (4, 0, 1)], blocks);
    }

    [Fact]
    public void All_day_items_are_not_timed_blocks()
    {
        var day = new DateOnly(2026, 5, 11);

        Assert.Empty(CalendarLayout.TimedBlocks(day, [CalendarItem.AllDay(1, CalendarItemKind.Event, "Open day", day, day)], Rome));
    }

    [Fact]
    public void A_multi_day_all_day_event_spans_its_days_across_two_week_rows()
    {
        var trip = CalendarItem.AllDay(1, CalendarItemKind.Event, "School trip", new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 31));
        var month = CalendarLayout.VisibleRange(CalendarView.Month, new DateOnly(2026, 3, 1), DayOfWeek.Monday).Days.ToList();
        var fourthWeek = month.Skip(28).Take(7).ToList(); // 23-29 March
        var fifthWeek = month.Skip(35).Take(7).ToList(); // 30 March - 5 April

        Assert.True(CalendarLayout.Covers(trip, SpringForward, Rome));
        Assert.False(CalendarLayout.Covers(trip, new DateOnly(2026, 4, 1), Rome));
        Assert.Equal(new DayBar(trip, 4, 3, 0, false, true), Assert.Single(CalendarLayout.DayBars(fourthWeek, [trip], Rome)));
        Assert.Equal(new DayBar(trip, 0, 2, 0, true, false), Assert.Single(CalendarLayout.DayBars(fifthWeek, [trip], Rome)));
    }

    [Fact]
    public void Day_bars_take_the_first_free_lane_and_a_multi_day_event_keeps_one_lane()
    {
        var week = CalendarLayout.VisibleRange(CalendarView.Week, new DateOnly(2026, 5, 11), DayOfWeek.Monday).Days.ToList();
        var monday = week[0];
        var camp = CalendarItem.AllDay(1, CalendarItemKind.Event, "Camp", monday.AddDays(1), monday.AddDays(3));
        var call = Timed(2, LocalToUtc(monday.AddDays(2), 10, 0), LocalToUtc(monday.AddDays(2), 10, 0));
        var mondayTask = Timed(3, LocalToUtc(monday, 10, 0), LocalToUtc(monday, 10, 0));
        var outside = CalendarItem.AllDay(4, CalendarItemKind.Event, "Next week", monday.AddDays(7), monday.AddDays(7));

        var bars = CalendarLayout.DayBars(week, [call, camp, mondayTask, outside], Rome).OrderBy(b => b.Item.Id).Select(b => (b.Item.Id, b.FirstColumn, b.Span, b.Lane));

        Assert.Equal([(1, 1, 3, 0), (2, 2, 1, 1), (3, 0, 1, 0)], bars);
    }

    [Fact]
    public void The_range_to_load_runs_from_the_first_midnight_to_the_midnight_after_the_last_day_in_the_schools_zone()
    {
        var week = CalendarLayout.VisibleRange(CalendarView.Week, SpringForward, DayOfWeek.Monday);

        Assert.Equal(Utc(2026, 3, 22, 23, 0), week.StartUtc(Rome));
        Assert.Equal(Utc(2026, 3, 29, 22, 0), week.EndUtc(Rome));
    }

    [Fact]
    public void A_day_whose_midnight_is_skipped_begins_at_its_first_minute_and_a_repeated_midnight_at_the_earlier_one()
    {
        // A made-up zone at UTC+0 that springs forward at midnight on 1 March and falls back from 01:00 to midnight on 1 October.
        var zone = TimeZoneInfo.CreateCustomTimeZone(
            "Test/Midnight",
            TimeSpan.Zero,
            "Test/Midnight",
            "Standard",
            "Summer",
            [
                TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                    new DateTime(2000, 1, 1),
                    new DateTime(2099, 12, 31),
                    TimeSpan.FromHours(1),
                    TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 3, 1),
                    TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 1, 0, 0), 10, 1)),
            ]);

        Assert.Equal(Utc(2026, 3, 1, 0, 0), CalendarLayout.StartOfDayUtc(new DateOnly(2026, 3, 1), zone));
        Assert.Equal(Utc(2026, 9, 30, 23, 0), CalendarLayout.StartOfDayUtc(new DateOnly(2026, 10, 1), zone));
    }

    [Theory]
    [InlineData("#43A047", "#43A047")]
    [InlineData("#fff", "#fff")]
    [InlineData("red", null)]
    [InlineData("#000; background:url(x)", null)]
    public void Only_a_hex_colour_reaches_the_style(string color, string? safe)
    {
        Assert.Equal(safe, (Timed(1, Utc(2026, 5, 8, 8, 0), Utc(2026, 5, 8, 8, 0)) with { Color = color }).SafeColor);
    }

    [Fact]
    public void A_task_type_keeps_its_palette_colour_and_neighbouring_types_differ()
    {
        Assert.Equal(CalendarPalette.For(7), CalendarPalette.For(7));
        Assert.NotEqual(CalendarPalette.For(7), CalendarPalette.For(8));
        Assert.All(new[] { -3, 0, 1, 7, 8, int.MaxValue, int.MinValue }, key =>
            Assert.NotNull((Timed(1, Utc(2026, 5, 8, 8, 0), Utc(2026, 5, 8, 8, 0)) with { Color = CalendarPalette.For(key) }).SafeColor));
    }

    internal static CalendarItem Timed(int id, DateTime startUtc, DateTime endUtc) =>
        CalendarItem.Timed(id, CalendarItemKind.Event, $"Item {id}", startUtc, endUtc);

    internal static DateTime Utc(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    /// <summary>A wall-clock time in Rome that exists once, as UTC.</summary>
    internal static DateTime LocalToUtc(DateOnly day, int hour, int minute) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour, minute)), Rome);

    private static (int Start, int End) Minutes(IReadOnlyList<TimedBlock> blocks, int id)
    {
        var block = Assert.Single(blocks, b => b.Item.Id == id);
        return (block.StartMinute, block.EndMinute);
    }
}
