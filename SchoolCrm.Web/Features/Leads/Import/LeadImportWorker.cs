using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Import;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Runs queued imports one after the other, on the server, independent of any browser tab.
/// </summary>
public sealed class LeadImportWorker(
    LeadImportJobs queue,
    IServiceScopeFactory scopes,
    IDbContextFactory<CrmDbContext> dbFactory,
    LeadImportRollback rollback,
    SchoolClock clock,
    CrmNode node,
    ILogger<LeadImportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await MarkInterruptedAsync(stoppingToken);
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
