using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>
/// The browser's live channel for notifications (<c>/hubs/notifications</c>). Signed-in, active users only; the server
/// only ever sends, to one user through <c>Clients.User(userId)</c> (the cookie's name identifier), so every open tab
/// of that user hears it and nobody else does. The message carries only the notification's id: each tab reads the
/// notification itself through its own circuit, as the signed-in user, in their language.
/// </summary>
[Authorize]
public sealed class NotificationHub(IDbContextFactory<CrmDbContext> dbFactory, NotificationConnections connections) : Hub
{
    public const string Path = "/hubs/notifications";

    /// <summary>The client method every tab listens on: one argument, <see cref="NotificationSignal"/>.</summary>
    public const string ReceiveMethod = "notification";

    public override async Task OnConnectedAsync()
    {
        // Registered before the check: a user disabled while it runs is either seen disabled by it or has this
        // connection closed by the disabling (UserService). Registered after it, a check that read the user before
        // the disabling committed let the connection stay open (once in a full run, NotificationConnectionsAcrossNodesTests).
        connections.Add(Context);

        // A disabled user's cookie may still be valid for a few minutes (until the security stamp check): refuse them.
        var userId = Context.UserIdentifier;
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var active = userId is not null && await db.Users.AnyAsync(u => u.Id == userId && !u.IsDisabled, Context.ConnectionAborted);
        if (!active)
        {
            connections.Remove(Context);
            Context.Abort();
            return;
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context);
        await base.OnDisconnectedAsync(exception);
    }
}

/// <summary>What the hub sends: which notification, and whether this one wants a popup.</summary>
public sealed record NotificationSignal(long Id, bool Popup);
