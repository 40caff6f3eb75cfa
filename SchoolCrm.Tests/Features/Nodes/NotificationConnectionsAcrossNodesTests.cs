using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Nodes;

/// <summary>Disabling a user closes their open notification connections on every node, not only on the one that did it.</summary>
public sealed class NotificationConnectionsAcrossNodesTests
{
    [Fact]
    public async Task A_user_disabled_through_node_A_loses_the_notification_connections_open_on_node_B()
    {
        var nodes = AppNode.StartMany(2);
        await using var a = nodes[0];
        await using var b = nodes[1];
        var dora = await a.NewOperatorAsync();
        var carla = await a.NewOperatorAsync();
        await using var doraOnB = b.Hub(await b.SignInCookieAsync(dora.Email!));
        await using var doraOnA = a.Hub(await a.SignInCookieAsync(dora.Email!));
        await using var carlaOnB = b.Hub(await b.SignInCookieAsync(carla.Email!));
        await Task.WhenAll(doraOnB.StartAsync(), doraOnA.StartAsync(), carlaOnB.StartAsync());
        var closedOnB = Closed(doraOnB);
        var closedOnA = Closed(doraOnA);

        await using (var scope = a.Services.CreateScopeAs(await a.AdminAsync(), isAdmin: true))
        {
            await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(dora.Id, true);
        }

        await Task.WhenAll(closedOnA, closedOnB).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, b.Services.GetRequiredService<NotificationConnections>().Count(dora.Id));
        Assert.Equal(HubConnectionState.Connected, carlaOnB.State);
        Assert.Equal(1, b.Services.GetRequiredService<NotificationConnections>().Count(carla.Id));
    }

    private static Task Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
