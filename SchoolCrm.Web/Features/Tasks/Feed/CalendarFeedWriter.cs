using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Web.Features.Tasks.Feed;

/// <summary>
/// Writes a feed as RFC 5545 iCalendar with Ical.Net. Tasks become VEVENTs at their deadline (Google Calendar ignores
/// VTODO), free time (TRANSPARENT), marked "✓" once done; events keep their times or, all day, their dates. Times are
/// written in the school's zone with its VTIMEZONE, so the clients show them at the school's wall-clock time.
/// </summary>
/// <remarks>
/// The text depends only on the data: DTSTAMP and LAST-MODIFIED are the item's last change (RFC 5545 §3.8.7.2: without
/// a METHOD, DTSTAMP is when the information was last revised), so the same data gives the same text and the same
/// ETag, and a client asking again gets 304. Lead data is limited to the lead's name; descriptions (free text that
/// may hold anything) and participants stay in the CRM, where each item's URL leads.
/// </remarks>
public static class CalendarFeedWriter
{
    /// <summary>How often a client should fetch again (X-PUBLISHED-TTL and REFRESH-INTERVAL).</summary>
    public const string RefreshInterval = "PT1H";

    public static string Write(FeedContent content, TimeZoneInfo zone, DateTime fromUtc, Uri site)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(site);
        var times = new FeedTimes(zone);
        var calendar = new Ical.Net.Calendar { ProductId = "-//SchoolCrm//Tasks and events//EN" };
        calendar.AddProperty("CALSCALE", "GREGORIAN");
        calendar.AddProperty("X-WR-CALNAME", "SchoolCrm: " + content.OwnerName);
        calendar.AddProperty("X-PUBLISHED-TTL", RefreshInterval);
        var refresh = new CalendarProperty("REFRESH-INTERVAL", RefreshInterval);
        refresh.AddParameter("VALUE", "DURATION");
        calendar.AddProperty(refresh);
        if (times.ZoneId is { } zoneId)
        {
            calendar.AddProperty("X-WR-TIMEZONE", zoneId);
            calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zoneId, fromUtc, includeHistoricalData: false));
        }

        var host = site.IdnHost;
        foreach (var task in content.Tasks)
        {
            var item = new CalendarEvent
            {
                Uid = Uid("task", task.Id, host),
                DtStamp = FeedTimes.Utc(task.UpdatedAt),
                LastModified = FeedTimes.Utc(task.UpdatedAt),
                DtStart = times.At(task.DeadlineUtc),
                Summary = (task.IsDone ? "✓ " : "") + WithLead(task.Title, task.LeadFirstName, task.LeadLastName),
                Transparency = TransparencyType.Transparent,
                Url = Link(site, "tasks", task.Id),
            };
            if (task.TaskTypeName.Length > 0)
            {
                item.Categories.Add(task.TaskTypeName);
            }

            calendar.Events.Add(item);
        }

        foreach (var crmEvent in content.Events)
        {
            var item = new CalendarEvent
            {
                Uid = Uid("event", crmEvent.Id, host),
                DtStamp = FeedTimes.Utc(crmEvent.UpdatedAt),
                LastModified = FeedTimes.Utc(crmEvent.UpdatedAt),
                Summary = WithLead(crmEvent.Title, crmEvent.LeadFirstName, crmEvent.LeadLastName),
                Location = crmEvent.Location,
                Url = Link(site, "events", crmEvent.Id),
            };
            if (crmEvent.AllDay && crmEvent.StartDate is { } first && crmEvent.EndDate is { } last)
            {
                // DATE values; DTEND is exclusive, the day after the last one.
                item.DtStart = new CalDateTime(first);
                item.DtEnd = new CalDateTime(last.AddDays(1));
            }
            else
            {
                item.DtStart = times.At(crmEvent.StartUtc);
                item.DtEnd = times.At(crmEvent.EndUtc);
            }

            calendar.Events.Add(item);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>Stable across fetches, rotations and edits: the item's kind and id at this site's host.</summary>
    private static string Uid(string kind, int id, string host) => string.Create(CultureInfo.InvariantCulture, $"{kind}-{id}@{host}");

    private static Uri Link(Uri site, string area, int id) => new(site, string.Create(CultureInfo.InvariantCulture, $"{area}/{id}"));

    private static string WithLead(string title, string? firstName, string? lastName)
    {
        var lead = string.Join(" ", new[] { firstName, lastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return lead.Length == 0 ? title : $"{title} – {lead}";
    }

    /// <summary>Instants as the school's wall-clock time with its TZID, or in UTC where that would not be exact.</summary>
    private sealed class FeedTimes(TimeZoneInfo zone)
    {
        /// <summary>The zone's IANA id, or null for UTC (no VTIMEZONE needed).</summary>
        public string? ZoneId { get; } = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime ? null : zone.Id;

        public static CalDateTime Utc(DateTime utc) => new(DateTime.SpecifyKind(Seconds(utc), DateTimeKind.Utc), CalDateTime.UtcTzId);

        public CalDateTime At(DateTime utc)
        {
            utc = Seconds(utc);
            if (ZoneId is null)
            {
                return Utc(utc);
            }

            // A client reads a repeated wall-clock time (the fall-back hour) as its first occurrence (RFC 5545
            // §3.3.5); an instant in the second one is written in UTC so that it stays exact.
            var local = SchoolTime.ToLocal(utc, zone);
            var back = SchoolTime.ToUtc(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), zone);
            return back == utc ? new CalDateTime(local, ZoneId) : Utc(utc);
        }

        private static DateTime Seconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Kind);
    }
}
