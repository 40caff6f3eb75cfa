using System.Globalization;
using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Tests.Domain.Tasks;

/// <summary>The sections of "My tasks" as a pure function of deadline, now, the school's zone and the first day of the week.</summary>
public sealed class TaskBucketsTests
{
    private static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    // Wednesday 2 December 2026, 10:00 in Rome (09:00 UTC); the Monday week runs from 30 November to 6 December.
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    private static DateTime Local(int month, int day, int hour, int minute = 0) =>
        SchoolTime.ToUtc(new DateOnly(month == 1 ? 2027 : 2026, month, day), new TimeOnly(hour, minute), Rome);

    public static TheoryData<DateTime, TaskBucket> MondayWeek => new()
    {
        { Local(11, 20, 9), TaskBucket.Overdue },
        { Local(12, 2, 9, 59), TaskBucket.Overdue },
        { Local(12, 2, 10), TaskBucket.Today },
        { Local(12, 2, 23, 59), TaskBucket.Today },
        { Local(12, 3, 0), TaskBucket.ThisWeek },
        { Local(12, 6, 23, 59), TaskBucket.ThisWeek },
        { Local(12, 7, 0), TaskBucket.Later },
        { Local(1, 15, 12), TaskBucket.Later },
    };

    [Theory]
    [MemberData(nameof(MondayWeek))]
    public void An_open_task_falls_into_its_section_by_deadline_in_a_week_that_starts_on_Monday(DateTime deadline, TaskBucket expected)
    {
        var bounds = TaskBucketBounds.At(Now, Rome, DayOfWeek.Monday);

        Assert.Equal(expected, bounds.Of(deadline, isDone: false));
    }

    [Fact]
    public void A_done_task_is_done_whatever_its_deadline()
    {
        var bounds = TaskBucketBounds.At(Now, Rome, DayOfWeek.Monday);

        Assert.Equal(TaskBucket.Done, bounds.Of(Local(11, 1, 9), isDone: true));
        Assert.Equal(TaskBucket.Done, bounds.Of(Local(12, 24, 9), isDone: true));
    }

    [Fact]
    public void With_a_week_that_starts_on_Sunday_the_coming_Sunday_is_later()
    {
        var monday = TaskBucketBounds.At(Now, Rome, DayOfWeek.Monday);
        var sunday = TaskBucketBounds.At(Now, Rome, DayOfWeek.Sunday);
        var comingSunday = Local(12, 6, 10);

        Assert.Equal(TaskBucket.ThisWeek, monday.Of(comingSunday, false));
        Assert.Equal(TaskBucket.Later, sunday.Of(comingSunday, false));
        Assert.Equal(TaskBucket.ThisWeek, sunday.Of(Local(12, 5, 10), false));
    }

    [Fact]
    public void On_the_last_day_of_the_week_this_week_holds_nothing_and_tomorrow_is_later()
    {
        var sundayNoon = Local(12, 6, 12);
        var bounds = TaskBucketBounds.At(sundayNoon, Rome, DayOfWeek.Monday);

        Assert.Equal(bounds.EndOfTodayUtc, bounds.EndOfWeekUtc);
        Assert.Equal(TaskBucket.Today, bounds.Of(Local(12, 6, 18), false));
        Assert.Equal(TaskBucket.Later, bounds.Of(Local(12, 7, 8), false));
    }

    [Fact]
    public void The_week_of_the_spring_forward_ends_at_local_midnight_in_summer_time()
    {
        // Saturday 28 March 2026, noon in Rome; the clocks go forward that night.
        var saturday = Local(3, 28, 12);
        var bounds = TaskBucketBounds.At(saturday, Rome, DayOfWeek.Monday);

        Assert.Equal(new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), bounds.EndOfTodayUtc);
        Assert.Equal(new DateTime(2026, 3, 29, 22, 0, 0, DateTimeKind.Utc), bounds.EndOfWeekUtc);
        Assert.Equal(TaskBucket.ThisWeek, bounds.Of(Local(3, 29, 23, 30), false));
        Assert.Equal(TaskBucket.Later, bounds.Of(Local(3, 30, 0), false));
    }

    [Fact]
    public void Each_open_section_is_the_range_of_deadlines_its_query_reads()
    {
        var bounds = TaskBucketBounds.At(Now, Rome, DayOfWeek.Monday);
        var deadlines = Enumerable.Range(-200, 600).Select(h => Now.AddHours(h).AddMinutes(7 * h % 60));

        foreach (var deadline in deadlines)
        {
            var bucket = bounds.Of(deadline, false);
            var (from, to) = bounds.Range(bucket);
            Assert.True((from is null || deadline >= from) && (to is null || deadline < to), $"{deadline:O} in {bucket}");
        }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("it-IT")]
    [InlineData("en-GB")]
    public void German_Italian_and_the_apps_British_English_start_the_week_on_Monday(string culture)
    {
        Assert.Equal(DayOfWeek.Monday, CultureInfo.GetCultureInfo(culture).DateTimeFormat.FirstDayOfWeek);
    }
}
