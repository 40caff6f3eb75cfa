namespace SchoolCrm.Domain.Tasks;

/// <summary>
/// Wall-clock times at the school and the UTC instants they are stored as. The one place for the rules about
/// daylight saving time:
/// <list type="bullet">
/// <item>A time that does not exist (02:30 on the spring-forward day in Europe/Rome, when clocks jump from 02:00 to
/// 03:00) is refused with <see cref="NonexistentTimeCode"/>; the user picks another time. Nothing is moved silently.</item>
/// <item>A time that occurs twice (02:30 on the fall-back day, when clocks go from 03:00 back to 02:00) is the
/// first occurrence, the one still in summer time.</item>
/// <item>A day runs from its local midnight to the next one (23 or 25 hours on switch days). Where midnight itself
/// does not exist, the day starts at its first valid minute.</item>
/// </list>
/// </summary>
public static class SchoolTime
{
    /// <summary>The <see cref="DomainException.Code"/> for a local time that the clocks skip on that day.</summary>
    public const string NonexistentTimeCode = "time.nonexistent";

    /// <summary>The instant (UTC) of a wall-clock date and time at the school.</summary>
    /// <param name="field">The input the error belongs to, for the form.</param>
    /// <exception cref="DomainException"><see cref="NonexistentTimeCode"/> when that time does not exist on that day.</exception>
    public static DateTime ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            throw new DomainException(NonexistentTimeCode, field);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The offsets of both occurrences; the larger one is summer time, which comes first.
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The school's wall-clock time of an instant.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    /// <summary>The school's date of an instant.</summary>
    public static DateOnly DateOf(DateTime utc, TimeZoneInfo zone) => DateOnly.FromDateTime(ToLocal(utc, zone));

    /// <summary>The instant a local day starts (its midnight, or its first valid minute where midnight is skipped).</summary>
    public static DateTime StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(midnight))
        {
            // The clocks jumped over midnight: the offset in force before the jump (a day earlier there was none)
            // names the instant of the jump, which is the day's first valid minute.
            var before = zone.GetUtcOffset(midnight.AddDays(-1));
            return DateTime.SpecifyKind(midnight - before, DateTimeKind.Utc);
        }

        return ToUtc(date, TimeOnly.MinValue, zone);
    }

    /// <summary>The instants [start, end) that cover the local days <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static (DateTime StartUtc, DateTime EndUtc) Days(DateOnly first, DateOnly last, TimeZoneInfo zone)
    {
        if (last < first)
        {
            throw new DomainException("time.end_before_start", "End");
        }

        return (StartOfDay(first, zone), StartOfDay(last.AddDays(1), zone));
    }

    /// <summary>The first day of the week that holds <paramref name="date"/>.</summary>
    public static DateOnly StartOfWeek(DateOnly date, DayOfWeek firstDayOfWeek)
    {
        var back = ((int)date.DayOfWeek - (int)firstDayOfWeek + 7) % 7;
        return date.AddDays(-back);
    }
}
