using System.Globalization;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>The addresses of a task's and an event's page, and how an event's time reads in lists and on its page.</summary>
public static class TaskLinks
{
    public const string MyTasks = "/tasks";

    public static string Task(int id, string? returnUrl = null) => WithReturn("/tasks/" + Id(id), returnUrl);

    public static string Event(int id, string? returnUrl = null) => WithReturn("/events/" + Id(id), returnUrl);

    /// <summary>The record a task or event is about: the student once the lead was converted, else the lead.</summary>
    public static string? Record(int? leadId, int? studentId, string? returnUrl = null) =>
        studentId is { } student ? WithReturn("/students/" + Id(student), returnUrl)
        : leadId is { } lead ? WithReturn("/leads/" + Id(lead), returnUrl)
        : null;

    /// <summary>
    /// When an event is, at the school and in the current culture: "05/12/2026 09:00–12:00" for a timed event within a
    /// day, both instants when it spans days, the day or "first – last" for an all-day one.
    /// </summary>
    public static string When(EventItem item, SchoolClock clock)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(clock);
        var culture = CultureInfo.CurrentCulture;
        if (item is { AllDay: true, StartDate: { } first, EndDate: { } last })
        {
            return first == last ? first.ToString("d", culture) : first.ToString("d", culture) + " – " + last.ToString("d", culture);
        }

        var start = clock.ToSchoolTime(item.StartUtc);
        var end = clock.ToSchoolTime(item.EndUtc);
        return start.Date == end.Date
            ? start.ToString("g", culture) + "–" + end.ToString("t", culture)
            : start.ToString("g", culture) + " – " + end.ToString("g", culture);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string WithReturn(string path, string? returnUrl) =>
        string.IsNullOrEmpty(returnUrl) ? path : path + "?returnUrl=" + Uri.EscapeDataString(LocalUrl.Or(returnUrl, MyTasks));
}
