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
/// at least that long. When anybody else is using the database at the moment a batch commits (see
/// <see cref="OpenConnections"/>), the batch writer leaves <see cref="Gap"/> before its next transaction,
/// overlapping it with its own reading and checking of the next rows; when nobody is, it goes straight on.
/// </summary>
public sealed class WriteTurns
{
    /// <summary>A little longer than the retry interval of a waiting writer.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(160);

    private readonly Stopwatch sinceCommit = new();
    private bool othersActive;

    /// <summary>Call right after a batch committed, with the context that wrote it.</summary>
    public void Committed(CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);

        // Any open connection but the batch writer's own belongs to someone working or waiting.
        var own = db.Database.GetDbConnection().State == System.Data.ConnectionState.Open ? 1 : 0;
        othersActive = OpenConnections.Of(db) > own;
        sinceCommit.Restart();
    }

    /// <summary>Call before the next batch begins: waits for what is left of the gap if someone else was active.</summary>
    public Task BeforeNextAsync(CancellationToken ct)
    {
        if (!othersActive || !sinceCommit.IsRunning)
        {
            return Task.CompletedTask;
        }

        var left = Gap - sinceCommit.Elapsed;
        return left > TimeSpan.Zero ? Task.Delay(left, ct) : Task.CompletedTask;
    }
}

/// <summary>
/// Counts the app's open database connections (EF Core opens one per operation and closes it after), which is how
/// <see cref="WriteTurns"/> knows whether anybody else may be waiting for the write lock.
/// </summary>
public sealed class OpenConnections : DbConnectionInterceptor
{
    private int open;

    public int Count => Volatile.Read(ref open);

    /// <summary>The open connections of the app that made <paramref name="db"/> (its registered counter).</summary>
    public static int Of(CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counter = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<OpenConnections>().FirstOrDefault();
        return counter?.Count ?? 0;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Interlocked.Increment(ref open);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref open);
        return Task.CompletedTask;
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Interlocked.Decrement(ref open);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Interlocked.Decrement(ref open);
        return Task.CompletedTask;
    }
}
