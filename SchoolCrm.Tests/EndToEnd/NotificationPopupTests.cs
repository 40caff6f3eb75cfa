using Microsoft.Playwright;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>The live popup of a task assignment in Chromium: every open tab of the assignee, nobody else.</summary>
public sealed class NotificationPopupTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const string Password = "Test-Pass-1234!";
    private const string Connected = "html[data-notifications=connected]";

    [Fact]
    public async Task A_task_assigned_with_immediate_notification_pops_up_in_every_tab_of_the_assignee_and_nowhere_else()
    {
        var carla = await App.NewOperatorAsync("Carla Creator");
        var anna = await App.NewOperatorAsync("Anna Assignee");
        var annas = await NewContextAsync();
        var annaTab1 = await SignedInTabAsync(annas, anna, "/leads");
        var annaTab2 = await OpenTabAsync(annas, "/tasks");
        var carlaTab = await SignedInTabAsync(await NewContextAsync(), carla, "/leads");

        var typeId = await App.FirstTaskTypeIdAsync();
        var title = LeadTestData.Unique("Call the parents");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: title) with { NotifyAssignee = true }));

        foreach (var tab in new[] { annaTab1, annaTab2 })
        {
            var popup = tab.Locator(".notification-popup", new() { HasText = title });
            await Expect(popup).ToBeVisibleAsync();
            await Expect(popup).ToContainTextAsync("New task for you");
            await Expect(tab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "1");
        }

        // Carla's tab hears only what is hers: a task for her pops up there, Anna's never did.
        var forCarla = LeadTestData.Unique("Sign the form");
        await App.TasksAsync(anna, false, t => t.CreateAsync(TaskTestData.Input(carla.Id, typeId, title: forCarla) with { NotifyAssignee = true }));
        await Expect(carlaTab.Locator(".notification-popup", new() { HasText = forCarla })).ToBeVisibleAsync();
        await Expect(carlaTab.Locator(".notification-popup", new() { HasText = title })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_operator_who_was_offline_sees_the_notification_under_the_bell_at_sign_in_and_marks_it_read()
    {
        var carla = await App.NewOperatorAsync("Carla Creator");
        var anna = await App.NewOperatorAsync("Anna Assignee");
        var typeId = await App.FirstTaskTypeIdAsync();
        var title = LeadTestData.Unique("Prepare the contract");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: title) with { NotifyAssignee = true }));

        var tab = await SignedInTabAsync(await NewContextAsync(), anna, "/leads");
        await Expect(tab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "1");
        await tab.Locator("#notification-bell button").ClickAsync();
        await Expect(tab.Locator("#notification-menu")).ToContainTextAsync(title);
        await tab.ClickAsync("#notification-mark-all");
        await Expect(tab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "0");
    }

    private async Task<IPage> SignedInTabAsync(IBrowserContext context, AppUser user, string path)
    {
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, user.Email!, Password);
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync(Connected, new() { State = WaitForSelectorState.Attached });
        return page;
    }

    private async Task<IPage> OpenTabAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync(Connected, new() { State = WaitForSelectorState.Attached });
        return page;
    }
}
