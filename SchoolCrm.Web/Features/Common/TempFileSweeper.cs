namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// Keeps <see cref="TempFiles"/> clean: empties the folder when the app starts (the uploads and exports of an
/// earlier run, also one that crashed, can no longer be claimed), then deletes expired files every few minutes.
/// </summary>
public sealed class TempFileSweeper(TempFiles files, TimeProvider time, ILogger<TempFileSweeper> logger) : BackgroundService
{
    /// <summary>A file lives at most this much longer than <see cref="TempFiles.KeepFor"/>.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the app serves anything, so no upload of this run can be taken for a stale one.
        var deleted = files.DeleteAll();
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} temporary files left by an earlier run", deleted);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal void Sweep()
    {
        try
        {
            files.DeleteExpired();
        }
        catch (IOException e)
        {
            // A folder that cannot be listed now may be listable at the next tick; the app keeps running.
            logger.LogWarning(e, "Sweeping the temporary files failed");
        }
        catch (UnauthorizedAccessException e)
        {
            logger.LogWarning(e, "Sweeping the temporary files failed");
        }
    }
}
