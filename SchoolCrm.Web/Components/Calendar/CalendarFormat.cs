using System.Globalization;

namespace SchoolCrm.Web.Components.Calendar;

/// <summary>How the calendar's views write days and times: in the user's culture, and ISO in data attributes.</summary>
internal static class CalendarFormat
{
    public static string LongDate(DateOnly day) => day.ToString("D", CultureInfo.CurrentCulture);

    public static string Time(TimeOnly time) => time.ToString("t", CultureInfo.CurrentCulture);

    public static string Time(DateTime local) => local.ToString("t", CultureInfo.CurrentCulture);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DayName(DateOnly day) => CultureInfo.CurrentCulture.DateTimeFormat.GetAbbreviatedDayName(day.DayOfWeek);

    /// <summary>A bar that goes on before or after its row loses its rounded end there.</summary>
    public static string BarClass(DayBar bar) =>
        $"{(bar.ContinuesBefore ? "crm-cal-continues-before" : "")} {(bar.ContinuesAfter ? "crm-cal-continues-after" : "")}";
}
