using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Import;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Runs queued imports one after the other, on the server, independent of any browser tab; and watches for imports
/// whose node died: a running import stores a heartbeat about every second (<see cref="LeadImportJob"/>), and one
/// whose heartbeat is older than <see cref="HeartbeatTimeout"/> is rolled back by whichever node sees it first, so
/// the imports queued on the other nodes go on without waiting for the dead node to come back.
/// </summary>
public sealed class LeadImportWorker(
    LeadImportJobs queue,
    IServiceScopeFactory scopes,
    IDbContextFactory<CrmDbContext> dbFactory,
    LeadImportRollback rollback,
    SchoolClock clock,
    CrmNode node,
    TimeProvider time,
    ILogger<LeadImportWorker> logger) : BackgroundService
{
    /// <summary>
    /// How long a running import may go without a heartbeat before another node takes its node for dead. Far above
    /// the second between heartbeats: a node that is only slow for a while (a long batch, a busy disk) keeps its import.
    /// </summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How often a node looks for imports whose heartbeat is stale.</summary>
    public static readonly TimeSpan WatchEvery = TimeSpan.FromSeconds(30);

    private PeriodicTimer? watchTimer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The schedule starts with the app, not whenever ExecuteAsync gets a thread (as TempFileSweeper's).
        watchTimer = new PeriodicTimer(WatchEvery, time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await MarkInterruptedAsync(stoppingToken);
        var watching = WatchAsync(watchTimer!, stoppingToken);
        try
        {
            await RunQueueAsync(stoppingToken);
        }
        finally
        {
            await watching;
        }
    }

    /// <summary>
    /// Rolls back the imports that are Running in the database but whose node stopped storing heartbeats; returns
    /// how many. Never one this node runs itself. Two nodes that see the same import at once: one conditional update
    /// takes it over (names this node and renews its heartbeat), the other finds nothing left to take.
    /// </summary>
    internal async Task<int> RollBackAbandonedAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var staleBefore = now - HeartbeatTimeout;
        List<int> stale;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            stale = await Abandoned(db, staleBefore).Select(i => i.Id).ToListAsync(ct);
        }

        var rolledBack = 0;
        foreach (var importId in stale.Where(id => queue.Find(id) is not { Phase: not ImportPhase.Finished }))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var taken = await Abandoned(db, staleBefore).Where(i => i.Id == importId).ExecuteUpdateAsync(
                s => s.SetProperty(i => EF.Property<string?>(i, CrmNode.ImportNodeProperty), node.Name)
                    .SetProperty(i => EF.Property<DateTime?>(i, LeadImportConfiguration.HeartbeatAtProperty), now),
                ct);
            if (taken == 1)
            {
                logger.LogWarning("Import {ImportId} has had no heartbeat since before {StaleBefore}: its node is taken for dead and the import rolled back", importId, staleBefore);
                await rollback.RollBackAsync(importId, i => i.Fail("import.interrupted", clock.UtcNow));
                rolledBack++;
            }
        }

        return rolledBack;
    }

    // Running, and its last heartbeat (or, from before heartbeats, its start) is older than the limit.
    private static IQueryable<LeadImport> Abandoned(CrmDbContext db, DateTime staleBefore) =>
        db.Set<LeadImport>().Where(i => i.State == LeadImportState.Running
            && (EF.Property<DateTime?>(i, LeadImportConfiguration.HeartbeatAtProperty) ?? i.StartedAt) < staleBefore);

    private async Task WatchAsync(PeriodicTimer timer, CancellationToken ct)
    {
        using var ticks = timer;
        try
        {
            while (await ticks.WaitForNextTickAsync(ct))
            {
                try
                {
                    await RollBackAbandonedAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next tick tries again; the queue goes on meanwhile.
                    logger.LogError(e, "Looking for imports of dead nodes failed");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task RunQueueAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
        {
            var progress = queue.Find(request.ImportId);
            if (progress is null || progress.Cancellation.IsCancellationRequested)
            {
                // Cancelled while waiting: the service has recorded that already.
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var job = scope.ServiceProvider.GetRequiredService<LeadImportJob>();
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, progress.Cancellation.Token);
                await job.RunAsync(request, progress, cancel.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The job records its own failures; this keeps the worker alive for the next import whatever happens.
                logger.LogError(e, "Import {ImportId} ended unexpectedly", request.ImportId);
            }
        }
    }

    // Imports that were waiting or running when the server stopped (or was killed): a running one may have
    // committed some of its batches, so it is rolled back before the next import starts.
    private async Task MarkInterruptedAsync(CancellationToken ct)
    {
        List<LeadImport> stale;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            stale = await db.Set<LeadImport>().AsNoTracking()
                .Where(i => i.State == LeadImportState.Queued || i.State == LeadImportState.Running)
                // Only this node's (or, from before several nodes, nobody's): another node's may be running right now.
                .Where(i => EF.Property<string?>(i, CrmNode.ImportNodeProperty) == node.Name || EF.Property<string?>(i, CrmNode.ImportNodeProperty) == null)
                .ToListAsync(ct);
        }

        foreach (var import in stale.Where(i => queue.Find(i.Id) is null))
        {
            try
            {
                await rollback.RollBackAsync(import.Id, i => i.Fail("import.interrupted", clock.UtcNow));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Rolling back interrupted import {ImportId} failed; the next start tries again", import.Id);
            }
        }

        // A journal outlives its import only when the process stopped between completing and dropping it.
        await using var cleanup = await dbFactory.CreateDbContextAsync(ct);
        var finished = await cleanup.Set<LeadImportJournalEntry>()
            .Where(e => cleanup.Set<LeadImport>().Any(i => i.Id == e.ImportId && i.State != LeadImportState.Running))
            .Select(e => e.ImportId).Distinct().ToListAsync(ct);
        foreach (var importId in finished)
        {
            await LeadImportJob.DropJournalAsync(dbFactory, importId);
        }
    }
}
