using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Notifications;

/// <summary>
/// Stored notifications of task assignments through the real TaskService, NotificationService and hub (the .NET
/// SignalR client over the test server, signed in with the real sign-in form).
/// </summary>
public sealed class NotificationTests(TasksApp app) : IClassFixture<TasksApp>
{
    private const string Password = "Test-Pass-1234!";

    [Fact]
    public async Task A_task_created_with_immediate_notification_is_stored_for_the_assignee_only()
    {
        var carla = await app.NewOperatorAsync("Carla Creator");
        var anna = await app.NewOperatorAsync("Anna Assignee");
        var leadId = await app.NewLeadAsync(carla, "Lucia");

        var taskId = await NewTaskAsync(carla, anna, notify: true, leadId: leadId, title: "Call Lucia back");

        var annas = await ListAsync(anna);
        var item = Assert.Single(annas.Items);
        Assert.Equal((NotificationKind.TaskAssigned, taskId, "Call Lucia back", false), (item.Kind, item.TaskId, item.TaskTitle, item.IsRead));
        Assert.StartsWith("Lucia", item.LeadName);
        Assert.Equal(new DateTime(2026, 12, 3, 9, 0, 0), item.DeadlineUtc);
        Assert.Equal(1, annas.UnreadCount);
        Assert.Empty((await ListAsync(carla)).Items);
    }

    [Fact]
    public async Task Without_an_smtp_server_no_e_mail_is_written_for_an_assignee_who_wants_e_mail()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();

        await NewTaskAsync(carla, anna, notify: true);

