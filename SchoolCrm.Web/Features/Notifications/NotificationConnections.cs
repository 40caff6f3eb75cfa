using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>
/// The open hub connections of this process, per user, so that disabling a user closes the tabs already listening:
/// the hub checks a user only when a connection opens, and a WebSocket can stay open for hours. With several app
/// nodes each node closes its own (issue 12 must tell every node, e.g. over the backplane).
/// </summary>
public sealed class NotificationConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> byUser = new();

    public void Add(HubCallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserIdentifier is { } userId)
        {
            byUser.GetOrAdd(userId, _ => new()).TryAdd(context.ConnectionId, context);
        }
    }

    public void Remove(HubCallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserIdentifier is { } userId && byUser.TryGetValue(userId, out var connections))
        {
            connections.TryRemove(context.ConnectionId, out _);
        }
    }

    /// <summary>How many connections <paramref name="userId"/> has open on this node.</summary>
    public int Count(string userId) => byUser.TryGetValue(userId, out var connections) ? connections.Count : 0;

    /// <summary>Closes every open connection of <paramref name="userId"/> on this node; they are refused when they reconnect.</summary>
    public void CloseAll(string userId)
    {
        if (byUser.TryRemove(userId, out var connections))
        {
            foreach (var context in connections.Values)
            {
                context.Abort();
            }
        }
    }
}
