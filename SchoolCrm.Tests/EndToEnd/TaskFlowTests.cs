using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Students;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Hosting;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>
/// Issue 10's flow in Chromium with the real clock: a task added on a lead for tomorrow 10:00 is on My tasks in the
/// section its date says, on the calendar at 10:00 of that day, is ticked done on My tasks and shows done on the lead.
/// </summary>
public sealed class TaskFlowTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    [Fact]
    public async Task A_task_added_on_a_lead_for_tomorrow_ten_oclock_is_on_my_tasks_and_the_calendar_and_done_on_the_lead_page()
    {
        var admin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var clock = App.Services.GetRequiredService<SchoolClock>();
        var lead = await App.Services.AddLeadAsync(new PersonDetails { FirstName = "Giulia", LastName = "Flusso", CaptureDate = clock.Today }, admin.Id);
        var title = LeadTestData.Unique("Call Giulia's parents");

        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync($"/leads/{lead.Id}");
        await WaitForInteractiveAsync(page);

        // Add task: the dialog starts on tomorrow; the deadline time becomes 10:00.
        await page.ClickAsync("#add-task");
        await Expect(page.Locator("#task-dialog input#task-title")).ToBeVisibleAsync();
        await page.FillAsync("#task-dialog input#task-title", title);
        var time = page.Locator("#task-dialog input#task-deadline-time");
        await time.FillAsync("10:00");
        await time.PressAsync("Tab");
        await Expect(time).ToHaveValueAsync("10:00");
        await page.ClickAsync("#task-save");
        await Expect(page.Locator("#task-dialog")).ToHaveCountAsync(0);
        await Expect(page.Locator("#record-open-tasks")).ToContainTextAsync(title);

        var tomorrow = clock.Today.AddDays(1);
        int taskId;
        await using (var db = await App.Services.DbAsync())
        {
            var task = await db.Tasks.SingleAsync(t => t.Title == title);
            Assert.Equal((lead.Id, tomorrow.ToDateTime(new TimeOnly(10, 0))), (task.LeadId, clock.ToSchoolTime(task.DeadlineUtc)));
            taskId = task.Id;
        }

        // My tasks: in the section the date says (the app's English weeks start as CultureInfo("en") says).
        var bounds = TaskBucketBounds.At(clock.UtcNow, clock.Zone, new CultureInfo("en").DateTimeFormat.FirstDayOfWeek);
        var section = bounds.Of(clock.ToUtc(tomorrow, new TimeOnly(10, 0), "Deadline"), isDone: false);
        Assert.True(section is TaskBucket.ThisWeek or TaskBucket.Later, $"tomorrow is in {section}");
        await page.ClickAsync("#nav-leads");
        await page.ClickAsync("#my-tasks");
        await page.ClickAsync($"#section-{section}");
        await Expect(page.Locator($"#task-{taskId}")).ToContainTextAsync(title);

        // The calendar's day view of tomorrow: the task sits in the 10:00 slot.
        await page.GotoAsync($"/calendar?view=day&date={tomorrow:yyyy-MM-dd}");
        await WaitForInteractiveAsync(page);
        var column = page.Locator($"[data-testid=day-column][data-day='{tomorrow:yyyy-MM-dd}']");
        await Expect(column.Locator(".crm-cal-hour-slot[data-time='10:00'] + [data-kind=Task]")).ToContainTextAsync(title);

        // Done from My tasks; the lead page then lists it among the done ones.
        await page.GotoAsync("/tasks");
        await WaitForInteractiveAsync(page);
        await page.ClickAsync($"#section-{section}");
        // A click, not CheckAsync: ticking it moves the task out of this section, and CheckAsync, which looks
        // whether the box it clicked is ticked, then waited for a box that was gone (it timed out once in a full run).
        await page.Locator($"input#task-done-{taskId}").ClickAsync();
        await Expect(page.Locator($"#task-{taskId}")).ToHaveCountAsync(0);
        await page.ClickAsync("#section-Done");
        await Expect(page.Locator($"#task-{taskId}")).ToContainTextAsync(title);

        await page.GotoAsync($"/leads/{lead.Id}");
        await WaitForInteractiveAsync(page);
        await Expect(page.Locator("#record-open-tasks")).ToHaveCountAsync(0);
        var done = page.Locator("#record-done-tasks");
        await done.ClickAsync();
        await Expect(done.Locator($"#record-task-{taskId}")).ToContainTextAsync(title);
        await Expect(done.Locator($"input#record-task-done-{taskId}")).ToBeCheckedAsync();
    }
}
