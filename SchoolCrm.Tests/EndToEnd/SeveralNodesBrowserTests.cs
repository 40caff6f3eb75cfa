using Microsoft.Playwright;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Nodes;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>
/// Two app nodes (Kestrel on 127.0.0.1, one database, the test Redis) and Chromium: what issue 12 promises a user of a
/// school with several nodes, seen in the browser.
/// </summary>
public sealed class SeveralNodesBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string NotificationsConnected = "html[data-notifications=connected]";

    private readonly List<IBrowserContext> contexts = [];

    [Fact]
    public async Task A_user_whose_node_stops_comes_back_on_the_other_node_by_themselves_still_signed_in()
    {
        // The first node's folder holds the database file, so the node that stops is the second.
        var nodes = AppNode.StartMany(2);
        await using var b = nodes[0];
        var a = nodes[1];
        await using var balancer = new TcpForwarder(a.ServerAddress);
        var anna = await b.NewOperatorAsync("Anna Failover");
        var carla = await b.NewOperatorAsync("Carla Creator");
        var page = await NewPageAsync(balancer.Address);
        await SignIn.AsAsync(page, anna.Email!, AppNode.Password);
        await page.GotoAsync("/tasks");
        await page.WaitForSelectorAsync(NotificationsConnected, new() { State = WaitForSelectorState.Attached });
        // A mark in this document's memory, to tell below that the page came back through a reload of its own.
        await page.EvaluateAsync("() => window.onNodeA = true");

        // Node A stops (its circuits and data folder with it); the balancer then sends everything to B.
        await a.DisposeAsync();
        balancer.SwitchTo(b.ServerAddress);

        // Blazor reconnects, B does not know the circuit and rejects it, and the page reloads itself from B. Nobody
        // clicks or reloads here: the test only waits for that new page to be interactive.
        await page.WaitForFunctionAsync(
            "() => window.onNodeA === undefined && document.querySelector('" + BrowserTest.CircuitReadySelector + "') !== null",
            null,
            new() { Timeout = 90_000, PollingInterval = 250 });
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tasks$"));
        await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();

        // B accepted the cookie for the hub too: a task assigned through B pops up in the page.
        await page.WaitForSelectorAsync(NotificationsConnected, new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        var typeId = await b.FirstTaskTypeIdAsync();
        var title = LeadTestData.Unique("After the failover");
        await b.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: title) with { NotifyAssignee = true }));
        await Expect(page.Locator(".notification-popup", new() { HasText = title })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_task_assigned_through_node_A_pops_up_in_a_browser_connected_to_node_B()
    {
        var nodes = AppNode.StartMany(2);
        await using var a = nodes[0];
        await using var b = nodes[1];
        var carla = await a.NewOperatorAsync("Carla Creator");
        var anna = await a.NewOperatorAsync("Anna Assignee");
        var page = await NewPageAsync(b.ServerAddress);
        await SignIn.AsAsync(page, anna.Email!, AppNode.Password);
        await page.GotoAsync("/leads");
        await page.WaitForSelectorAsync(BrowserTest.CircuitReadySelector, new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync(NotificationsConnected, new() { State = WaitForSelectorState.Attached });

        var typeId = await a.FirstTaskTypeIdAsync();
        var title = LeadTestData.Unique("Call the parents");
        await a.TasksAsync(carla, false, t => t.CreateAsync(TaskTestData.Input(anna.Id, typeId, title: title) with { NotifyAssignee = true }));

        var popup = page.Locator(".notification-popup", new() { HasText = title });
        await Expect(popup).ToBeVisibleAsync();
        await Expect(popup).ToContainTextAsync("New task for you");
        await Expect(page.Locator("#notification-badge")).ToHaveAttributeAsync("data-unread", "1");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // The browser is already gone; the test's own result is what matters.
            }
        }
    }

    private async Task<IPage> NewPageAsync(string address)
    {
        var context = await SharedBrowser.NewContextAsync(address);
        contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Log($"[browser] console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Log($"[browser] page error: {error}");
        return page;
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has already finished.
        }
    }
}
