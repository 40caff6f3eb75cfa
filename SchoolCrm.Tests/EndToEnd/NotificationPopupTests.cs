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

    [Fact]
    public async Task After_the_network_drops_and_comes_back_the_tab_fetches_what_it_missed_once_and_still_pops_up()
    {
        var carla = await App.NewOperatorAsync("Carla Creator");
        var anna = await App.NewOperatorAsync("Anna Assignee");
        var annas = await NewContextAsync();
        // Every WebSocket of Anna's tab (the circuit's and the hub's) goes through here, so the test can cut them.
        var sockets = new List<IWebSocketRoute>();
        await annas.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/(_blazor|hubs/notifications)"), page =>
        {
            lock (sockets)
            {
                sockets.Add(page);
            }

            page.ConnectToServer();
        });
        var tab = await SignedInTabAsync(annas, anna, "/leads");
        var typeId = await App.FirstTaskTypeIdAsync();

        // A mark in the page's memory: a reload (instead of a reconnect) would lose it, and the catch-up with it.
        await tab.EvaluateAsync("() => window.sameTab = true");

        // Offline: no request gets through, and the open sockets are cut (Chromium's offline mode leaves them open).
        await annas.SetOfflineAsync(true);
        IWebSocketRoute[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (var socket in open)
        {
            await socket.CloseAsync(new() { Code = 4000, Reason = "network down" });
        }

        await tab.WaitForSelectorAsync("html[data-notifications=reconnecting]", new() { State = WaitForSelectorState.Attached });
        var missed = LeadTestData.Unique("Missed while offline");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: missed) with { NotifyAssignee = true }));

        await annas.SetOfflineAsync(false);
        await tab.WaitForSelectorAsync(Connected, new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await Expect(tab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "1", new() { Timeout = 30_000 });

        var live = LeadTestData.Unique("After the reconnect");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: live) with { NotifyAssignee = true }));
        await Expect(tab.Locator(".notification-popup", new() { HasText = live })).ToBeVisibleAsync();
        await Expect(tab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "2");

        await tab.Locator("#notification-bell button").ClickAsync();
        await Expect(tab.Locator("#notification-menu .mud-menu-item", new() { HasText = missed })).ToHaveCountAsync(1);
        await Expect(tab.Locator("#notification-menu .mud-menu-item", new() { HasText = live })).ToHaveCountAsync(1);
        Assert.True(await tab.EvaluateAsync<bool>("() => window.sameTab === true"), "the page reloaded instead of reconnecting");
    }

    [Fact]
    public async Task After_signing_out_and_in_as_someone_else_the_tab_hears_only_the_new_user()
    {
        var carla = await App.NewOperatorAsync("Carla Creator");
        var anna = await App.NewOperatorAsync("Anna Assignee");
        var bruno = await App.NewOperatorAsync("Bruno Second");
        var typeId = await App.FirstTaskTypeIdAsync();
        var browser = await NewContextAsync();
        var tab = await SignedInTabAsync(browser, anna, "/leads");
        var annasFirst = LeadTestData.Unique("For Anna before");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: annasFirst) with { NotifyAssignee = true }));
        await Expect(tab.Locator(".notification-popup", new() { HasText = annasFirst })).ToBeVisibleAsync();

        await tab.Locator("#user-menu button").ClickAsync();
        await tab.Locator("#sign-out").ClickAsync();
        await Expect(tab).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await SignIn.AsAsync(tab, bruno.Email!, Password);
        await tab.GotoAsync("/leads");
        await WaitForInteractiveAsync(tab);
        await tab.WaitForSelectorAsync(Connected, new() { State = WaitForSelectorState.Attached });

        var annasSecond = LeadTestData.Unique("For Anna after");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: annasSecond) with { NotifyAssignee = true }));
        var brunos = LeadTestData.Unique("For Bruno");
        await App.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(bruno.Id, typeId, title: brunos) with { NotifyAssignee = true }));

        // Signals arrive in order: once Bruno's popup is there, Anna's (sent before it) would have been too.
        await Expect(tab.Locator(".notification-popup", new() { HasText = brunos })).ToBeVisibleAsync();
        await Expect(tab.Locator(".notification-popup", new() { HasText = annasSecond })).ToHaveCountAsync(0);
        await Expect(tab.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "1");
        await tab.Locator("#notification-bell button").ClickAsync();
        await Expect(tab.Locator("#notification-menu")).ToContainTextAsync(brunos);
        await Expect(tab.Locator("#notification-menu")).Not.ToContainTextAsync(annasFirst);
        await Expect(tab.Locator("#notification-menu")).Not.ToContainTextAsync(annasSecond);
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
