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
        // A disabled user's cookie may still be valid for a few minutes (until the security stamp check): refuse them.
        var userId = Context.UserIdentifier;
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var active = userId is not null && await db.Users.AnyAsync(u => u.Id == userId && !u.IsDisabled, Context.ConnectionAborted);
        if (!active)
        {
            Context.Abort();
            return;
        }

        // Registered after the check, so a user disabled from now on has this connection closed too (UserService).
        connections.Add(Context);
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
