using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Notifications;

/// <summary>
/// A user disabled while the hub checks their new connection: the check has read them as active, the disabling
/// commits and closes their connections, and only then would the connection have been registered (and stayed open).
/// </summary>
public sealed class HubCheckRaceTests
{
    [Fact]
    public async Task A_user_disabled_while_the_hub_checks_their_connection_loses_it()
    {
        DisableAfterHubCheck? gate = null;
        await using var app = new GatedApp(_ => [gate = new DisableAfterHubCheck()]);
        var dora = await app.NewOperatorAsync();
        var admin = await app.AdminAsync();
        var cookie = await NotificationHubClient.SignInCookieAsync(app, dora.Email!, "Test-Pass-1234!");
        await using var connection = NotificationHubClient.Build(app, cookie);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        gate!.Arm(async () =>
        {
            await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
            await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(dora.Id, true);
        });
        try
        {
            await connection.StartAsync();
        }
        catch (Exception)
        {
            closed.TrySetResult();
        }

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(gate.Fired);
        Assert.Equal(0, app.Services.GetRequiredService<NotificationConnections>().Count(dora.Id));
    }

    /// <summary>Once armed, runs the disabling right after the hub's "is this user active" query has read its answer.</summary>
    private sealed class DisableAfterHubCheck : DbCommandInterceptor
    {
        private Func<Task>? disable;

        public bool Fired { get; private set; }

        public void Arm(Func<Task> action) => disable = action;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("EXISTS", StringComparison.Ordinal) && command.CommandText.Contains("IsDisabled", StringComparison.Ordinal)
                && Interlocked.Exchange(ref disable, null) is { } action)
            {
                Fired = true;
                await action();
            }

            return result;
        }
    }
}
