using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using SchoolCrm.Domain;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Lets two calls meet in the database the way two users' saves meet on PostgreSQL, on purpose instead of by luck:
/// the first call runs until it is about to commit a transaction in which it wrote, and stays there (its writes not
/// yet visible, its locks held) until the second call, started then, has done its own write, or is waiting for the
/// first (a lock on PostgreSQL; on SQLite, its BEGIN IMMEDIATE waiting for the write lock), or has ended. Then the
/// first commits. Without a lock the second decides on the state before the first's change, which is the race;
/// with one it waits and decides after the first committed. Name the calls with <see cref="RunAsync"/> (the
/// interceptors see the test's async flow) or give a whole app a role with <see cref="For"/>, and register the
/// interceptors on the app's contexts.
/// </summary>
public sealed class RaceGate
{
    /// <summary>Only turns a second call that never gets anywhere into a failed test instead of a hung one.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly string connectionString;
    private readonly Func<DbCommand, bool> firstWrites;
    private readonly Func<DbCommand, bool> secondWrites;
    private readonly AsyncLocal<Call?> current = new();
    private readonly Call first = new();
    private readonly Call second = new();
    private readonly TaskCompletionSource firstPaused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="connectionString">The app's database, where the gate looks whether somebody waits for a lock (PostgreSQL).</param>
    /// <param name="firstWrites">The first call's command after which its next commit pauses; default: any write.</param>
    /// <param name="secondWrites">The second call's command that counts as its write; default: any write.</param>
    public RaceGate(string connectionString, Func<DbCommand, bool>? firstWrites = null, Func<DbCommand, bool>? secondWrites = null)
    {
        this.connectionString = connectionString;
        this.firstWrites = firstWrites ?? IsWrite;
        this.secondWrites = secondWrites ?? IsWrite;
        Interceptors = [new Commands(this, () => current.Value), new Transactions(this, () => current.Value)];
    }

    /// <summary>The interceptors for calls run with <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<IInterceptor> Interceptors { get; }

    /// <summary>Done when the first call has written and waits before its commit.</summary>
    public Task FirstPaused => firstPaused.Task;

    /// <summary>Every command of the app these interceptors are registered on belongs to the first or the second call.</summary>
    public IReadOnlyList<IInterceptor> For(bool firstCall)
    {
        var call = firstCall ? first : second;
        return [new Commands(this, () => call), new Transactions(this, () => call)];
    }

    /// <summary>
    /// Runs <paramref name="work"/> as the first or the second call; the outcome is the exception it threw, or null.
    /// Start the second once <see cref="FirstPaused"/> (or the first ended early).
    /// </summary>
    public async Task<Exception?> RunAsync(bool firstCall, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var call = firstCall ? first : second;
        current.Value = call;
        try
        {
            await work();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            call.Ended = true;
            if (firstCall)
            {
                // A first call that ended without pausing (refused, or wrote nothing) lets the test go on.
                firstPaused.TrySetResult();
            }
        }
    }

    /// <summary>The call's outcome as the refusal it should be; anything else fails the test showing what it was.</summary>
    public static DomainException Refusal(Exception? outcome) =>
        outcome as DomainException ?? throw new Xunit.Sdk.XunitException("Expected a DomainException, got: " + (outcome?.ToString() ?? "no exception"));

    private static bool IsWrite(DbCommand command) =>
        !command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    private void Executing(Call? call, DbCommand command)
    {
        if (call == first && firstWrites(command))
        {
            first.HasWritten = true;
        }
        else if (call == second)
        {
            Interlocked.Increment(ref second.InFlight);
            if (IsWrite(command))
            {
                Interlocked.Increment(ref second.WritesInFlight);
            }
        }
    }

    private void Executed(Call? call, DbCommand command)
    {
        if (call == second)
        {
            Interlocked.Decrement(ref second.InFlight);
            if (IsWrite(command))
            {
                Interlocked.Decrement(ref second.WritesInFlight);
            }

            if (secondWrites(command))
            {
                second.HasWritten = true;
            }
        }
    }

    private async Task BeforeCommitAsync(Call? call, CancellationToken ct)
    {
        if (call != first || !first.HasWritten || first.Paused)
        {
            return;
        }

        first.Paused = true;
        firstPaused.TrySetResult();
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (!await SecondGotThereAsync(ct))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The second call neither wrote nor waited for the first.");
            }

            await Task.Delay(2, ct);
        }
    }

    private async Task<bool> SecondGotThereAsync(CancellationToken ct)
    {
        if (second.Ended || second.HasWritten)
        {
            return true;
        }

        if (!TestDatabase.IsPostgreSql)
        {
            // A BEGIN (IMMEDIATE) or a write without a transaction (a one-statement save) under way waits for the
            // write lock, which the first call holds.
            return Volatile.Read(ref second.Beginning) > 0 || Volatile.Read(ref second.WritesInFlight) > 0;
        }

        if (Volatile.Read(ref second.InFlight) == 0)
        {
            return false;
        }

        // A command of the second call is under way: it waits for the first if the server says somebody waits for a lock.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private sealed class Call
    {
        public volatile bool HasWritten;

        public volatile bool Paused;

        public volatile bool Ended;

        public int InFlight;

        public int Beginning;

        public int WritesInFlight;
    }

    private sealed class Commands(RaceGate gate, Func<Call?> call) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            gate.Executing(call(), command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            gate.Executing(call(), command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            gate.Executing(call(), command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            gate.Executed(call(), command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            gate.Executed(call(), command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            gate.Executed(call(), command);
            return ValueTask.FromResult(result);
        }

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            gate.Executed(call(), command);
            return Task.CompletedTask;
        }
    }

    private sealed class Transactions(RaceGate gate, Func<Call?> call) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (call() is { } c)
            {
                Interlocked.Increment(ref c.Beginning);
            }

            return ValueTask.FromResult(result);
        }

        public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            Began();
            return ValueTask.FromResult(result);
        }

        public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            if (eventData.Action == "BeginTransaction")
            {
                Began();
            }

            return Task.CompletedTask;
        }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await gate.BeforeCommitAsync(call(), cancellationToken);
            return result;
        }

        private void Began()
        {
            if (call() is { } c)
            {
                Interlocked.Decrement(ref c.Beginning);
            }
        }
    }
}
