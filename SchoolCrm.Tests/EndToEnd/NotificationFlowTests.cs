using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Students;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>
/// The whole flow in two browsers: an admin assigns a task with immediate notification, only the assignee's
/// page pops it up, the assignee opens it from the popup and marks it done, and a reminder a minute ahead pops up
/// when the test moves the app's clock past it.
/// </summary>
public sealed class NotificationFlowTests(NotificationFlowTests.ClockServer server, ITestOutputHelper output)
    : BrowserTest<NotificationFlowTests.ClockServer>(server, output)
{
    private const string Password = "Test-Pass-1234!";
    private const string Connected = "html[data-notifications=connected]";

    [Fact]
    public async Task An_assignment_pops_up_for_the_assignee_only_who_opens_and_finishes_it_and_a_reminder_pops_up_on_time()
    {
        var bruno = await App.NewOperatorAsync("Bruno Receiver");
        var carla = await App.NewOperatorAsync("Carla Bystander");
        var brunoTab = await SignedInTabAsync(bruno, "/tasks");
        var carlaTab = await SignedInTabAsync(carla, "/tasks");

        // The admin gives Bruno a task from "My tasks", with the immediate notification ticked.
        var title = LeadTestData.Unique("Call the parents");
        var admin = await NewPageAsync();
        await SignIn.AsAsync(admin, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await admin.GotoAsync("/tasks");
        await WaitForInteractiveAsync(admin);
        await admin.ClickAsync("#new-task");
        await Expect(admin.Locator("#task-dialog input#task-title")).ToBeVisibleAsync();
        await admin.Locator("div.mud-select").Filter(new() { Has = admin.Locator("#task-assignee") }).First.ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Bruno Receiver", Exact = true }).ClickAsync();
        await Expect(admin.Locator("#task-assignee")).ToHaveValueAsync("Bruno Receiver");
        await admin.FillAsync("#task-dialog input#task-title", title);
        await admin.Locator("#task-dialog #task-notify").CheckAsync();
        await admin.ClickAsync("#task-save");
        await Expect(admin.Locator("#task-dialog")).ToHaveCountAsync(0);

        var popup = brunoTab.Locator(".mud-snackbar", new() { HasText = title });
        await Expect(popup).ToContainTextAsync("New task for you");
        await Expect(brunoTab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "1");
        await Expect(carlaTab.Locator(".notification-popup")).ToHaveCountAsync(0);
        await Expect(carlaTab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "0");

        // Bruno opens the task from the popup and marks it done.
        await popup.GetByRole(AriaRole.Button, new() { Name = "Open task" }).ClickAsync();
        await Expect(brunoTab.Locator("#task-heading")).ToHaveTextAsync(title);
        await brunoTab.ClickAsync("#task-complete");
        await Expect(brunoTab.Locator("#task-reopen")).ToBeVisibleAsync();
        await Expect(brunoTab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "0");

        // A task of Bruno's own with a reminder at its deadline, two minutes ahead (the form's minutes).
        var clock = App.Services.GetRequiredService<SchoolClock>();
        var deadline = clock.ToSchoolTime(clock.UtcNow.AddMinutes(2));
        var reminderTitle = LeadTestData.Unique("Leave for the open day");
        var input = TaskTestData.Input(bruno.Id, await App.FirstTaskTypeIdAsync(), title: reminderTitle,
            date: DateOnly.FromDateTime(deadline), time: new TimeOnly(deadline.Hour, deadline.Minute)) with { Reminder = TaskReminder.AtDeadline };
        await App.TasksAsync(bruno, false, t => t.CreateAsync(input));
        await Expect(brunoTab.Locator(".notification-popup", new() { HasText = reminderTitle })).ToHaveCountAsync(0);

        // The test moves the app's clock past the deadline: the reminder pops up in Bruno's page, nowhere else.
        Server.Clock.Advance(TimeSpan.FromMinutes(3));
        App.Services.GetRequiredService<ReminderWakeUp>().Poke();
        await Expect(brunoTab.Locator(".notification-popup", new() { HasText = reminderTitle })).ToContainTextAsync("Reminder");
        await Expect(carlaTab.Locator(".notification-popup", new() { HasText = reminderTitle })).ToHaveCountAsync(0);
        await using var db = await App.Services.DbAsync();
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == bruno.Id && n.TaskTitle == reminderTitle));
    }

    private async Task<IPage> SignedInTabAsync(AppUser user, string path)
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        await SignIn.AsAsync(page, user.Email!, Password);
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync(Connected, new() { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>The app on Kestrel with a clock the test can move forward (real time plus an offset).</summary>
    public sealed class ClockServer : CrmServerFixture
    {
        public ShiftedClock Clock { get; } = new();

        protected override CrmAppFactory CreateApp() => new ClockApp(Clock);

        private sealed class ClockApp(ShiftedClock clock) : CrmAppFactory
        {
            protected override void ConfigureWebHost(IWebHostBuilder builder)
            {
                base.ConfigureWebHost(builder);
                builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
            }
        }
    }

    /// <summary>The system clock moved forward by what the test says; timers run in real time.</summary>
    public sealed class ShiftedClock : TimeProvider
    {
        private long offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
    }
}
