namespace SchoolCrm.Web.Hosting;

/// <summary>"Now" and "today" where the school is. Instants are stored in UTC and shown in the school's zone.</summary>
public sealed class SchoolClock(TimeProvider time, TimeZoneInfo zone)
{
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public TimeZoneInfo Zone => zone;

    public DateOnly Today => DateOnly.FromDateTime(ToSchoolTime(UtcNow));

    public DateTime ToSchoolTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    public static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
