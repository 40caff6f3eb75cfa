using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using SchoolCrm.Web.Components.Calendar;
using SchoolCrm.Web.Hosting;
using static SchoolCrm.Tests.Components.Calendar.CalendarLayoutTests;

namespace SchoolCrm.Tests.Components.Calendar;

/// <summary>The calendar rendered by bUnit in the school's zone, Europe/Rome, on Wednesday, 25 March 2026.</summary>
public sealed class CrmCalendarTests
{
    private static readonly DateOnly Today = new(2026, 3, 25);

    private readonly List<CalendarRange> ranges = [];
    private readonly List<CalendarItem> clickedItems = [];
    private readonly List<CalendarSlot> clickedSlots = [];

    [Fact]
    public async Task The_month_view_shows_the_whole_weeks_of_the_month_from_monday_with_its_items()
    {
        await using var ctx = NewContext("en-GB");
        var call = CalendarItem.Timed(1, CalendarItemKind.Task, "Call Maria", Utc(2026, 3, 10, 9, 0), Utc(2026, 3, 10, 9, 0));
        var trip = CalendarItem.AllDay(2, CalendarItemKind.Event, "School trip", new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 31));

        var cut = Render(ctx, [call, trip]);

        var days = cut.FindAll(".crm-cal-day").Select(d => d.GetAttribute("data-day")).ToList();
        Assert.Equal(42, days.Count);
        Assert.Equal(("2026-02-23", "2026-04-05"), (days[0], days[^1]));
        Assert.Equal("Mon", cut.FindAll("[data-testid=weekday]")[0].TextContent);
        Assert.Equal("March 2026", cut.Find("#calendar-title").TextContent);
        var task = Assert.Single(cut.FindAll("[data-item-id='1']"));
        Assert.Equal("Task: Call Maria, Tuesday, 10 March 2026 10:00", task.GetAttribute("aria-label"));
        Assert.Contains("10:00", task.TextContent, StringComparison.Ordinal);
        // The trip is one bar in the week of 23 March (Friday to Sunday) and one in the next (Monday and Tuesday).
        Assert.Equal(
            ["grid-column: 5 / span 3; grid-row: 2", "grid-column: 1 / span 2; grid-row: 2"],
            cut.FindAll("[data-item-id='2']").Select(StyleWithoutColor));
        Assert.Equal([new CalendarRange(new DateOnly(2026, 2, 23), new DateOnly(2026, 4, 5))], ranges);
    }

    [Fact]
    public async Task German_weeks_start_on_monday_with_german_day_names()
    {
        await using var ctx = NewContext("de-DE");

        var cut = Render(ctx, [], CalendarView.Week);

        Assert.Equal(
            ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
            cut.FindAll(".crm-cal-dayname").Select(n => n.TextContent.TrimEnd('.')));
        Assert.Equal("2026-03-23", cut.FindAll("[data-testid=dayhead]")[0].GetAttribute("data-day"));
        Assert.Equal("Heute", cut.Find("#calendar-today").TextContent.Trim());
        Assert.Equal("Woche", cut.Find("#calendar-view-week").TextContent.Trim());
        cut.Find("#calendar-view-month").Click();
        Assert.Equal("März 2026", cut.Find("#calendar-title").TextContent);
        Assert.Equal("Mo", cut.FindAll("[data-testid=weekday]")[0].TextContent.TrimEnd('.'));
    }

    [Theory]
    [InlineData("en-GB", "Mon")]
    [InlineData("de-DE", "Mo")]
    [InlineData("it-IT", "lun")]
    public async Task Weeks_start_on_monday_in_every_language_the_app_speaks(string culture, string monday)
    {
        await using var ctx = NewContext(culture);

        var cut = Render(ctx, []);

        Assert.Equal("2026-02-23", cut.FindAll(".crm-cal-day")[0].GetAttribute("data-day"));
        Assert.Equal(monday, cut.FindAll("[data-testid=weekday]")[0].TextContent);
    }

    [Theory]
    [InlineData(CalendarView.Month)]
    [InlineData(CalendarView.Week)]
    [InlineData(CalendarView.Day)]
    public async Task Every_button_and_link_of_the_calendar_has_a_name(CalendarView view)
    {
        await using var ctx = NewContext("en-GB");
        var call = CalendarItem.Timed(1, CalendarItemKind.Task, "Call Maria", Utc(2026, 3, 25, 9, 0), Utc(2026, 3, 25, 9, 0));
        var trip = CalendarItem.AllDay(2, CalendarItemKind.Event, "School trip", new DateOnly(2026, 3, 25), new DateOnly(2026, 3, 26));

        var cut = Render(ctx, [call, trip], view);

        var controls = cut.FindAll("button, a");
        Assert.NotEmpty(controls);
        Assert.All(controls, c => Assert.False(
            string.IsNullOrWhiteSpace(c.GetAttribute("aria-label")) && string.IsNullOrWhiteSpace(c.TextContent),
            $"unnamed: {c.OuterHtml}"));
        Assert.All(cut.FindAll("[data-item-id]"), i => Assert.Contains("Wednesday, 25 March 2026", i.GetAttribute("aria-label"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_culture_whose_week_starts_on_sunday_starts_the_month_on_sunday()
    {
        await using var ctx = NewContext("en-US");

        var cut = Render(ctx, []);

        Assert.Equal("2026-03-01", cut.FindAll(".crm-cal-day")[0].GetAttribute("data-day"));
        Assert.Equal("Sun", cut.FindAll("[data-testid=weekday]")[0].TextContent);
    }

    [Fact]
    public async Task A_week_across_the_spring_forward_shows_every_item_at_its_wall_clock_hour()
    {
        await using var ctx = NewContext("en-GB");
        var week = new CalendarRange(new DateOnly(2026, 3, 23), new DateOnly(2026, 3, 29));
        var items = week.Days.Select((day, i) => CalendarItem.Timed(i, CalendarItemKind.Event, $"Lesson {i}", LocalToUtc(day, 9, 0), LocalToUtc(day, 10, 0))).ToList();

        var cut = Render(ctx, items, CalendarView.Week, new DateOnly(2026, 3, 29));

        foreach (var (day, i) in week.Days.Select((d, i) => (d, i)))
        {
            var item = Assert.Single(ItemsInColumn(cut, day));
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), item.GetAttribute("data-item-id"));
            Assert.Equal("09:00", item.PreviousElementSibling!.GetAttribute("data-time"));
            Assert.StartsWith("top: 37.5%; height: 4.167%;", StyleWithoutColor(item), StringComparison.Ordinal);
            Assert.Contains("09:00 – 10:00", item.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task On_the_fall_back_day_both_half_past_twos_show_at_half_past_two_side_by_side()
    {
        await using var ctx = NewContext("en-GB");
        var summer = CalendarItem.Timed(1, CalendarItemKind.Task, "Summer time", Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 25, 0, 30));
        var winter = CalendarItem.Timed(2, CalendarItemKind.Task, "Winter time", Utc(2026, 10, 25, 1, 30), Utc(2026, 10, 25, 1, 30));

        var cut = Render(ctx, [summer, winter], CalendarView.Day, new DateOnly(2026, 10, 25));

        var items = ItemsInColumn(cut, new DateOnly(2026, 10, 25));
        Assert.Equal(["1", "2"], items.Select(i => i.GetAttribute("data-item-id")));
        Assert.All(items, i => Assert.Contains("02:30", i.TextContent, StringComparison.Ordinal));
        Assert.Equal(
            ["top: 10.417%; height: 2.083%; left: 0%; width: 50%", "top: 10.417%; height: 2.083%; left: 50%; width: 50%"],
            items.Select(StyleWithoutColor));
        Assert.Equal("Sunday, 25 October 2026", cut.Find("#calendar-title").TextContent);
    }

    [Fact]
    public async Task A_timed_item_crossing_midnight_shows_on_both_days_of_the_week()
    {
        await using var ctx = NewContext("en-GB");
        var night = CalendarItem.Timed(1, CalendarItemKind.Event, "Night watch", Utc(2026, 3, 24, 21, 0), Utc(2026, 3, 25, 1, 0));

        var cut = Render(ctx, [night], CalendarView.Week);

        Assert.StartsWith("top: 91.667%", StyleWithoutColor(Assert.Single(ItemsInColumn(cut, new DateOnly(2026, 3, 24)))), StringComparison.Ordinal);
        Assert.StartsWith("top: 0%", StyleWithoutColor(Assert.Single(ItemsInColumn(cut, new DateOnly(2026, 3, 25)))), StringComparison.Ordinal);
        Assert.Empty(ItemsInColumn(cut, new DateOnly(2026, 3, 26)));
    }

    [Fact]
    public async Task A_multi_day_event_is_one_bar_across_its_days_in_the_week_view()
    {
        await using var ctx = NewContext("en-GB");
        var trip = CalendarItem.AllDay(2, CalendarItemKind.Event, "School trip", new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 31));

        var cut = Render(ctx, [trip], CalendarView.Week);

        var bar = Assert.Single(cut.FindAll("[data-item-id='2']"));
        Assert.Equal("grid-column: 5 / span 3; grid-row: 1", StyleWithoutColor(bar));
        Assert.Equal("Event: School trip, Friday, 27 March 2026 – Tuesday, 31 March 2026, all day", bar.GetAttribute("aria-label"));
        Assert.All(cut.FindAll("[data-testid=day-column]"), c => Assert.Empty(c.QuerySelectorAll("[data-item-id]")));
    }

    [Fact]
    public async Task A_week_opens_at_seven_or_at_an_earlier_first_item_and_keeps_the_scroll_while_its_days_stay()
    {
        await using var ctx = NewContext("en-GB");
        var module = ctx.JSInterop.SetupModule("./Components/Calendar/CalendarTimeGrid.razor.js");
        var early = CalendarItem.Timed(1, CalendarItemKind.Task, "Early call", LocalToUtc(new DateOnly(2026, 4, 2), 5, 30), LocalToUtc(new DateOnly(2026, 4, 2), 5, 30));

        var cut = Render(ctx, [early], CalendarView.Week);
        cut.Render(p => p.Add(c => c.Items, [early]));
        cut.Find("#calendar-next").Click();

        Assert.Equal([7, 5], module.VerifyInvoke("scrollToHour", 2).Select(i => (int)i.Arguments[1]!));
    }

    [Fact]
    public async Task Previous_next_and_today_move_the_range_and_report_it()
    {
        await using var ctx = NewContext("en-GB");
        var cut = Render(ctx, []);

        cut.Find("#calendar-next").Click();
        Assert.Equal("April 2026", cut.Find("#calendar-title").TextContent);
        cut.Find("#calendar-previous").Click();
        cut.Find("#calendar-previous").Click();
        Assert.Equal("February 2026", cut.Find("#calendar-title").TextContent);
        cut.Find("#calendar-today").Click();
        cut.Find("#calendar-view-week").Click();
        cut.Find("#calendar-next").Click();
        cut.Find("#calendar-view-day").Click();
        cut.Find("#calendar-previous").Click();

        Assert.Equal(
            [
                Range(2026, 2, 23, 2026, 4, 5),
                Range(2026, 3, 30, 2026, 5, 3),
                Range(2026, 2, 23, 2026, 4, 5),
                Range(2026, 1, 26, 2026, 3, 1),
                Range(2026, 2, 23, 2026, 4, 5),
                Range(2026, 3, 23, 2026, 3, 29),
                Range(2026, 3, 30, 2026, 4, 5),
                Range(2026, 4, 1, 2026, 4, 1),
                Range(2026, 3, 31, 2026, 3, 31),
            ],
            ranges);
        Assert.Equal("Previous day", cut.Find("#calendar-previous").GetAttribute("aria-label"));
        Assert.Equal("true", cut.Find("#calendar-view-day").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task A_page_bound_to_the_view_and_the_date_hears_each_new_range_once()
    {
        await using var ctx = NewContext("en-GB");

        var host = ctx.Render<BoundPage>(p => p.Add(h => h.Ranges, ranges));
        host.Find("[data-day-number='2026-03-12']").Click();
        host.Find("#calendar-view-week").Click();

        Assert.Equal([Range(2026, 2, 23, 2026, 4, 5), Range(2026, 3, 12, 2026, 3, 12), Range(2026, 3, 9, 2026, 3, 15)], ranges);
        Assert.Equal((CalendarView.Week, new DateOnly(2026, 3, 12)), (host.Instance.View, host.Instance.Date));
    }

    [Fact]
    public async Task Clicking_an_item_calls_back_with_it()
    {
        await using var ctx = NewContext("en-GB");
        var call = CalendarItem.Timed(1, CalendarItemKind.Task, "Call Maria", Utc(2026, 3, 25, 9, 0), Utc(2026, 3, 25, 9, 0));

        var cut = Render(ctx, [call], CalendarView.Day);
        cut.Find("[data-item-id='1']").Click();

        Assert.Equal([call], clickedItems);
        Assert.Empty(clickedSlots);
    }

    [Fact]
    public async Task An_item_with_an_address_is_a_link()
    {
        await using var ctx = NewContext("en-GB");
        var call = CalendarItem.Timed(1, CalendarItemKind.Task, "Call Maria", Utc(2026, 3, 25, 9, 0), Utc(2026, 3, 25, 9, 0)) with { Href = "/tasks/1" };

        var cut = Render(ctx, [call]);

        var link = cut.Find("a[data-item-id='1']");
        Assert.Equal("/tasks/1", link.GetAttribute("href"));
    }

    [Fact]
    public async Task Clicking_an_empty_day_of_the_month_asks_for_a_new_item_on_that_day()
    {
        await using var ctx = NewContext("en-GB");

        var cut = Render(ctx, []);
        var day = cut.Find(".crm-cal-day[data-day='2026-03-12']");
        Assert.Equal("New on Thursday, 12 March 2026", day.GetAttribute("aria-label"));
        day.Click();

        Assert.Equal([new CalendarSlot(new DateOnly(2026, 3, 12), null)], clickedSlots);
    }

    [Fact]
    public async Task Clicking_an_hour_of_the_week_asks_for_a_new_item_at_that_time_and_the_all_day_row_for_the_day()
    {
        await using var ctx = NewContext("en-GB");

        var cut = Render(ctx, [], CalendarView.Week);
        var slot = Column(cut, new DateOnly(2026, 3, 26)).QuerySelector("[data-time='14:00']")!;
        Assert.Equal("New on Thursday, 26 March 2026 at 14:00", slot.GetAttribute("aria-label"));
        slot.Click();
        cut.Find(".crm-cal-allday-slot[data-day='2026-03-27']").Click();

        Assert.Equal([new CalendarSlot(new DateOnly(2026, 3, 26), new TimeOnly(14, 0)), new CalendarSlot(new DateOnly(2026, 3, 27), null)], clickedSlots);
    }

    [Fact]
    public async Task A_done_task_is_struck_through_and_says_so()
    {
        await using var ctx = NewContext("en-GB");
        var done = CalendarItem.Timed(1, CalendarItemKind.Task, "Call Maria", Utc(2026, 3, 25, 9, 0), Utc(2026, 3, 25, 9, 0)) with { Done = true, Color = "#43A047" };

        var cut = Render(ctx, [done]);

        var item = cut.Find("[data-item-id='1']");
        Assert.Contains("crm-cal-item-done", item.ClassList);
        Assert.EndsWith(", done", item.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.StartsWith("--crm-cal-item-color:#43A047;", item.GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_with_more_items_than_it_shows_offers_the_rest_which_opens_the_day()
    {
        await using var ctx = NewContext("en-GB");
        var items = Enumerable.Range(1, 5)
            .Select(i => CalendarItem.Timed(i, CalendarItemKind.Task, $"Call {i}", Utc(2026, 3, 12, 7 + i, 0), Utc(2026, 3, 12, 7 + i, 0)))
            .ToList();

        var cut = Render(ctx, items);
        Assert.Equal(3, cut.FindAll("[data-item-id]").Count);
        var more = cut.Find("[data-more='2026-03-12']");
        Assert.Equal("+2 more", more.TextContent);
        more.Click();

        Assert.Equal("Thursday, 12 March 2026", cut.Find("#calendar-title").TextContent);
        Assert.Equal(5, ItemsInColumn(cut, new DateOnly(2026, 3, 12)).Count);
        Assert.Equal(Range(2026, 3, 12, 2026, 3, 12), ranges[^1]);
    }

    [Fact]
    public async Task The_calendar_follows_a_date_the_page_changes()
    {
        await using var ctx = NewContext("en-GB");

        var cut = Render(ctx, [], CalendarView.Week);
        cut.Render(p => p.Add(c => c.Date, new DateOnly(2026, 5, 13)));

        Assert.Equal(Range(2026, 5, 11, 2026, 5, 17), ranges[^1]);
        Assert.Equal("2026-05-11", cut.FindAll("[data-testid=dayhead]")[0].GetAttribute("data-day"));
    }

    /// <summary>A page that keeps the calendar's view and date (as one would in its address) with @bind.</summary>
    private sealed class BoundPage : ComponentBase
    {
        [Parameter]
        public List<CalendarRange> Ranges { get; set; } = [];

        public CalendarView View { get; private set; } = CalendarView.Month;

        public DateOnly? Date { get; private set; }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenComponent<CrmCalendar>(0);
            builder.AddAttribute(1, nameof(CrmCalendar.View), View);
            builder.AddAttribute(2, nameof(CrmCalendar.ViewChanged), EventCallback.Factory.Create<CalendarView>(this, v => View = v));
            builder.AddAttribute(3, nameof(CrmCalendar.Date), Date);
            builder.AddAttribute(4, nameof(CrmCalendar.DateChanged), EventCallback.Factory.Create<DateOnly?>(this, d => Date = d));
            builder.AddAttribute(5, nameof(CrmCalendar.RangeChanged), EventCallback.Factory.Create<CalendarRange>(this, Ranges.Add));
            builder.CloseComponent();
        }
    }

    private static BunitContext NewContext(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 3, 25, 9, 0, 0, TimeSpan.Zero));
        ctx.Services.AddSingleton(new SchoolClock(now, Rome));
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        return ctx;
    }

    private IRenderedComponent<CrmCalendar> Render(BunitContext ctx, IReadOnlyList<CalendarItem> items, CalendarView view = CalendarView.Month, DateOnly? date = null) =>
        ctx.Render<CrmCalendar>(p => p
            .Add(c => c.Items, items)
            .Add(c => c.View, view)
            .Add(c => c.Date, date)
            .Add(c => c.RangeChanged, ranges.Add)
            .Add(c => c.OnItemClick, clickedItems.Add)
            .Add(c => c.OnSlotClick, clickedSlots.Add));

    private static IElement Column(IRenderedComponent<CrmCalendar> cut, DateOnly day) =>
        cut.Find($"[data-testid=day-column][data-day='{day:yyyy-MM-dd}']");

    private static IReadOnlyList<IElement> ItemsInColumn(IRenderedComponent<CrmCalendar> cut, DateOnly day) =>
        [.. Column(cut, day).QuerySelectorAll("[data-item-id]")];

    /// <summary>The layout part of an item's style (an item without its own colour has no colour in it).</summary>
    private static string StyleWithoutColor(IElement item) =>
        System.Text.RegularExpressions.Regex.Replace(item.GetAttribute("style") ?? "", "^--crm-cal-item-color:[^;]*;", "");

    private static CalendarRange Range(int y1, int m1, int d1, int y2, int m2, int d2) => new(new DateOnly(y1, m1, d1), new DateOnly(y2, m2, d2));
}
