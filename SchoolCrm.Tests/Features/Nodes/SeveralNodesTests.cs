using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Tasks.Feed;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Features.Nodes;

/// <summary>
/// Two or three app nodes in one test process (Kestrel on 127.0.0.1, one database file, the test Redis as SignalR
/// backplane): what one node does, every other node sees (issue 12, "Several nodes").
/// </summary>
public sealed class SeveralNodesTests
{
    [Fact]
    public async Task A_task_assigned_through_node_A_pops_up_for_a_client_connected_to_node_B()
    {
        var nodes = AppNode.StartMany(2);
        await using var a = nodes[0];
        await using var b = nodes[1];
        var carla = await a.NewOperatorAsync();
        var anna = await a.NewOperatorAsync();
        await using var annaOnB = b.Hub(await b.SignInCookieAsync(anna.Email!));
        var received = Listen(annaOnB);
        await annaOnB.StartAsync();

        var typeId = await a.FirstTaskTypeIdAsync();
        var input = TaskTestData.Input(anna.Id, typeId, title: "Call Lucia back") with { NotifyAssignee = true };
        await a.TasksAsync(carla, false, t => t.CreateAsync(input));

        var signal = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var db = b.Db();
        var stored = await db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == anna.Id);
        Assert.Equal((stored.Id, true, NotificationKind.TaskAssigned), (signal.Id, signal.Popup, stored.Kind));
    }

    [Fact]
    public async Task A_user_signed_in_through_node_A_keeps_their_session_on_node_B_after_A_stops()
    {
        // The first node's folder holds the database file, so the node that stops is the second.
        var nodes = AppNode.StartMany(2);
        await using var b = nodes[0];
        var a = nodes[1];
        var anna = await a.NewOperatorAsync();
        var cookie = await a.SignInCookieAsync(anna.Email!);

        // Node A goes away (its data folder with it); the database and B stay.
        await a.DisposeAsync();

        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(b.ServerAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
        request.Headers.Add("Cookie", cookie);
        using var page = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        await using var hub = b.Hub(cookie);
        await hub.StartAsync();
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task A_cookie_from_no_node_of_the_school_is_refused()
    {
        // The control for the test above: a node with its own database (so its own keys) does not accept the cookie.
        var nodes = AppNode.StartMany(1);
        await using var a = nodes[0];
        var others = AppNode.StartMany(1);
        await using var other = others[0];
        var anna = await a.NewOperatorAsync();
        var cookie = await a.SignInCookieAsync(anna.Email!);

        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(other.ServerAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
        request.Headers.Add("Cookie", cookie);
        using var page = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reminder_goes_out_once_with_three_nodes_and_pops_up_once_on_the_node_the_user_is_on()
    {
        var nodes = AppNode.StartMany(3);
        await using var a = nodes[0];
        await using var b = nodes[1];
        await using var c = nodes[2];
        var carla = await a.NewOperatorAsync();
        var anna = await a.NewOperatorAsync();
        await using var annaOnC = c.Hub(await c.SignInCookieAsync(anna.Email!));
        var signals = new List<NotificationSignal>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        annaOnC.On<NotificationSignal>(NotificationHub.ReceiveMethod, s =>
        {
            lock (signals)
            {
                signals.Add(s);
            }

            first.TrySetResult();
        });
        await annaOnC.StartAsync();

        var typeId = await a.FirstTaskTypeIdAsync();
        var input = TaskTestData.Input(anna.Id, typeId, date: new DateOnly(2026, 12, 2), time: new TimeOnly(12, 0)) with { Reminder = TaskReminder.AtDeadline };
        var taskId = await a.TasksAsync(carla, false, t => t.CreateAsync(input));

        // 12:00 at the school is 11:00 UTC: every node's clock passes it, and every node delivers in parallel.
        a.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.Zero));
        await Task.WhenAll(nodes.SelectMany(n => Enumerable.Range(0, 3).Select(_ => DeliverDueNowAsync(n))));

        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var db = a.Db();
        var reminder = await db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == anna.Id && n.Kind == NotificationKind.TaskReminder);
        Assert.Equal(taskId, reminder.TaskId);
        Assert.True(await db.ScheduledReminders.AnyAsync(r => r.TaskId == taskId && r.DeliveredAt != null));

        // A second reminder signal would have come through Redis like any other: a later assignment through B,
        // which travels the same way, arrives after it (Redis keeps the order on a channel), so once it is here
        // nothing else is on its way.
        var ping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        annaOnC.On<NotificationSignal>(NotificationHub.ReceiveMethod, _ => ping.TrySetResult());
        var echo = TaskTestData.Input(anna.Id, typeId, title: "Ping") with { NotifyAssignee = true };
        await b.TasksAsync(carla, false, t => t.CreateAsync(echo));
        await ping.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (signals)
        {
            Assert.Equal(2, signals.Count);
            Assert.Equal(reminder.Id, signals[0].Id);
        }
    }

    [Fact]
    public async Task Both_nodes_answer_a_calendar_feed_with_the_same_validators_and_a_304_for_the_other_nodes_ETag()
    {
        var nodes = AppNode.StartMany(2);
        await using var a = nodes[0];
        await using var b = nodes[1];
        var anna = await a.NewOperatorAsync();
        await a.NewTaskAsync(anna, anna, title: "Open day call");
        string token;
        await using (var scope = a.Services.CreateScopeAs(anna, false))
        {
            token = await scope.ServiceProvider.GetRequiredService<CalendarFeedService>().IssueAsync();
        }

        using var fromA = await GetFeedAsync(a, token, null);
        using var fromB = await GetFeedAsync(b, token, null);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(fromA.Headers.ETag, fromB.Headers.ETag);
        Assert.Equal(fromA.Content.Headers.LastModified, fromB.Content.Headers.LastModified);

        using var again = await GetFeedAsync(b, token, fromA.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);

        // A change made through B (a new task) is a new version on A too.
        await b.NewTaskAsync(anna, anna, title: "Second call");
        using var changed = await GetFeedAsync(a, token, fromA.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var changedOnB = await GetFeedAsync(b, token, changed.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, changedOnB.StatusCode);
    }

    [Fact]
    public async Task An_import_queued_on_node_A_while_one_runs_on_node_B_waits_until_that_one_ends()
    {
        var nodes = AppNode.StartMany(2);
        await using var a = nodes[0];
        await using var b = nodes[1];
        var kit = await ImportTestKit.CreateAsync(a);

        // Node B's import, as B's worker leaves it while it writes: its row says Running (the test holds it there).
        int onB;
        await using (var db = b.Db())
        {
            var running = LeadImport.Queue("on-b.xlsx", kit.Operator.Id, b.Time.GetUtcNow().UtcDateTime);
            running.Start(b.Time.GetUtcNow().UtcDateTime);
            db.Add(running);
            await db.SaveChangesAsync();
            onB = running.Id;
        }

        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Last name", "Email"], ["Lucia", "Rossi", "lucia@example.test"]));
        int onA;
        await using (var scope = kit.As(kit.Operator))
        {
            onA = await scope.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, ImportTestKit.SettingsFor(upload));
        }

        // A's worker looks again every ClaimPoll of its clock; however often it looks, B's import is still running.
        for (var i = 0; i < 3; i++)
        {
            a.Time.Advance(LeadImportJob.ClaimPoll);
            await Task.Delay(200);
        }

        Assert.Equal(LeadImportState.Queued, await StateAsync(a, onA));

        // B's import ends; at A's next look its import runs and completes.
        await using (var db = b.Db())
        {
            await db.Set<LeadImport>().Where(i => i.Id == onB)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, LeadImportState.Completed));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await StateAsync(a, onA) is LeadImportState.Queued or LeadImportState.Running && DateTime.UtcNow < deadline)
        {
            a.Time.Advance(LeadImportJob.ClaimPoll);
            await Task.Delay(50);
        }

        Assert.Equal(LeadImportState.Completed, await StateAsync(a, onA));
        await using var check = b.Db();
        Assert.True(await check.Leads.AnyAsync(l => l.Email == "lucia@example.test"));
    }

    [Fact]
    public async Task A_node_that_starts_rolls_back_its_own_interrupted_import_but_not_one_another_node_is_running()
    {
        var nodes = AppNode.StartMany(1);
        await using var a = nodes[0];
        var kit = await ImportTestKit.CreateAsync(a);
        const string killed = "node-killed";
        var mine = await RunningImportAsync(a, kit, killed);
        var nodeAs = await RunningImportAsync(a, kit, a.NodeName);

        // The killed node comes back under its name: its import was interrupted, node A's is still being written.
        await using var restarted = a.StartAnother(killed);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await StateAsync(a, mine) == LeadImportState.Running && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(LeadImportState.Failed, await StateAsync(a, mine));
        Assert.Equal(LeadImportState.Running, await StateAsync(a, nodeAs));
    }

    [Fact]
    public async Task A_node_whose_two_hubs_share_its_Redis_connection_keeps_it_until_the_node_stops()
    {
        var node = AppNode.StartMany(1)[0];
        // Both hubs' lifetime managers connect (the notification hub and Blazor's, here a stand-in for it).
        var notifications = node.Services.GetRequiredService<HubLifetimeManager<NotificationHub>>();
        var other = node.Services.GetRequiredService<HubLifetimeManager<SecondHub>>();
        await notifications.SendAllAsync("Ping", []);
        await other.SendAllAsync("Ping", []);
        var connection = await node.Services.GetRequiredService<CrmRedis>().ConnectAsync();

        // One manager stops first, as at shutdown: it disposed "its" connection, so the other then worked on a
        // disposed one (an ObjectDisposedException, once in a full run).
        ((IDisposable)other).Dispose();
        Assert.True(connection.IsConnected);
        await notifications.SendAllAsync("Ping", []);

        await node.DisposeAsync();
        Assert.False(connection.IsConnected);
    }

    private sealed class SecondHub : Hub;

    private static async Task<int> RunningImportAsync(AppNode node, ImportTestKit kit, string nodeName)
    {
        await using var db = node.Db();
        var import = LeadImport.Queue(nodeName + ".xlsx", kit.Operator.Id, node.Time.GetUtcNow().UtcDateTime);
        import.Start(node.Time.GetUtcNow().UtcDateTime);
        db.Add(import).Property(CrmNode.ImportNodeProperty).CurrentValue = nodeName;
        await db.SaveChangesAsync();
        return import.Id;
    }

    private static async Task<LeadImportState> StateAsync(AppNode node, int importId)
    {
        await using var db = node.Db();
        return await db.Set<LeadImport>().Where(i => i.Id == importId).Select(i => i.State).SingleAsync();
    }

    private static async Task<HttpResponseMessage> GetFeedAsync(AppNode node, string token, EntityTagHeaderValue? ifNoneMatch)
    {
        using var client = new HttpClient { BaseAddress = new Uri(node.ServerAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, CalendarFeedEndpoints.PathPrefix + token + ".ics");
        // Behind the proxy every node sees the school's one host name (proxy_set_header Host), and the feed's links
        // and UIDs carry it.
        request.Headers.Host = "crm.school.test";
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        return await client.SendAsync(request);
    }

    private static async Task DeliverDueNowAsync(AppNode node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<ReminderDelivery>();
        while (await delivery.DeliverDueAsync(10, CancellationToken.None) > 0)
        {
        }
    }

    private static TaskCompletionSource<NotificationSignal> Listen(HubConnection connection)
    {
        var received = new TaskCompletionSource<NotificationSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<NotificationSignal>(NotificationHub.ReceiveMethod, signal => received.TrySetResult(signal));
        return received;
    }
}
