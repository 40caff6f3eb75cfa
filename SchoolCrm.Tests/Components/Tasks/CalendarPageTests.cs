using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.Equal($"/tasks/{call}", callItem.GetAttribute("href"));
        Assert.Equal("Task: Call Maria, Thursday, 3 December 2026 10:00", callItem.GetAttribute("aria-label"));
        Assert.Contains("grid-column: 4 / span 1;", callItem.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains($"--crm-cal-item-color:{CalendarPalette.For(await App.FirstTaskTypeIdAsync())}", callItem.GetAttribute("style"), StringComparison.Ordinal);
        Assert.DoesNotContain("crm-cal-item-done", callItem.ClassName, StringComparison.Ordinal);
        Assert.Contains("crm-cal-item-done", Item(page, CalendarItemKind.Task, sent).ClassName, StringComparison.Ordinal);
        // The two-day trip is one bar over 10 and 11 December.
        Assert.Equal($"/events/{trip}", Item(page, CalendarItemKind.Event, trip).GetAttribute("href"));
        Assert.Contains("span 2", Item(page, CalendarItemKind.Event, trip).GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal($"/events/{openDay}", Item(page, CalendarItemKind.Event, openDay).GetAttribute("href"));
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

    private static AngleSharp.Dom.IElement Item(IRenderedComponent<CalendarPage> page, CalendarItemKind kind, int id) =>
        page.Find($"[data-kind={kind}][data-item-id='{id}']");

    private static List<string> Titles(IRenderedComponent<CalendarPage> page) =>
        [.. page.FindAll("[data-item-id]").Select(i => i.GetAttribute("aria-label")!.Split(',')[0].Split(": ", 2)[1]).Order(StringComparer.Ordinal)];
}
