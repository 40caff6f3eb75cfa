using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Components.Calendar;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>
/// The calendar page over the real services and database: what it loads into CrmCalendar, and the address it keeps.
/// The clock stands at Wednesday 2 December 2026, 10:00 in Rome; the December month view runs 30 Nov .. 3 Jan.
/// </summary>
public sealed class CalendarPageTests : AppComponentTest<TasksApp>
{
    public CalendarPageTests(TasksApp app)
        : base(app)
    {
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<IConfiguration>());
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
    }

    private NavigationManager Navigation => Ctx.Services.GetRequiredService<NavigationManager>();

    private string Address => "/" + Navigation.ToBaseRelativePath(Navigation.Uri);

    [Fact]
    public async Task The_month_shows_my_tasks_at_their_deadline_and_my_events_each_linking_to_its_page()
    {
        var olga = await App.NewOperatorAsync("Olga Calendar");
        var otto = await App.NewOperatorAsync("Otto Calendar");
        var call = await App.NewTaskAsync(olga, olga, title: "Call Maria", date: new DateOnly(2026, 12, 3), time: new TimeOnly(10, 0));
        var sent = await App.NewTaskAsync(olga, olga, title: "Send the brochure", date: new DateOnly(2026, 12, 4), time: new TimeOnly(11, 0));
        await App.TasksAsync(olga, false, t => t.CompleteAsync(sent));
        await App.NewTaskAsync(otto, otto, title: "Otto's call", date: new DateOnly(2026, 12, 3), time: new TimeOnly(10, 0));
        var trip = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("School trip") with
        {
            AllDay = true, StartDate = new DateOnly(2026, 12, 10), StartTime = null, EndDate = new DateOnly(2026, 12, 11), EndTime = null,
        }));
        var openDay = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Open day")));
        await App.EventsAsync(otto, false, e => e.CreateAsync(TaskTestData.Event("Otto's meeting")));

        var page = RenderAs<CalendarPage>(olga, isAdmin: false);

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-item-id]").Count));
        Assert.Equal("December 2026", page.Find("#calendar-title").TextContent);
        var callItem = Item(page, CalendarItemKind.Task, call);
        Assert.Equal($"/tasks/{call}?returnUrl=%2Fcalendar", callItem.GetAttribute("href"));
        Assert.Equal("Task: Call Maria, Thursday, 3 December 2026 10:00", callItem.GetAttribute("aria-label"));
        Assert.Contains("grid-column: 4 / span 1;", callItem.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains($"--crm-cal-item-color:{CalendarPalette.For(await App.FirstTaskTypeIdAsync())}", callItem.GetAttribute("style"), StringComparison.Ordinal);
        Assert.DoesNotContain("crm-cal-item-done", callItem.ClassName, StringComparison.Ordinal);
        Assert.Contains("crm-cal-item-done", Item(page, CalendarItemKind.Task, sent).ClassName, StringComparison.Ordinal);
        // The two-day trip is one bar over 10 and 11 December.
        Assert.Equal($"/events/{trip}?returnUrl=%2Fcalendar", Item(page, CalendarItemKind.Event, trip).GetAttribute("href"));
        Assert.Contains("span 2", Item(page, CalendarItemKind.Event, trip).GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal($"/events/{openDay}?returnUrl=%2Fcalendar", Item(page, CalendarItemKind.Event, openDay).GetAttribute("href"));
        Assert.DoesNotContain("Otto", page.Find("[data-testid=calendar]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find($"#calendar-legend [data-type-id='{await App.FirstTaskTypeIdAsync()}']"));
    }

    [Fact]
    public async Task Moving_and_switching_the_view_keep_view_and_date_in_the_address_and_load_the_days_shown()
    {
        var olga = await App.NewOperatorAsync("Olga Moves");
        var january = await App.NewTaskAsync(olga, olga, title: "January call", date: new DateOnly(2027, 1, 5), time: new TimeOnly(9, 0));
        var page = RenderAs<CalendarPage>(olga, isAdmin: false);
        page.WaitForAssertion(() => Assert.Equal("December 2026", page.Find("#calendar-title").TextContent));
        Assert.Empty(page.FindAll("[data-item-id]"));

        await page.Find("#calendar-next").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal($"{january}", page.Find("[data-item-id]").GetAttribute("data-item-id")));
        Assert.Equal("/calendar?date=2027-01-02", Address);
        // An item's page leads back to the calendar as it is now.
        Assert.EndsWith("?returnUrl=%2Fcalendar%3Fdate%3D2027-01-02", Item(page, CalendarItemKind.Task, january).GetAttribute("href"), StringComparison.Ordinal);

        await page.Find("#calendar-view-week").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("/calendar?view=week&date=2027-01-02", Address));
        Assert.Equal("2026-12-28", page.FindAll("[data-testid=day-column]")[0].GetAttribute("data-day"));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-item-id]")));

        await page.Find("#calendar-today").ClickAsync(new());

        // Today is the default, so the address leaves the date out and a bookmark always opens on the day it is.
        page.WaitForAssertion(() => Assert.Equal("/calendar?view=week", Address));
        Assert.Equal("2026-11-30", page.FindAll("[data-testid=day-column]")[0].GetAttribute("data-day"));
    }

    [Fact]
    public async Task An_address_with_view_and_date_opens_that_day()
    {
        var olga = await App.NewOperatorAsync("Olga Address");
        var call = await App.NewTaskAsync(olga, olga, title: "Call at two", date: new DateOnly(2026, 12, 9), time: new TimeOnly(14, 0));

        var page = RenderAs<CalendarPage>(olga, isAdmin: false, address: "/calendar?view=day&date=2026-12-09");

        page.WaitForAssertion(() => Assert.Equal($"{call}", page.Find("[data-item-id]").GetAttribute("data-item-id")));
        Assert.Equal("Wednesday, 9 December 2026", page.Find("#calendar-title").TextContent);
        var column = Assert.Single(page.FindAll("[data-testid=day-column]"));
        Assert.Equal("2026-12-09", column.GetAttribute("data-day"));
        Assert.Equal("14:00", page.Find("[data-item-id]").PreviousElementSibling!.GetAttribute("data-time"));
    }

    [Fact]
    public async Task The_week_of_the_spring_forward_loads_through_the_services_and_shows_each_item_at_its_wall_clock_hour()
    {
        // Rome skips 02:00-02:59 on Sunday 28 March 2027: 01:30 is still CET, 03:30 already CEST, one hour apart.
        var olga = await App.NewOperatorAsync("Olga Spring");
        var before = await App.NewTaskAsync(olga, olga, title: "Before the switch", date: new DateOnly(2027, 3, 28), time: new TimeOnly(1, 30));
        var after = await App.NewTaskAsync(olga, olga, title: "After the switch", date: new DateOnly(2027, 3, 28), time: new TimeOnly(3, 30));
        var monday = await App.NewTaskAsync(olga, olga, title: "Monday", date: new DateOnly(2027, 3, 22), time: new TimeOnly(0, 30));

        var page = RenderAs<CalendarPage>(olga, isAdmin: false, address: "/calendar?view=week&date=2027-03-28");

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-item-id]").Count));
        Assert.Equal(("01:00", "2027-03-28"), SlotOf(page, before));
        Assert.Equal(("03:00", "2027-03-28"), SlotOf(page, after));
        Assert.Equal(("00:00", "2027-03-22"), SlotOf(page, monday));
    }

    [Fact]
    public async Task In_german_the_page_speaks_german_and_its_week_starts_on_monday()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
        var olga = await App.NewOperatorAsync("Olga Deutsch");

        var page = RenderAs<CalendarPage>(olga, isAdmin: false, address: "/calendar?view=week");

        page.WaitForAssertion(() => Assert.Equal("2026-11-30", page.FindAll("[data-testid=day-column]")[0].GetAttribute("data-day")));
        Assert.Equal("Kalender", page.Find("h1").TextContent);
        Assert.Equal("Meine Aufgaben und Termine", page.Find("#open-my-tasks").TextContent.Trim());
        Assert.Equal("Mo", page.FindAll(".crm-cal-dayname")[0].TextContent.TrimEnd('.'));
    }

    [Fact]
    public async Task An_admin_opens_another_operators_calendar_by_its_address()
    {
        var otto = await App.NewOperatorAsync("Otto Viewed");
        var admin = await App.NewOperatorAsync("Ada Admin");
        await App.NewTaskAsync(admin, admin, title: "Ada's task", date: new DateOnly(2026, 12, 3));
        await App.NewTaskAsync(otto, otto, title: "Otto's task", date: new DateOnly(2026, 12, 3));
        await App.EventsAsync(otto, false, e => e.CreateAsync(TaskTestData.Event("Otto's event")));

        var page = RenderAs<CalendarPage>(admin, isAdmin: true, address: CalendarUrl.For(CalendarView.Month, null, otto.Id));

        page.WaitForAssertion(() => Assert.Equal(["Otto's event", "Otto's task"], Titles(page)));
    }

    [Fact]
    public async Task An_admin_switches_to_another_operators_calendar_and_back_with_the_viewed_user_select()
    {
        var otto = await App.NewOperatorAsync("Otto Switched");
        var admin = await App.NewOperatorAsync("Ada Switching");
        await App.NewTaskAsync(admin, admin, title: "Ada's own", date: new DateOnly(2026, 12, 3));
        await App.NewTaskAsync(otto, otto, title: "Otto's own", date: new DateOnly(2026, 12, 3));
        var page = RenderAs<CalendarPage>(admin, isAdmin: true, address: "/calendar?view=week");
        page.WaitForAssertion(() => Assert.Equal(["Ada's own"], Titles(page)));
        var select = page.WaitForComponent<MudSelect<string>>();

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(otto.Id));

        page.WaitForAssertion(() => Assert.Equal(["Otto's own"], Titles(page)));
        Assert.Equal($"/calendar?view=week&user={otto.Id}", Address);
        Assert.Equal($"/tasks?user={otto.Id}", page.Find("#open-my-tasks").GetAttribute("href"));

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(admin.Id));

        page.WaitForAssertion(() => Assert.Equal(["Ada's own"], Titles(page)));
        Assert.Equal("/calendar?view=week", Address);
    }

    [Fact]
    public async Task An_operator_who_asks_for_another_operators_calendar_sees_their_own()
    {
        var olga = await App.NewOperatorAsync("Olga Own");
        var otto = await App.NewOperatorAsync("Otto Hidden");
        await App.NewTaskAsync(olga, olga, title: "Olga's task", date: new DateOnly(2026, 12, 3));
        await App.NewTaskAsync(otto, otto, title: "Otto's task", date: new DateOnly(2026, 12, 3));

        var page = RenderAs<CalendarPage>(olga, isAdmin: false, address: CalendarUrl.For(CalendarView.Month, null, otto.Id));

        page.WaitForAssertion(() => Assert.Equal(["Olga's task"], Titles(page)));
        Assert.Empty(page.FindAll("#calendar-error"));
    }

    [Fact]
    public async Task Clicking_an_hour_of_the_week_offers_a_new_task_due_then_and_the_saved_task_shows_in_that_slot()
    {
        var olga = await App.NewOperatorAsync("Olga Slot");
        var page = RenderAs<CalendarPage>(olga, isAdmin: false, address: "/calendar?view=week");
        var dialogs = Ctx.Render<MudDialogProvider>();

        // The page's handler waits for the dialogs, so the click completes only when the last one has closed.
        var clicking = page.WaitForElement("[data-testid=day-column][data-day='2026-12-03'] .crm-cal-hour-slot[data-time='14:00']").ClickAsync(new());
        Assert.Equal("Thursday, 3 December 2026, 14:00", dialogs.WaitForElement("#calendar-slot-when").TextContent);
        await dialogs.Find("#calendar-slot-task").ClickAsync(new());
        var title = dialogs.WaitForElement("#task-dialog input#task-title");
        Assert.Equal("03/12/2026", dialogs.Find("input#task-deadline-date").GetAttribute("value"));
        Assert.Equal("14:00", dialogs.Find("input#task-deadline-time").GetAttribute("value"));
        await title.InputAsync(new ChangeEventArgs { Value = "Call at two" });
        await dialogs.WaitForElement("#task-save:not([disabled])").ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.Equal(["Call at two"], Titles(page)));
        Assert.Equal("14:00", page.Find("[data-item-id]").PreviousElementSibling!.GetAttribute("data-time"));
        await using var db = App.Db();
        Assert.Equal(new DateTime(2026, 12, 3, 13, 0, 0), (await db.Tasks.SingleAsync(t => t.AssignedToUserId == olga.Id)).DeadlineUtc);
    }

    [Fact]
    public async Task Clicking_a_day_of_the_month_offers_a_new_all_day_event_on_it()
    {
        var olga = await App.NewOperatorAsync("Olga Day");
        var page = RenderAs<CalendarPage>(olga, isAdmin: false);
        var dialogs = Ctx.Render<MudDialogProvider>();

        var clicking = page.WaitForElement(".crm-cal-day[data-day='2026-12-10']").ClickAsync(new());
        Assert.Equal("Thursday, 10 December 2026, all day", dialogs.WaitForElement("#calendar-slot-when").TextContent);
        await dialogs.Find("#calendar-slot-event").ClickAsync(new());
        var title = dialogs.WaitForElement("#event-dialog input#event-title");
        Assert.True(dialogs.Find("input#event-all-day").HasAttribute("checked"));
        Assert.Equal("10/12/2026", dialogs.Find("input#event-start-date").GetAttribute("value"));
        await title.InputAsync(new ChangeEventArgs { Value = "Parents' evening" });
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.Equal(["Parents' evening"], Titles(page)));
        Assert.Contains("all day", page.Find("[data-item-id]").GetAttribute("aria-label"), StringComparison.Ordinal);
        await using var db = App.Db();
        var saved = await db.Events.SingleAsync(e => e.Title == "Parents' evening");
        Assert.Equal((true, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 10)), (saved.AllDay, saved.StartDate, saved.EndDate));
    }

    private static (string? Hour, string? Day) SlotOf(IRenderedComponent<CalendarPage> page, int taskId)
    {
        var item = Item(page, CalendarItemKind.Task, taskId);
        return (item.PreviousElementSibling!.GetAttribute("data-time"), item.ParentElement!.GetAttribute("data-day"));
    }

    private static AngleSharp.Dom.IElement Item(IRenderedComponent<CalendarPage> page, CalendarItemKind kind, int id) =>
        page.Find($"[data-kind={kind}][data-item-id='{id}']");

    private static List<string> Titles(IRenderedComponent<CalendarPage> page) =>
        [.. page.FindAll("[data-item-id]").Select(i => i.GetAttribute("aria-label")!.Split(',')[0].Split(": ", 2)[1]).Order(StringComparer.Ordinal)];
}
