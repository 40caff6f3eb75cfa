using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace SchoolCrm.Web.Data;

/// <summary>
/// Lets other writers in between the batches of a long write (an import, a rollback, an undo, the statistics
/// refresh). SQLite keeps no queue for its write lock: a writer that finds it taken sleeps and retries
/// (Microsoft.Data.Sqlite retries every 150 ms until the busy timeout), so it only gets in if the lock stays free for
/// long enough. When anybody else is using the database at the moment a batch commits (see
/// <see cref="OpenConnections"/>), the batch writer leaves a gap before its next transaction, overlapping it with
/// its own reading and checking of the next rows. The gap ends as soon as those others have closed their
/// connections (their save is done; on average half a retry interval after the commit), and after <see cref="Gap"/>
/// at the latest, which a waiting writer's next retry always falls into. When nobody is, it goes straight on.
/// </summary>
public sealed class WriteTurns
{
    /// <summary>The longest gap: a little longer than the retry interval of a waiting writer.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(160);

    /// <summary>How often the gap looks whether the others are done.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    private readonly Stopwatch sinceCommit = new();
    private Func<int>? othersOpen;

    /// <summary>Call right after a batch committed, with the context that wrote it.</summary>
    public void Committed(CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);

        // Any open connection but the batch writer's own belongs to someone working or waiting.
        var own = db.Database.GetDbConnection().State == ConnectionState.Open ? 1 : 0;
        var counter = OpenConnections.Find(db);
        othersOpen = counter is null ? null : () => counter.Count - own;
        if (othersOpen?.Invoke() <= 0)
        {
            othersOpen = null;
        }

        sinceCommit.Restart();
    }

    /// <summary>
    /// Call before the next batch begins: if someone else was active at the commit, waits until they are done or
    /// the gap is over.
    /// </summary>
    public async Task BeforeNextAsync(CancellationToken ct)
    {
        if (othersOpen is null)
        {
            return;
        }

        while (othersOpen() > 0 && sinceCommit.Elapsed < Gap)
        {
            var left = Gap - sinceCommit.Elapsed;
            await Task.Delay(left < Poll ? left : Poll, ct);
        }

        othersOpen = null;
    }
}

/// <summary>
/// Counts the app's open database connections (EF Core opens one per operation and closes it after), which is how
/// <see cref="WriteTurns"/> knows whether anybody else may be waiting for the write lock. It keeps the connections
/// themselves and counts those still open, rather than adding and subtracting: EF Core's migrations report more
/// openings than closings, and a plain counter then stayed above zero for the life of the app, so every long write
/// left its full gap after every batch although nobody was there (16 s of a 100k import).
/// </summary>
public sealed class OpenConnections : DbConnectionInterceptor
{
    private readonly ConcurrentDictionary<DbConnection, byte> connections = new();

    public int Count
    {
        get
        {
            int open = 0;
            foreach (var connection in connections.Keys)
            {
                if (connection.State == ConnectionState.Closed)
                {
                    // Closed without telling (disposed, or one of the migrations' openings).
                    connections.TryRemove(connection, out _);
                }
                else
                {
                    open++;
                }
            }

            return open;
        }
    }

    /// <summary>The registered counter of the app that made <paramref name="db"/>, if it has one.</summary>
    public static OpenConnections? Find(CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<OpenConnections>().FirstOrDefault();
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => connections.TryAdd(connection, 0);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        connections.TryAdd(connection, 0);
        return Task.CompletedTask;
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => connections.TryRemove(connection, out _);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        connections.TryRemove(connection, out _);
        return Task.CompletedTask;
    }
}
