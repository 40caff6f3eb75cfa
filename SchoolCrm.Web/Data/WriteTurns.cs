using System.Diagnostics;

namespace SchoolCrm.Web.Data;

/// <summary>
/// Lets other writers in between the batches of a long write (an import, a rollback, an undo, the statistics refresh). SQLite keeps no
/// queue for its write lock: a writer that finds it taken sleeps and retries (Microsoft.Data.Sqlite retries every
/// 150 ms until the busy timeout), so it only gets in if the lock stays free for at least that long. A batch
/// writer therefore leaves <see cref="Gap"/> between its transactions, overlapping it with its own reading and
/// checking of the next rows where it has any, so the pause costs only what that work does not cover.
/// </summary>
public sealed class WriteTurns
{
    /// <summary>A little longer than the retry interval of a waiting writer.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(160);

    private readonly Stopwatch sinceCommit = new();

    /// <summary>Call right after a batch committed.</summary>
    public void Committed() => sinceCommit.Restart();

    /// <summary>Call before the next batch begins: waits for what is left of the gap.</summary>
    public Task BeforeNextAsync(CancellationToken ct)
    {
        if (!sinceCommit.IsRunning)
        {
            return Task.CompletedTask;
        }

        var left = Gap - sinceCommit.Elapsed;
        return left > TimeSpan.Zero ? Task.Delay(left, ct) : Task.CompletedTask;
    }
}
