using SchoolCrm.Web.Features.Tasks.Feed;

namespace SchoolCrm.Tests.Features.Tasks;

/// <summary>The feed's text from given items, read back with Ical.Net: times across Rome's switches to and from summer time.</summary>
public sealed class CalendarFeedWriterTests
{
    private static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");
    private static readonly Uri Site = new("https://crm.school.example/");

    [Fact]
    public void Both_instants_of_the_repeated_fall_back_hour_come_back_exact()
    {
        // 25 October 2026: 02:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC (winter time).
        var first = new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc);
        var second = new DateTime(2026, 10, 25, 1, 30, 0, DateTimeKind.Utc);

        var calendar = Read(Task(1, first), Task(2, second));

        var one = calendar.Events.Single(e => e.Uid == "task-1@crm.school.example").DtStart!;
        var two = calendar.Events.Single(e => e.Uid == "task-2@crm.school.example").DtStart!;
        Assert.Equal(("Europe/Rome", new DateTime(2026, 10, 25, 2, 30, 0)), (one.TzId, one.Value));
        Assert.Equal((first, second), (one.AsUtc, two.AsUtc));
    }

    [Fact]
    public void Times_after_the_spring_forward_switch_keep_their_wall_clock_time()
    {
        // 28 March 2027: 02:00 to 02:59 does not exist; 03:30 CEST is 01:30 UTC, 01:30 CET is 00:30 UTC.
        var before = new DateTime(2027, 3, 28, 0, 30, 0, DateTimeKind.Utc);
        var after = new DateTime(2027, 3, 28, 1, 30, 0, DateTimeKind.Utc);

        var calendar = Read(Task(1, before), Task(2, after));

        var times = calendar.Events.OrderBy(e => e.Uid).Select(e => (e.DtStart!.Value, e.DtStart.AsUtc)).ToList();
        Assert.Equal([(new DateTime(2027, 3, 28, 1, 30, 0), before), (new DateTime(2027, 3, 28, 3, 30, 0), after)], times);
    }

    [Fact]
    public void A_school_in_utc_writes_utc_times_and_no_vtimezone()
    {
        var deadline = new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);

        var calendar = Read(TimeZoneInfo.Utc, Task(1, deadline));

        Assert.Empty(calendar.TimeZones);
        Assert.True(calendar.Events.Single().DtStart!.IsUtc);
        Assert.Equal(deadline, calendar.Events.Single().DtStart!.AsUtc);
    }

    [Fact]
    public void The_same_items_give_the_same_text()
    {
        var items = new[] { Task(1, new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc)) };

        Assert.Equal(Write(Rome, items), Write(Rome, items));
    }

    [Fact]
    public void A_kept_item_text_is_written_anew_once_the_item_changed()
    {
        var writer = new CalendarFeedWriter();
        var before = Task(1, new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc));
        var after = before with { Title = "Call back again", IsDone = true };
        var from = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var first = writer.Write(new FeedContent(1, "Olga", [before], []), Rome, from, Site);

        var second = writer.Write(new FeedContent(1, "Olga", [after], []), Rome, from, Site);
        var third = writer.Write(new FeedContent(1, "Olga", [before], []), TimeZoneInfo.Utc, from, Site);

        Assert.Equal("Call back", Ical.Net.Calendar.Load(first)!.Events.Single().Summary);
        Assert.Equal("✓ Call back again", Ical.Net.Calendar.Load(second)!.Events.Single().Summary);
        Assert.True(Ical.Net.Calendar.Load(third)!.Events.Single().DtStart!.IsUtc);
    }

    private static FeedTask Task(int id, DateTime deadlineUtc) =>
        new(id, "Call back", "Call", deadlineUtc, false, new DateTime(2026, 9, 1, 8, 0, 0, DateTimeKind.Utc), null, null);

    private static Ical.Net.Calendar Read(params FeedTask[] tasks) => Read(Rome, tasks);

    private static Ical.Net.Calendar Read(TimeZoneInfo zone, params FeedTask[] tasks) => Ical.Net.Calendar.Load(Write(zone, tasks))!;

    private static string Write(TimeZoneInfo zone, FeedTask[] tasks) =>
        new CalendarFeedWriter().Write(new FeedContent(1, "Olga", tasks, []), zone, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), Site);
}
