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

/// <summary>
/// Counts the app's writers that may be waiting for the write lock right now: transactions being begun (on SQLite,
/// Microsoft.Data.Sqlite begins IMMEDIATE, which takes the lock) and writing commands being executed (a one-statement
/// save runs without a transaction). A long write (an import's batch) that sees one ends its batch early, so a
/// secretary's save waits for a few rows, not for a whole batch. Register <see cref="Interceptors"/> on the contexts.
/// </summary>
public sealed class WritersWaiting
{
    private readonly ConcurrentDictionary<DbCommand, byte> writing = new();
    private int beginning;

    public WritersWaiting() => Interceptors = [new TransactionStarts(this), new WriteCommands(this)];

    public IReadOnlyList<IInterceptor> Interceptors { get; }

    public int Count => Volatile.Read(ref beginning) + writing.Count;

    /// <summary>The registered counter of the app that made <paramref name="db"/>, if it has one.</summary>
    public static WritersWaiting? Find(CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<WriteCommands>().FirstOrDefault()?.Owner;
    }

    private void Begins() => Interlocked.Increment(ref beginning);

    private void Began() => Interlocked.Decrement(ref beginning);

    private void Executing(DbCommand command)
    {
        if (!command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            writing.TryAdd(command, 0);
        }
    }

    private void Done(DbCommand command) => writing.TryRemove(command, out _);

    private sealed class TransactionStarts(WritersWaiting owner) : DbTransactionInterceptor
    {
        public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
        {
            owner.Begins();
            return result;
        }

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            owner.Begins();
            return ValueTask.FromResult(result);
        }

        public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            owner.Began();
            return result;
        }

        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            owner.Began();
            return ValueTask.FromResult(result);
        }

        public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
        {
            // A BEGIN that failed (busy to the end) never reaches TransactionStarted; a failed commit is not a start.
            if (eventData.Action == "BeginTransaction")
            {
                owner.Began();
            }
        }

        public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            TransactionFailed(transaction, eventData);
            return Task.CompletedTask;
        }
    }

    private sealed class WriteCommands(WritersWaiting owner) : DbCommandInterceptor
    {
        public WritersWaiting Owner => owner;

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            owner.Executing(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            owner.Executing(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            owner.Executing(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            owner.Executing(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            owner.Executing(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            owner.Executing(command);
            return ValueTask.FromResult(result);
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            owner.Done(command);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            owner.Done(command);
            return ValueTask.FromResult(result);
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            owner.Done(command);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            owner.Done(command);
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            owner.Done(command);
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            owner.Done(command);
            return ValueTask.FromResult(result);
        }

        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => owner.Done(command);

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            owner.Done(command);
            return Task.CompletedTask;
        }

        public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => owner.Done(command);

        public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
        {
            owner.Done(command);
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// Lets SQLite itself wait for the write lock (<c>PRAGMA busy_timeout</c>), retrying after 1, 2, 5, 10 … ms, instead
/// of Microsoft.Data.Sqlite's own retry every 150 ms: a save that meets an import's batch gets in within a few
/// milliseconds of that batch's end. Microsoft.Data.Sqlite's timeout (the same length) still bounds the whole wait.
/// </summary>
public sealed class SqliteBusyWait(int milliseconds) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Pragma(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Pragma(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Pragma(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {milliseconds};");
        return command;
    }
}
