using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace SchoolCrm.Web.Components.Calendar;

public partial class CrmCalendar
{
    private static readonly CalendarView[] Views = [CalendarView.Month, CalendarView.Week, CalendarView.Day];

    private CalendarView view;
    private DateOnly date;

    // The parameters last taken over: the calendar navigates on its own and follows the parent only when it changes them.
    private bool started;
    private CalendarView viewParameter;
    private DateOnly? dateParameter;
    private CalendarRange? reported;

    /// <summary>What to show; the page loads them for the range reported by <see cref="RangeChanged"/>.</summary>
    [Parameter]
    public IReadOnlyList<CalendarItem> Items { get; set; } = [];

    [Parameter]
    public CalendarView View { get; set; } = CalendarView.Month;

    /// <summary>Called when the user switches the view (lets a page keep it, e.g. in the address).</summary>
    [Parameter]
    public EventCallback<CalendarView> ViewChanged { get; set; }

    /// <summary>The day the view shows or holds; today in the school's zone when null.</summary>
    [Parameter]
    public DateOnly? Date { get; set; }

    [Parameter]
    public EventCallback<DateOnly?> DateChanged { get; set; }

    /// <summary>Called with the days shown, first and last included, at the start and whenever they change.</summary>
    [Parameter]
    public EventCallback<CalendarRange> RangeChanged { get; set; }

    [Parameter]
    public EventCallback<CalendarItem> OnItemClick { get; set; }

    /// <summary>An empty day (month view, all-day row) or an hour (week and day view) was clicked: create something there.</summary>
    [Parameter]
    public EventCallback<CalendarSlot> OnSlotClick { get; set; }

    /// <summary>How many items a day of the month view shows before "+N more".</summary>
    [Parameter]
    public int ItemsPerDay { get; set; } = 3;

    /// <summary>The days shown: whole weeks starting on the user's culture's first day (Monday for en-GB, de, it).</summary>
    public CalendarRange Range => CalendarLayout.VisibleRange(view, date, CultureInfo.CurrentCulture.DateTimeFormat.FirstDayOfWeek);

    private string Title => view switch
    {
        CalendarView.Month => date.ToString("Y", CultureInfo.CurrentCulture),
        CalendarView.Week => $"{Range.First.ToString("d", CultureInfo.CurrentCulture)} – {Range.Last.ToString("d", CultureInfo.CurrentCulture)}",
        _ => date.ToString("D", CultureInfo.CurrentCulture),
    };

    private string PreviousLabel => T[$"Previous_{view}"];

    private string NextLabel => T[$"Next_{view}"];

    protected override async Task OnParametersSetAsync()
    {
        if (!started || View != viewParameter)
        {
            view = viewParameter = View;
        }

        if (!started || Date != dateParameter)
        {
            dateParameter = Date;
            date = Date ?? Clock.Today;
        }

        started = true;
        await ReportRangeAsync();
    }

    private async Task MoveAsync(int steps) => await GoToAsync(CalendarLayout.Move(view, date, steps));

    private async Task TodayAsync() => await GoToAsync(Clock.Today);

    private async Task GoToAsync(DateOnly day) => await ShowAsync(view, day);

    private async Task ShowAsync(CalendarView next, DateOnly day)
    {
        // Both change before the parent hears of either, so Range is the new one whenever the parent looks.
        var viewChanged = next != view;
        view = next;
        date = day;
        if (viewChanged)
        {
            await ViewChanged.InvokeAsync(next);
        }

        await DateChanged.InvokeAsync(day);
        await ReportRangeAsync();
    }

    private async Task ReportRangeAsync()
    {
        var range = Range;
        if (range != reported)
        {
            reported = range;
            await RangeChanged.InvokeAsync(range);
        }
    }
}
