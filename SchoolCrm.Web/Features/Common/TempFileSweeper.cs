namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// Keeps <see cref="TempFiles"/> clean: deletes the files unused for <see cref="TempFiles.KeepFor"/> when the app
/// starts and every few minutes. Only by age, never "everything at start": with several app nodes on one shared
/// folder, a node that starts must not delete an upload another node's user is about to import. Every node may
/// sweep; they agree on what is expired, and a file deleted twice is deleted once.
/// </summary>
public sealed class TempFileSweeper(TempFiles files, TimeProvider time, ILogger<TempFileSweeper> logger) : BackgroundService
{
    /// <summary>A file lives at most this much longer than <see cref="TempFiles.KeepFor"/>.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    private PeriodicTimer? timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The schedule starts with the app, not whenever ExecuteAsync gets a thread: a tick due before that would
        // otherwise be lost (and a test's clock advanced right after start would never fire it).
        timer = new PeriodicTimer(Every, time);
        // Files of an earlier run that crashed are expired by now, or will be within the hour.
        var deleted = files.DeleteExpired();
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} expired temporary files", deleted);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = timer!;
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
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
