using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Web.Hosting;

/// <summary>
/// "Now" and "today" where the school is. Instants are stored in UTC and shown in the school's zone; entered times
/// go back to UTC by the daylight-saving rules of <see cref="SchoolTime"/> (a skipped time is refused, a repeated
/// one is its first, summer-time occurrence).
/// </summary>
public sealed class SchoolClock(TimeProvider time, TimeZoneInfo zone)
{
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public TimeZoneInfo Zone => zone;

    public DateOnly Today => DateOnly.FromDateTime(ToSchoolTime(UtcNow));

    public DateTime ToSchoolTime(DateTime utc) => SchoolTime.ToLocal(utc, zone);

    /// <summary>The instant of a date and time entered at the school; see <see cref="SchoolTime.ToUtc"/> for the rules.</summary>
    /// <exception cref="Domain.DomainException"><see cref="SchoolTime.NonexistentTimeCode"/> for a time the clocks skip.</exception>
    public DateTime ToUtc(DateOnly date, TimeOnly localTime, string? field = null) => SchoolTime.ToUtc(date, localTime, zone, field);

    /// <summary>The instants [start, end) of the school's days <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public (DateTime StartUtc, DateTime EndUtc) Days(DateOnly first, DateOnly last) => SchoolTime.Days(first, last, zone);

    public static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
