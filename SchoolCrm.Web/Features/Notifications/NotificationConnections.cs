using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using SchoolCrm.Web.Hosting;
using StackExchange.Redis;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>
/// The open hub connections of this process, per user, so that disabling a user closes the tabs already listening:
/// the hub checks a user only when a connection opens, and a WebSocket can stay open for hours.
/// </summary>
/// <remarks>
/// With several app nodes (<see cref="CrmRedis"/> registered) the user's tabs may listen on any node: <see cref="CloseAll"/>
/// also publishes the user's id on a Redis channel that every node subscribes to at start-up, and each closes its own.
/// Redis pub/sub rather than a periodic look at the database: the other nodes close at once (no poll interval, no
/// query per connected user), over the connection the backplane already holds. A node that misses the message (Redis
/// away at that moment) still refuses the tab when it reconnects, and the circuit's security stamp check ends the
/// session within minutes anyway.
/// </remarks>
public sealed class NotificationConnections(ILogger<NotificationConnections> logger, CrmRedis? redis = null) : IHostedService, IDisposable
{
    /// <summary>The channel (under the Redis channel prefix) that carries the id of a user whose connections must close.</summary>
    public static readonly RedisChannel CloseChannel = RedisChannel.Literal("notifications:close");

    /// <summary>How long a node waits before it tries again to subscribe when Redis was away at its start.</summary>
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> byUser = new();
    private readonly CancellationTokenSource stopping = new();

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

    /// <summary>
    /// Closes every open connection of <paramref name="userId"/> on this node at once and tells every other node to
    /// close theirs; they are refused when they reconnect.
    /// </summary>
    public void CloseAll(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        CloseHere(userId);
        if (redis is not null)
        {
            // The caller (disabling a user) has committed already; the other nodes are told without holding it up.
            _ = TellOtherNodesAsync(redis, userId);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return;
        }

        // Subscribed before the node takes requests, so a user disabled on another node from now on is closed here.
        if (!await TrySubscribeAsync(redis))
        {
            _ = SubscribeLaterAsync(redis);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The container disposed this singleton before the host stopped it (seen when test hosts stop): the retry
            // loop the source stops has ended with it.
        }
    }

    public void Dispose() => stopping.Dispose();

    private void CloseHere(string userId)
    {
        if (byUser.TryRemove(userId, out var connections))
        {
            foreach (var context in connections.Values)
            {
                context.Abort();
            }
        }
    }

    private async Task TellOtherNodesAsync(CrmRedis connection, string userId)
    {
        try
        {
            var multiplexer = await connection.ConnectAsync();
            await multiplexer.GetSubscriber().PublishAsync(CloseChannel, userId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "The other nodes could not be told to close the notification connections of user {UserId}", userId);
        }
    }

    private async Task<bool> TrySubscribeAsync(CrmRedis connection)
    {
        try
        {
            var multiplexer = await connection.ConnectAsync();
            // The node's own message comes back too: closing again finds nothing.
            await multiplexer.GetSubscriber().SubscribeAsync(CloseChannel, (_, userId) =>
            {
                if (!userId.IsNullOrEmpty)
                {
                    CloseHere(userId.ToString());
                }
            });
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not subscribe to the other nodes' requests to close notification connections; trying again");
            return false;
        }
    }

    private async Task SubscribeLaterAsync(CrmRedis connection)
    {
        try
        {
            do
            {
                await Task.Delay(SubscribeRetry, stopping.Token);
            }
            while (!await TrySubscribeAsync(connection));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The node stops.
        }
    }
}
