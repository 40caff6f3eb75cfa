using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Domain.Tasks;

/// <summary>
/// Entered school times to UTC across Europe/Rome's clock changes in 2026: forward on Sunday 29 March at 02:00
/// (to 03:00, 01:00 UTC), back on Sunday 25 October at 03:00 (to 02:00, 01:00 UTC).
/// </summary>
public sealed class SchoolTimeTests
{
    private static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    private static SchoolClock ClockAt(int year, int month, int day, int hourUtc) =>
        new(new FakeTimeProvider(new DateTimeOffset(year, month, day, hourUtc, 0, 0, TimeSpan.Zero)), Rome);

    private static DateTime Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void A_time_the_clocks_skip_on_the_spring_forward_day_is_refused_with_the_nonexistent_time_code()
    {
        var clock = ClockAt(2026, 3, 28, 12);

        var error = Assert.Throws<DomainException>(() => clock.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), "Deadline"));

        Assert.Equal((SchoolTime.NonexistentTimeCode, "Deadline"), (error.Code, error.Field));
    }

    [Theory]
    [InlineData(1, 59, 0, 59)]
    [InlineData(3, 0, 1, 0)]
    [InlineData(10, 0, 8, 0)]
    public void Times_around_the_spring_forward_gap_keep_their_own_offset(int hour, int minute, int utcHour, int utcMinute)
    {
        var utc = ClockAt(2026, 3, 28, 12).ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(hour, minute));

        Assert.Equal(Utc(3, 29, utcHour, utcMinute), utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Fact]
    public void A_time_that_occurs_twice_on_the_fall_back_day_is_its_first_summer_time_occurrence()
    {
        var clock = ClockAt(2026, 10, 24, 12);

        var utc = clock.ToUtc(new DateOnly(2026, 10, 25), new TimeOnly(2, 30));

        // 02:30 summer time (+2); the second 02:30, in winter time, would be 01:30 UTC.
        Assert.Equal(Utc(10, 25, 0, 30), utc);
        Assert.Equal(new DateTime(2026, 10, 25, 2, 30, 0), clock.ToSchoolTime(utc));
    }

    [Fact]
    public void Every_time_that_exists_goes_to_UTC_and_back_unchanged_across_both_switch_days()
    {
        foreach (var day in new[] { new DateOnly(2026, 3, 29), new DateOnly(2026, 10, 25) })
        {
            for (var minutes = 0; minutes < 24 * 60; minutes += 15)
            {
                var time = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minutes));
                if (Rome.IsInvalidTime(day.ToDateTime(time)))
                {
                    continue;
                }

                var utc = SchoolTime.ToUtc(day, time, Rome);
                Assert.Equal(day.ToDateTime(time), SchoolTime.ToLocal(utc, Rome));
            }
        }
    }

    [Fact]
    public void The_switch_days_last_23_and_25_hours_and_an_ordinary_day_24()
    {
        static TimeSpan Length(DateOnly day)
        {
            var (start, end) = SchoolTime.Days(day, day, Rome);
            return end - start;
        }

        Assert.Equal(TimeSpan.FromHours(23), Length(new DateOnly(2026, 3, 29)));
        Assert.Equal(TimeSpan.FromHours(25), Length(new DateOnly(2026, 10, 25)));
        Assert.Equal(TimeSpan.FromHours(24), Length(new DateOnly(2026, 6, 15)));
    }

    [Fact]
    public void An_all_day_event_over_several_days_spans_from_its_first_midnight_to_the_midnight_after_its_last_day()
    {
        var content = EventContent.AllDayEvent("Open days", null, null, new DateOnly(2026, 10, 24), new DateOnly(2026, 10, 26), Rome).Cleaned();

        Assert.True(content.AllDay);
        Assert.Equal(Utc(10, 23, 22, 0), content.StartUtc);
        Assert.Equal(Utc(10, 26, 23, 0), content.EndUtc);
        Assert.Equal((new DateOnly(2026, 10, 24), new DateOnly(2026, 10, 26)), (content.StartDate, content.EndDate));
    }

    [Fact]
    public void An_all_day_event_whose_last_day_is_before_its_first_is_refused()
    {
        var error = Assert.Throws<DomainException>(
            () => EventContent.AllDayEvent("Backwards", null, null, new DateOnly(2026, 5, 3), new DateOnly(2026, 5, 2), Rome));

        Assert.Equal("time.end_before_start", error.Code);
    }

    [Fact]
    public void A_timed_event_that_starts_in_the_spring_forward_gap_is_refused_on_its_start()
    {
        var error = Assert.Throws<DomainException>(() => EventContent.Timed(
            "Night shift", null, null, new DateOnly(2026, 3, 29), new TimeOnly(2, 15), new DateOnly(2026, 3, 29), new TimeOnly(4, 0), Rome));

        Assert.Equal((SchoolTime.NonexistentTimeCode, "Start"), (error.Code, error.Field));
    }

    [Fact]
    public void A_timed_event_across_the_fall_back_night_lasts_its_real_length()
    {
        var content = EventContent.Timed(
            "Night watch", null, null, new DateOnly(2026, 10, 25), new TimeOnly(1, 0), new DateOnly(2026, 10, 25), new TimeOnly(4, 0), Rome).Cleaned();

        Assert.Equal(TimeSpan.FromHours(4), content.EndUtc - content.StartUtc);
    }

    [Fact]
    public void Where_midnight_itself_is_skipped_the_day_starts_at_its_first_valid_minute()
    {
        // Chile put its clocks forward from 00:00 to 01:00 on 7 September 2025.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var day = new DateOnly(2025, 9, 7);
        Assert.True(santiago.IsInvalidTime(day.ToDateTime(TimeOnly.MinValue)));

        var start = SchoolTime.StartOfDay(day, santiago);

        Assert.Equal(new DateTime(2025, 9, 7, 1, 0, 0), SchoolTime.ToLocal(start, santiago));
    }

    [Fact]
    public void Today_at_the_school_follows_its_zone_not_UTC()
    {
        // 23:30 UTC on 31 December is already 1 January in Rome.
        var clock = new SchoolClock(new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)), Rome);

        Assert.Equal(new DateOnly(2027, 1, 1), clock.Today);
    }
}
