using System.Globalization;
using SchoolCrm.Web.Components.Calendar;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>
/// The calendar page's address: <c>/calendar?view=week&amp;date=2026-12-02&amp;user=ID</c>. It holds only what differs
/// from the default (month, today, me), so a bookmark of the plain page always opens on today.
/// </summary>
public static class CalendarUrl
{
    public const string Path = "/calendar";

    public static string For(CalendarView view, DateOnly? date, string? userId)
    {
        var query = new List<string>();
        if (view != CalendarView.Month)
        {
            query.Add("view=" + view.ToString().ToLowerInvariant());
        }

        if (date is { } day)
        {
            query.Add("date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(userId))
        {
            query.Add("user=" + Uri.EscapeDataString(userId));
        }

        return query.Count == 0 ? Path : Path + "?" + string.Join("&", query);
    }

    /// <summary>month, week or day (any case); anything else is the month.</summary>
    public static CalendarView View(string? value) =>
        Enum.TryParse<CalendarView>(value, ignoreCase: true, out var view) && Enum.IsDefined(view) && !int.TryParse(value, out _)
            ? view
            : CalendarView.Month;

    /// <summary>An ISO date (2026-12-02); anything else is null, i.e. today.</summary>
    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