        Assert.Single((await ListAsync(anna)).Items);
        await using var db = app.Db();
        Assert.False(await db.OutgoingEmails.AnyAsync(e => e.ToAddress == anna.Email));
    }

    [Fact]
    public async Task Without_immediate_notification_and_for_ones_own_task_nothing_is_stored()
    {
        var olga = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();

        await NewTaskAsync(olga, anna, notify: false);
        await NewTaskAsync(olga, olga, notify: true);

        Assert.Empty((await ListAsync(anna)).Items);
        Assert.Empty((await ListAsync(olga)).Items);
    }

    [Fact]
    public async Task A_reassignment_tells_the_new_assignee_and_lists_it_for_the_previous_one()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var bruno = await app.NewOperatorAsync();
        var taskId = await NewTaskAsync(carla, anna, notify: true);

        await app.TasksAsync(carla, false, t => t.AssignAsync(taskId, bruno.Id));

        Assert.Equal([NotificationKind.TaskUnassigned, NotificationKind.TaskAssigned], (await ListAsync(anna)).Items.Select(i => i.Kind));
        Assert.Equal(NotificationKind.TaskAssigned, Assert.Single((await ListAsync(bruno)).Items).Kind);
    }

    [Fact]
    public async Task A_disabled_operator_gets_no_notification()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var dora = await app.NewOperatorAsync();
        var taskId = await NewTaskAsync(carla, dora, notify: true);
        await app.DisableAsync(dora);
        var before = (await ListAsync(dora)).Items.Count;

        // An admin hands the disabled operator's task to Anna: Anna hears of it, Dora is told nothing more.
        await app.TasksAsync(await app.AdminAsync(), true, t => t.AssignAsync(taskId, anna.Id));

        Assert.Equal(before, (await ListAsync(dora)).Items.Count);
        Assert.Single((await ListAsync(anna)).Items);
    }

    [Fact]
    public async Task Marking_read_counts_down_and_nobody_reads_or_marks_someone_elses_notification()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        await NewTaskAsync(carla, anna, notify: true, title: "First");
        await NewTaskAsync(carla, anna, notify: true, title: "Second");
        var first = (await ListAsync(anna)).Items.Single(i => i.TaskTitle == "First");

        Assert.Null(await NotificationsAsync(carla, n => n.GetAsync(first.Id)));
        await NotificationsAsync(carla, async n => { await n.MarkReadAsync(first.Id); return 0; });
        Assert.Equal(2, (await ListAsync(anna)).UnreadCount);

        await NotificationsAsync(anna, async n => { await n.MarkReadAsync(first.Id); return 0; });
        var page = await ListAsync(anna);
        Assert.Equal(1, page.UnreadCount);
        Assert.True(page.Items.Single(i => i.Id == first.Id).IsRead);

        await NotificationsAsync(anna, async n => { await n.MarkAllReadAsync(); return 0; });
        Assert.Equal(0, (await ListAsync(anna)).UnreadCount);
    }

    [Fact]
    public async Task The_list_pages_newest_first_and_a_tab_catching_up_gets_only_what_came_after_its_last_one()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        foreach (var title in new[] { "One", "Two", "Three" })
        {
            await NewTaskAsync(carla, anna, notify: true, title: title);
        }

        var firstPage = await NotificationsAsync(anna, n => n.ListAsync(take: 2));
        Assert.Equal(["Three", "Two"], firstPage.Items.Select(i => i.TaskTitle));
        Assert.True(firstPage.HasMore);
        var rest = await NotificationsAsync(anna, n => n.ListAsync(firstPage.Items[^1].Id, 2));
        Assert.Equal(["One"], rest.Items.Select(i => i.TaskTitle));
        Assert.False(rest.HasMore);

        var after = await NotificationsAsync(anna, n => n.ListAfterAsync(rest.Items[0].Id));
        Assert.Equal(["Two", "Three"], after.Select(i => i.TaskTitle));
    }

    [Fact]
    public async Task A_notification_keeps_its_text_when_its_task_is_deleted()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var taskId = await NewTaskAsync(carla, anna, notify: true, title: "Soon gone");

        await app.TasksAsync(carla, false, t => t.DeleteAsync(taskId));

        var item = Assert.Single((await ListAsync(anna)).Items);
        Assert.Equal(("Soon gone", (int?)null), (item.TaskTitle, item.TaskId));
    }

    [Fact]
    public async Task The_hub_signals_every_connection_of_the_assignee_and_nobody_else()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        await using var annaTab1 = await ConnectAsync(anna);
        await using var annaTab2 = await ConnectAsync(anna);
        await using var carlaTab = await ConnectAsync(carla);
        var tab1 = Listen(annaTab1);
        var tab2 = Listen(annaTab2);
        var others = Listen(carlaTab);

        await NewTaskAsync(carla, anna, notify: true, title: "Live");

        var signal1 = await tab1.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var signal2 = await tab2.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var stored = Assert.Single((await ListAsync(anna)).Items);
        Assert.Equal((stored.Id, true), (signal1.Id, signal1.Popup));
        Assert.Equal(signal1, signal2);

        // Carla's connection was open all along and hears its messages in order: the first one it hears is her own.
        await NewTaskAsync(anna, carla, notify: true, title: "For Carla");
        var carlas = await others.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Assert.Single((await ListAsync(carla)).Items).Id, carlas.Id);
    }

    [Fact]
    public async Task An_assignee_who_chose_no_popup_gets_the_notification_stored_and_signalled_without_a_popup()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        await NotificationsAsync(anna, async n => { await n.SetDeliveryAsync(new NotificationDeliveryChoice(NotificationDelivery.None, NotificationDelivery.Popup)); return 0; });
        Assert.Equal(new NotificationDeliveryChoice(NotificationDelivery.None, NotificationDelivery.Popup), await NotificationsAsync(anna, n => n.GetDeliveryAsync()));
        await using var annaTab = await ConnectAsync(anna);
        var signal = Listen(annaTab);

        await NewTaskAsync(carla, anna, notify: true, title: "Quietly");

        var received = await signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((Assert.Single((await ListAsync(anna)).Items).Id, false), (received.Id, received.Popup));
    }

    [Fact]
    public async Task A_delivery_choice_that_does_not_exist_is_refused_and_nothing_changes()
    {
        var olga = await app.NewOperatorAsync();

        var error = await Assert.ThrowsAsync<SchoolCrm.Domain.DomainException>(() =>
            NotificationsAsync(olga, async n => { await n.SetDeliveryAsync(new NotificationDeliveryChoice((NotificationDelivery)7, NotificationDelivery.None)); return 0; }));

        Assert.Equal("notification.delivery_unknown", error.Code);
        Assert.Equal(new NotificationDeliveryChoice(NotificationDelivery.PopupAndEmail, NotificationDelivery.PopupAndEmail), await NotificationsAsync(olga, n => n.GetDeliveryAsync()));
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_and_disabled_users()
    {
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var negotiate = await anonymous.PostAsync(NotificationHub.Path + "/negotiate?negotiateVersion=1", null);
        Assert.NotEqual(HttpStatusCode.OK, negotiate.StatusCode);

        var dora = await app.NewOperatorAsync();
        var cookie = await SignInCookieAsync(dora);
        await app.DisableAsync(dora);
        await using var connection = Connection(cookie);
        var closed = new TaskCompletionSource();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        try
        {
            await connection.StartAsync();
        }
        catch (Exception)
        {
            closed.TrySetResult();
        }

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Disabling_a_user_closes_their_open_connections_and_the_next_one_is_refused()
    {
        var dora = await app.NewOperatorAsync();
        var carla = await app.NewOperatorAsync();
        await using var doraTab1 = await ConnectAsync(dora);
        await using var doraTab2 = await ConnectAsync(dora);
        await using var carlaTab = await ConnectAsync(carla);
        var closed1 = Closed(doraTab1);
        var closed2 = Closed(doraTab2);

        await using (var scope = app.Services.CreateScopeAs(await app.AdminAsync(), isAdmin: true))
        {
            await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(dora.Id, true);
        }

        await Task.WhenAll(closed1, closed2).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((HubConnectionState.Disconnected, HubConnectionState.Disconnected), (doraTab1.State, doraTab2.State));
        Assert.Equal(HubConnectionState.Connected, carlaTab.State);
        Assert.Equal(0, app.Services.GetRequiredService<NotificationConnections>().Count(dora.Id));

        // Her cookie is still valid until the security stamp check: the hub refuses the reconnect itself.
        var again = Closed(doraTab1);
        try
        {
            await doraTab1.StartAsync();
        }
        catch (Exception)
        {
            // Refused while starting: as good as closed.
            return;
        }

        await again.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, doraTab1.State);
    }

    private async Task<int> NewTaskAsync(AppUser creator, AppUser assignee, bool notify, int? leadId = null, string title = "Call back")
    {
        var typeId = await app.FirstTaskTypeIdAsync();
        var input = TaskTestData.Input(assignee.Id, typeId, leadId, title) with { NotifyAssignee = notify };
        return await app.TasksAsync(creator, false, t => t.CreateAsync(input));
    }

    private Task<NotificationPage> ListAsync(AppUser user) => NotificationsAsync(user, n => n.ListAsync());

    private async Task<T> NotificationsAsync<T>(AppUser user, Func<NotificationService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, false);
        return await action(scope.ServiceProvider.GetRequiredService<NotificationService>());
    }

    private Task<string> SignInCookieAsync(AppUser user) => NotificationHubClient.SignInCookieAsync(app, user.Email!, Password);

    private HubConnection Connection(string cookie) => NotificationHubClient.Build(app, cookie);

    private async Task<HubConnection> ConnectAsync(AppUser user)
    {
        var connection = Connection(await SignInCookieAsync(user));
        await connection.StartAsync();
        return connection;
    }

    private static Task Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        return closed.Task;
    }

    private static TaskCompletionSource<NotificationSignal> Listen(HubConnection connection)
    {
        var received = new TaskCompletionSource<NotificationSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<NotificationSignal>(NotificationHub.ReceiveMethod, signal => received.TrySetResult(signal));
        return received;
    }
}
