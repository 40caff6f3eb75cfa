using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Writes one import: all rows in ONE transaction, so a failure or a cancel leaves no lead of it behind.
/// New leads go through <see cref="BulkInsert"/>, prepared parameterised INSERTs (built with
/// <see cref="Lead.Create"/>, so the lead's rules run): EF Core's SaveChanges measured about 3x the plain ADO.NET
/// baseline here (docs/benchmarks-import.md), the target is 1.3x. Updates of existing leads go through EF Core in
/// batches, with history.
/// </summary>
public sealed class LeadImportJob(
    IDbContextFactory<CrmDbContext> dbFactory,
    LeadImportJobs queue,
    ImportUploads uploads,
    SchoolClock clock,
    ILogger<LeadImportJob> logger)
{
    private const int UpdateBatchSize = 500;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(ImportRequest request, ImportProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        if (!await MarkStartedAsync(request.ImportId, ct))
        {
            queue.Finish(progress, LeadImportState.Cancelled);
            return;
        }

        try
        {
            queue.Report(progress, ImportPhase.Reading, 0);
            await WriteAsync(request, progress, ct);

            // The file held personal data and has served its purpose; after a failure or cancel it stays for
            // another try and is removed when the page lets it go or an hour after its last use.
            uploads.Remove(request.Upload.Id);
            queue.Finish(progress, LeadImportState.Completed);
            logger.LogInformation("Import {ImportId} of {FileName} completed", request.ImportId, request.Upload.FileName);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await MarkEndedAsync(request.ImportId, import => import.Cancel(clock.UtcNow));
            queue.Finish(progress, LeadImportState.Cancelled);
            logger.LogInformation("Import {ImportId} cancelled; nothing was kept", request.ImportId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import {ImportId} failed; nothing was kept", request.ImportId);
            await MarkEndedAsync(request.ImportId, import => import.Fail("import.failed", clock.UtcNow));
            queue.Finish(progress, LeadImportState.Failed);
        }
    }

    private async Task WriteAsync(ImportRequest request, ImportProgress progress, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var userId = request.UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var planner = await LeadImportPlanner.LoadAsync(db, request.Settings, clock.Today, ct);
        var run = new Run(db, planner, userId, now);
        await using var bulk = new BulkInsert(db);
        var importIdColumn = new Dictionary<string, object?> { [LeadImportConfiguration.LeadImportIdProperty] = request.ImportId };
        var leadIdColumn = new Dictionary<string, object?> { [nameof(CustomFieldValue.LeadId)] = 0 };

        var updates = new List<RowPlan>(UpdateBatchSize);
        int rowsRead = 0, created = 0, updated = 0, skipped = 0, errors = 0;
        var sinceReport = Stopwatch.StartNew();
        foreach (var row in SpreadsheetRows.Read(request.Upload.Path, request.Upload.Info))
        {
            ct.ThrowIfCancellationRequested();
            if (row.RowNumber <= request.Upload.HeaderRowNumber)
            {
                continue;
            }

            var plan = planner.Plan(row);
            switch (plan.Action)
            {
                case RowAction.Create:
                    var statusId = plan.Parsed.StatusId ?? await run.NewStatusIdAsync(plan.Parsed.NewStatusName, ct) ?? planner.DefaultStatusId!.Value;
                    var lead = Lead.Create(plan.Details!, statusId, plan.Parsed.AssignedUserId, userId, now);
                    var leadId = await bulk.AddAsync(lead, importIdColumn, ct);
                    leadIdColumn[nameof(CustomFieldValue.LeadId)] = leadId;
                    foreach (var value in plan.Parsed.CustomValues)
                    {
                        await bulk.AddAsync(value, leadIdColumn, ct);
                    }

                    created++;
                    break;
                case RowAction.Update:
                    updates.Add(plan);
                    if (updates.Count == UpdateBatchSize)
                    {
                        (int done, int failed) = await run.ApplyUpdatesAsync(updates, ct);
                        updated += done;
                        errors += failed;
                        updates.Clear();
                    }

                    break;
                case RowAction.SkipExisting:
                case RowAction.SkipRepeated:
                    skipped++;
                    break;
                case RowAction.Error:
                    errors++;
                    break;
            }

            if (plan.Action != RowAction.Empty)
            {
                rowsRead++;
            }

            if (sinceReport.Elapsed >= ReportEvery || rowsRead == 1)
            {
                queue.Report(progress, ImportPhase.Writing, row.RowNumber - request.Upload.HeaderRowNumber);
                sinceReport.Restart();
            }
        }

        (int lastDone, int lastFailed) = await run.ApplyUpdatesAsync(updates, ct);
        updated += lastDone;
        errors += lastFailed;
        ct.ThrowIfCancellationRequested();

        var import = await db.Set<LeadImport>().SingleAsync(i => i.Id == request.ImportId, ct);
        import.Complete(rowsRead, created, updated, skipped, errors, clock.UtcNow);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);

        // Past this point the import is whole; a late cancel no longer undoes it.
        await transaction.CommitAsync(CancellationToken.None);
        queue.Report(progress, ImportPhase.Writing, progress.TotalRows);
    }

    private async Task<bool> MarkStartedAsync(int importId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<LeadImport>().SingleAsync(i => i.Id == importId, ct);
        if (import.State != LeadImportState.Queued)
        {
            return false;
        }

        import.Start(clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task MarkEndedAsync(int importId, Action<LeadImport> end)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var import = await db.Set<LeadImport>().SingleAsync(i => i.Id == importId);
        end(import);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The state of one run that rows share: statuses created on the way, and the update batches.</summary>
    private sealed class Run(CrmDbContext db, LeadImportPlanner planner, string userId, DateTime now)
    {
        private readonly Dictionary<string, int> createdStatuses = new(StringComparer.Ordinal);

        public async Task<int?> NewStatusIdAsync(string? name, CancellationToken ct)
        {
            if (name is null)
            {
                return null;
            }

            var key = ConfigurationName.Normalize(name);
            if (createdStatuses.TryGetValue(key, out var id))
            {
                return id;
            }

            var sortOrder = await db.LeadStatuses.Select(s => (int?)s.SortOrder).MaxAsync(ct) ?? -1;
            var status = new LeadStatus(name, sortOrder + 1);
            db.LeadStatuses.Add(status);
            await db.SaveChangesAsync(ct);
            createdStatuses[key] = status.Id;
            return status.Id;
        }

        /// <summary>Returns how many leads were updated and how many rows turned out invalid against the real lead.</summary>
        public async Task<(int Updated, int Failed)> ApplyUpdatesAsync(List<RowPlan> batch, CancellationToken ct)
        {
            if (batch.Count == 0)
            {
                return (0, 0);
            }

            var ids = batch.Select(p => p.LeadId!.Value).Distinct().ToList();
            var leads = await db.Leads.Include(l => l.CustomValues)
                .Where(l => ids.Contains(l.Id) && l.ConvertedAt == null).ToDictionaryAsync(l => l.Id, ct);
            int updated = 0, failed = 0;
            foreach (var plan in batch)
            {
                if (!leads.TryGetValue(plan.LeadId!.Value, out var lead))
                {
                    failed++;
                    continue;
                }

                var cleaned = LeadRowReader.Check(plan.Parsed, lead.Details, isNewLead: false, planner.Context);
                if (plan.Parsed.HasErrors)
                {
                    failed++;
                    continue;
                }

                var changes = lead.Update(cleaned, userId, now).ToList();
                var statusId = plan.Parsed.StatusId ?? await NewStatusIdAsync(plan.Parsed.NewStatusName, ct);
                if (statusId is { } newStatus && lead.ChangeStatus(newStatus, userId, now) is { } statusChange)
                {
                    changes.Add(statusChange);
                }

                if (plan.Parsed.AssigneeGiven && lead.AssignTo(plan.Parsed.AssignedUserId, userId, now) is { } assigneeChange)
                {
                    changes.Add(assigneeChange);
                }

                changes.AddRange(ReplaceCustomValues(lead, plan.Parsed));
                foreach (var change in changes)
                {
                    db.History.Add(HistoryEntry.ForLead(lead.Id, change, userId, now));
                }

                updated++;
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            return (updated, failed);
        }

        private List<FieldChange> ReplaceCustomValues(Lead lead, ParsedLeadRow parsed)
        {
            var changes = new List<FieldChange>();
            foreach (var fieldId in parsed.CustomFieldsGiven)
            {
                var old = lead.CustomValues.Where(v => v.CustomFieldId == fieldId).ToList();
                var fresh = parsed.CustomValues.Where(v => v.CustomFieldId == fieldId).ToList();
                var oldText = Describe(old);
                var newText = Describe(fresh);
                if (oldText == newText)
                {
                    continue;
                }

                foreach (var value in old)
                {
                    lead.CustomValues.Remove(value);
                    db.Remove(value);
                }

                lead.CustomValues.AddRange(fresh);
                changes.Add(new FieldChange("CustomField:" + fieldId.ToString(CultureInfo.InvariantCulture), oldText, newText));
            }

            if (changes.Count > 0)
            {
                lead.Touch(userId, now);
            }

            return changes;
        }

        // Invariant text of a field's values for the history, as the lead page's history shows them.
        private static string? Describe(List<CustomFieldValue> values)
        {
            if (values.Count == 0)
            {
                return null;
            }

            return string.Join("; ", values.Select(v =>
                v.TextValue
                ?? FieldChange.Format(v.NumberValue)
                ?? FieldChange.Format(v.DateValue)
                ?? FieldChange.Format(v.BoolValue)
                ?? FieldChange.Format(v.OptionId)).OrderBy(s => s, StringComparer.Ordinal));
        }
    }
}
