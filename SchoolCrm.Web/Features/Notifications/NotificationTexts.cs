using System.Globalization;
using Microsoft.Extensions.Localization;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>The second line of a notification, the same in the bell, the popup and the list.</summary>
public static class NotificationTexts
{
    public static string Details(NotificationItem item, IStringLocalizer<NotificationsText> text, SchoolClock clock)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(clock);
        string Time(DateTime utc) => clock.ToSchoolTime(utc).ToString("g", CultureInfo.CurrentCulture);
        var parts = new List<string>();
        if (item.TaskTypeName is { Length: > 0 } type)
        {
            parts.Add(type);
        }

        if (item.LeadName is { Length: > 0 } lead)
        {
            parts.Add(lead);
        }

        if (item.DeadlineUtc is { } deadline)
        {
            parts.Add(text["Detail_Deadline", Time(deadline)]);
        }

        if (item.IsLate && item.DueUtc is { } due)
        {
            parts.Add(text["Detail_Late", Time(due)]);
        }

        if (item.TaskId is null)
        {
            parts.Add(text["Task_Deleted"]);
        }

        return string.Join(" · ", parts);
    }
}
