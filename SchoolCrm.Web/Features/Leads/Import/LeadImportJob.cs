using System.Diagnostics;
using System.Text.Json;
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
/// Writes one import in batches of about <see cref="BatchTime"/> of writing, each batch one short transaction, so the
/// database's write lock is free between them and every other user's save goes through while a 100k-row import
/// runs (docs/benchmarks-import.md measures the longest wait of another writer). All-or-nothing stays true for the
/// user through <see cref="LeadImportRollback"/>: created leads carry the import's id, and before a batch updates
/// an existing lead it journals the lead's previous state in the same transaction; a cancel, a failure or a crash
/// (at the next start) deletes the one and restores the other.
/// New leads go through <see cref="BulkInsert"/> (built with <see cref="Lead.Create"/>, so the lead's rules run):
/// prepared parameterised INSERTs on SQLite, where EF Core's SaveChanges measured about 3x the plain ADO.NET
/// baseline, and binary COPY on PostgreSQL. Updates of existing leads go through EF Core, with history.
/// </summary>
public sealed class LeadImportJob(
    IDbContextFactory<CrmDbContext> dbFactory,
    LeadImportJobs queue,
    ImportUploads uploads,
    LeadImportRollback rollback,
    SchoolClock clock,
    TimeProvider time,
    ILogger<LeadImportJob> logger)
{
    /// <summary>
    /// How long one batch should hold the write lock. Another writer of the app does not wait for it: a batch ends
    /// early as soon as someone waits for SQLite's lock (<see cref="YieldCheckRows"/>), and the gap after it lets
    /// them in (see <see cref="WriteTurns"/>); anyone else waits at most this plus the gap, well under the 1 s that
    /// issue 7 allows. Every commit costs (its pages go to the WAL, another writer may take a turn): batches of a
    /// fixed 1,000 rows, about a tenth of a second each, made a 100k import spend much of its time between batches,
    /// and 500 ms measured 10–25 % faster than 200 ms (docs/benchmarks.md).
    /// </summary>
    public static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Rows of the first batch. Each later batch is sized from how fast the one before it was read, checked and
    /// written, to take about <see cref="BatchTime"/>.
    /// </summary>
    public const int FirstBatchRows = 1000;

    /// <summary>At most this many rows per batch, and at most half as many again as the batch before (a machine that
    /// suddenly gets slower still ends a batch well within the second that other writers may wait).</summary>
    private const int MaxBatchRows = 10_000;

    /// <summary>
    /// At most this many rows per batch on PostgreSQL, where no other writer ends a batch early. Measured for a 100k
    /// import (docs/benchmarks.md): 10,000 rows per batch peaked at 244–257 MB, 2,000 at 226 MB, 1,000 at 206–211 MB
    /// but took 1–2 s longer (a commit, a COPY and the key reservations per batch).
    /// </summary>
    private const int MaxPostgreSqlBatchRows = 2_000;

    private const int MinBatchRows = 100;

    /// <summary>How many rows a batch writes between looks whether another writer waits for the lock.</summary>
    private const int YieldCheckRows = 25;

    /// <summary>An import that created at least this many leads refreshes the planner's statistics.</summary>
    public const int RefreshStatisticsFrom = 1000;

    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a queued import looks again whether another node's import has finished.</summary>
    public static readonly TimeSpan ClaimPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the running import stores its progress and heartbeat in its row and reads whether "Cancel" was
    /// pressed on another node: a progress bar on another node is at most this (plus its poll) behind.
    /// </summary>
    public static readonly TimeSpan StoreProgressEvery = TimeSpan.FromSeconds(1);

    /// <summary>The key that serializes import claims across nodes (see <see cref="ProviderDifferences.SerializeAsync"/>).</summary>
    private const long ImportClaimLockKey = 5373011002;

    public async Task RunAsync(ImportRequest request, ImportProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        if (await MarkStartedAsync(request.ImportId, ct) is not { } startedAt)
        {
            queue.Finish(progress, LeadImportState.Cancelled);
            return;
        }

        try
        {
            queue.Report(progress, ImportPhase.Reading, 0);
            var created = await WriteAsync(request, progress, startedAt, ct);
            if (created >= RefreshStatisticsFrom)
            {
                await RefreshStatisticsAsync();
            }

            // The file held personal data and has served its purpose; after a failure or cancel it stays for
            // another try and is removed when the page lets it go or an hour after its last use.
            await uploads.RemoveAsync(request.Upload.Id);
            queue.Finish(progress, LeadImportState.Completed);
            logger.LogInformation("Import {ImportId} of {FileName} completed", request.ImportId, request.Upload.FileName);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await RollBackAsync(request.ImportId, import => import.Cancel(clock.UtcNow));
            queue.Finish(progress, LeadImportState.Cancelled);
            logger.LogInformation("Import {ImportId} cancelled; nothing was kept", request.ImportId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import {ImportId} failed; rolling it back", request.ImportId);
            await RollBackAsync(request.ImportId, import => import.Fail("import.failed", clock.UtcNow));
            queue.Finish(progress, LeadImportState.Failed);
        }
    }

    /// <summary>Returns how many leads the import created.</summary>
    private async Task<int> WriteAsync(ImportRequest request, ImportProgress progress, DateTime now, CancellationToken ct)
    {
        LeadImportPlanner planner;
        int maxBatchRows;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            planner = await LeadImportPlanner.LoadAsync(db, request.Settings, clock.Today, ct);
            maxBatchRows = db.Database.IsNpgsql() ? MaxPostgreSqlBatchRows : MaxBatchRows;
        }

        await using var run = new Run(dbFactory, planner, request, now);
        int batchRows = FirstBatchRows;
        int rowsRead = 0, skipped = 0, errors = 0;
        var sinceReport = Stopwatch.StartNew();
        var sinceStore = Stopwatch.StartNew();
        // The duplicates the planner knows are read: from here on, a lead added by hand is matched by the batches.
        queue.Report(progress, ImportPhase.Writing, 0);
        foreach (var row in uploads.Rows(request.Upload, keepCopy: false))
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
                case RowAction.Update:
                    await run.AddAsync(plan, batchRows, ct);
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

            var committed = false;
            if (run.BatchRows >= batchRows || run.OthersWaiting)
            {
                var (rows, took) = await run.CommitAsync(ct);
                batchRows = NextBatchRows(rows, took, maxBatchRows);
                committed = true;
            }

            // After every commit as well as every quarter second between batches, so the progress a page shows is
            // never far behind what the database holds, however fast the batches go. Never inside a batch: storing
            // the progress is a write of its own, which on SQLite would wait for the batch's lock.
            if (committed || (!run.InBatch && sinceReport.Elapsed >= ReportEvery))
            {
                queue.Report(progress, ImportPhase.Writing, row.RowNumber - request.Upload.HeaderRowNumber);
                sinceReport.Restart();
                if (sinceStore.Elapsed >= StoreProgressEvery)
                {
                    await StoreProgressAsync(request.ImportId, progress, ct);
                    sinceStore.Restart();
                }
            }
        }

        await run.CommitAsync(ct);
        ct.ThrowIfCancellationRequested();

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var import = await db.Set<LeadImport>().SingleAsync(i => i.Id == request.ImportId, ct);
            import.Complete(rowsRead, run.Created, run.Updated, skipped + run.Skipped, errors + run.Failed, clock.UtcNow);
            await db.SaveChangesAsync(ct);
        }

        // Past this point the import is whole; a late cancel no longer undoes it, and its journal is not needed.
        queue.Report(progress, ImportPhase.Writing, progress.TotalRows);
        await DropJournalAsync(dbFactory, request.ImportId);
        return run.Created;
    }

    /// <summary>
    /// Stores the progress and the heartbeat in the import's row (for the other nodes) and cancels the import when
    /// "Cancel" was pressed on any node, or when its row is no longer Running: another node took this node for dead
    /// and rolled the import back (<see cref="LeadImportWorker"/>), so writing on would only be undone again.
    /// </summary>
    private async Task StoreProgressAsync(int importId, ImportProgress progress, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var rowsDone = progress.RowsDone;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = db.Set<LeadImport>().Where(i => i.Id == importId && i.State == LeadImportState.Running);
        var stored = await running.ExecuteUpdateAsync(
            s => s.SetProperty(i => EF.Property<int>(i, LeadImportConfiguration.RowsDoneProperty), rowsDone)
                .SetProperty(i => EF.Property<DateTime?>(i, LeadImportConfiguration.HeartbeatAtProperty), now),
            ct);
        if (stored == 0 || await running.AnyAsync(i => EF.Property<bool>(i, LeadImportConfiguration.CancelRequestedProperty), ct))
        {
            await progress.Cancellation.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The rows that the next batch can write in about <see cref="BatchTime"/>, at the pace of the last one.</summary>
    internal static int NextBatchRows(int rows, TimeSpan took, int maxRows = MaxBatchRows)
    {
        var atPace = took <= TimeSpan.Zero ? maxRows : rows * (BatchTime / took);
        // A batch that ended early for another writer may have written fewer rows than the smallest batch.
        return (int)Math.Clamp(atPace, MinBatchRows, Math.Max(MinBatchRows, Math.Min(rows + (rows / 2), maxRows)));
    }

    /// <summary>Deletes an import's undo journal, a few thousand rows per statement.</summary>
    internal static async Task DropJournalAsync(IDbContextFactory<CrmDbContext> dbFactory, int importId)
    {
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var batch = db.Set<LeadImportJournalEntry>().Where(e => e.ImportId == importId).OrderBy(e => e.Id).Select(e => e.Id).Take(5000);
            if (await db.Set<LeadImportJournalEntry>().Where(e => batch.Contains(e.Id)).ExecuteDeleteAsync() < 5000)
            {
                return;
            }
        }
    }

    private async Task RefreshStatisticsAsync()
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await DatabaseSetup.RefreshStatisticsAsync(db);
        }
        catch (Exception e)
        {
            // The import itself is whole; stale statistics only make some lists slower until the next refresh.
            logger.LogWarning(e, "Refreshing the planner statistics after an import failed");
        }
    }

    private async Task RollBackAsync(int importId, Action<LeadImport> end)
    {
        try
        {
            await rollback.RollBackAsync(importId, end);
        }
        catch (Exception e)
        {
            // The import stays Running in the database, so the next start rolls back what is left.
            logger.LogError(e, "Rolling back import {ImportId} failed; the next start finishes it", importId);
        }
    }

    private async Task<DateTime?> MarkStartedAsync(int importId, CancellationToken ct)
    {
        // "One import at a time per school" holds across app nodes: the database decides with one conditional update
        // that starts this import only while it is still queued and no import runs, on whichever node. Until then
        // this node's worker waits here (its later imports behind it); a cancel while waiting ends the wait.
        while (true)
        {
            var now = clock.UtcNow;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            int claimed;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                // Two nodes claiming at once must not both find "none runs" (PostgreSQL's READ COMMITTED would let them).
                await db.SerializeAsync(ImportClaimLockKey, ct);
                claimed = await db.Set<LeadImport>()
                    .Where(i => i.Id == importId && i.State == LeadImportState.Queued
                        && !EF.Property<bool>(i, LeadImportConfiguration.CancelRequestedProperty)
                        && !db.Set<LeadImport>().Any(other => other.State == LeadImportState.Running))
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(i => i.State, LeadImportState.Running).SetProperty(i => i.StartedAt, now)
                            .SetProperty(i => EF.Property<DateTime?>(i, LeadImportConfiguration.HeartbeatAtProperty), now),
                        ct);
                await transaction.CommitAsync(ct);
            }

            if (claimed == 1)
            {
                return now;
            }

            var waiting = await db.Set<LeadImport>().Where(i => i.Id == importId)
                .Select(i => new { i.State, CancelRequested = EF.Property<bool>(i, LeadImportConfiguration.CancelRequestedProperty) }).SingleAsync(ct);
            if (waiting.State != LeadImportState.Queued || waiting.CancelRequested)
            {
                return null;
            }

            try
            {
                await Task.Delay(ClaimPoll, time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The state one run's batches share: statuses created on the way, and the counts. Every lead and history line
    /// is written at the import's start time by its user, which is how a rollback finds the import's history lines.
    /// </summary>
    private sealed class Run(IDbContextFactory<CrmDbContext> dbFactory, LeadImportPlanner planner, ImportRequest request, DateTime now) : IAsyncDisposable
    {
        private readonly Dictionary<string, int> createdStatuses = new(StringComparer.Ordinal);
        private readonly WriteTurns turns = new();
        private CrmDbContext? writer;
        private readonly Dictionary<string, object?> importIdColumn = new() { [LeadImportConfiguration.LeadImportIdProperty] = request.ImportId };
        private readonly Dictionary<string, object?> leadIdColumn = new() { [nameof(CustomFieldValue.LeadId)] = 0 };
        private readonly Dictionary<string, int> lateLeadByKey = new(StringComparer.Ordinal);
        private readonly List<RowPlan> batchUpdates = [];
        private readonly Stopwatch held = new();
        private int lateLeadsFrom = planner.LastLeadId;
        private Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction;
        private BulkInsert? bulk;
        private WritersWaiting? othersWaiting;
        private int batchCreated;
        private int batchSkipped;

        public int Created { get; private set; }

        public int Updated { get; private set; }

        /// <summary>Rows planned as new that matched a lead added while the import ran (see <see cref="LoadLateLeadsAsync"/>).</summary>
        public int Skipped { get; private set; }

        /// <summary>Rows that turned out invalid against the real lead (or whose lead left the list meanwhile).</summary>
        public int Failed { get; private set; }

        private string UserId => request.UserId;

        /// <summary>A batch still open here was not committed (a cancel or a failure): disposing rolls it back.</summary>
        public async ValueTask DisposeAsync()
        {
            await EndBatchAsync();
            if (writer is not null)
            {
                if (writer.Database.IsSqlite() && writer.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
                {
                    // The pooled connection goes back to checkpointing as every other connection does.
                    await writer.Database.ExecuteSqlRawAsync(SqliteDefaultAutoCheckpoint);
                }

                await writer.DisposeAsync();
            }
        }

        /// <summary>SQLite's own default: a checkpoint once the WAL holds 1,000 pages (4 MB).</summary>
        private const string SqliteDefaultAutoCheckpoint = "PRAGMA wal_autocheckpoint=1000;";

        // One context and one open connection for all batches: the connection's page cache (see BulkInsert) stays
        // warm from batch to batch. synchronous=NORMAL is SQLite's recommended setting in WAL mode: a commit no
        // longer waits for the disk, the database stays consistent on a power cut, and a batch lost to one is
        // rolled back with the rest of the interrupted import at the next start.
        // The WAL is checkpointed once it holds 20,000 pages (80 MB) instead of SQLite's 1,000: a batch of the import
        // dirties a few thousand index pages, so with the default nearly every commit also copied its pages into the
        // database file and synced it, and the same hot index pages were copied again at the next commit; a commit
        // took a fifth of the job's time (docs/benchmarks.md, "Import speed", 2026-12-01 night). Other connections
        // keep the default, so a save that commits while the WAL is long checkpoints it (measured under 0.1 s).
        private async Task<CrmDbContext> WriterAsync(CancellationToken ct)
        {
            if (writer is null)
            {
                writer = await dbFactory.CreateDbContextAsync(ct);
                writer.ChangeTracker.AutoDetectChangesEnabled = false;
                await writer.Database.OpenConnectionAsync(ct);
                if (writer.Database.IsSqlite())
                {
                    await writer.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=20000;", ct);
                }
            }

            return writer;
        }

        /// <summary>Rows the open batch has taken (written, matched or left for its commit); 0 between batches.</summary>
        public int BatchRows { get; private set; }

        public bool InBatch => transaction is not null;

        /// <summary>
        /// Someone else wants to write (a save waits for SQLite's lock): the batch should end now, the rest goes into
        /// the next one. Looked at every <see cref="YieldCheckRows"/> rows, so a batch never ends after a handful.
        /// </summary>
        public bool OthersWaiting => BatchRows > 0 && BatchRows % YieldCheckRows == 0 && othersWaiting?.Count > 0;

        /// <summary>
        /// Takes one planned row into the open batch, beginning one (a transaction) if none is open: a new lead and
        /// its custom values are written at once, an update waits for the batch's commit (it goes through EF Core,
        /// with history). Rows are not kept between batches' rows: a batch of a few thousand planned rows held in a
        /// list, as before, outlived the collections that would have freed them and was most of the import's peak
        /// memory (docs/benchmarks.md). <paramref name="batchRows"/> is how many rows the batch is meant to take.
        /// </summary>
        public async Task AddAsync(RowPlan plan, int batchRows, CancellationToken ct)
        {
            var db = await BeginBatchAsync(batchRows, ct);
            BatchRows++;
            if (plan.Action == RowAction.Create && LateLeadOf(plan) is { } leadId)
            {
                if (request.Settings.Policy != DuplicatePolicy.Update)
                {
                    batchSkipped++;
                    return;
                }

                plan = plan with { Action = RowAction.Update, LeadId = leadId, Details = null };
            }

            if (plan.Action == RowAction.Update)
            {
                batchUpdates.Add(plan);
                return;
            }

            var statusId = plan.Parsed.StatusId ?? await NewStatusIdAsync(db, plan.Parsed.NewStatusName, ct) ?? planner.DefaultStatusId!.Value;
            var lead = Lead.Create(plan.Details!, statusId, plan.Parsed.AssignedUserId, UserId, now);
            leadIdColumn[nameof(CustomFieldValue.LeadId)] = await bulk!.AddAsync(lead, importIdColumn, ct);
            foreach (var value in plan.Parsed.CustomValues)
            {
                await bulk.AddAsync(value, leadIdColumn, ct);
            }

            batchCreated++;
        }

        /// <summary>
        /// Writes what the batch still holds (COPY's rows, the updates), commits, and counts only once it is
        /// committed. Returns how many rows the batch took and how long its transaction held the write lock.
        /// </summary>
        public async Task<(int Rows, TimeSpan Took)> CommitAsync(CancellationToken ct)
        {
            if (transaction is null)
            {
                return (0, TimeSpan.Zero);
            }

            var db = writer!;
            await bulk!.SaveAsync(ct);
            var (updated, failed) = await ApplyUpdatesAsync(db, batchUpdates, ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            turns.Committed(db);
            var took = held.Elapsed;
            var rows = BatchRows;
            Created += batchCreated;
            Updated += updated;
            Failed += failed;
            Skipped += batchSkipped;
            await EndBatchAsync();
            return (rows, took);
        }

        private async Task<CrmDbContext> BeginBatchAsync(int batchRows, CancellationToken ct)
        {
            if (transaction is not null)
            {
                return writer!;
            }

            await turns.BeforeNextAsync(ct);
            held.Restart();
            var db = await WriterAsync(ct);
            // On PostgreSQL the new rows go in with COPY (the leads while the batch reads on), and they hold nobody else's
            // lock, so the batch has no reason to end early.
            othersWaiting = db.HasOneWriteLock() ? WritersWaiting.Find(db) : null;
            transaction = await db.Database.BeginTransactionAsync(ct);
            await LoadLateLeadsAsync(db, ct);
            bulk = BulkInsert.For(db, batchRows);
            return db;
        }

        private async Task EndBatchAsync()
        {
            if (bulk is not null)
            {
                await bulk.DisposeAsync();
                bulk = null;
            }

            if (transaction is not null)
            {
                await transaction.DisposeAsync();
                transaction = null;
            }

            batchUpdates.Clear();
            lateLeadByKey.Clear();
            BatchRows = batchCreated = batchSkipped = 0;
        }

        /// <summary>
        /// The planner knows the leads that were there when the import started; one added since (by hand, while the
        /// import runs) with the key of a row this batch would create is matched inside the batch's transaction, as
        /// if it had been there from the start: the row is skipped, or updates that lead, as the policy says, and the
        /// import adds no second lead for the person. Reads only the leads added since the batch before (this
        /// import's own among them, whose keys no row planned as new can have: repeats in the file are skipped).
        /// On PostgreSQL a lead whose save commits after this read but before the batch's commit is not seen: it
        /// stays next to the imported one, as a lead added by hand right after the import is today.
        /// </summary>
        private async Task LoadLateLeadsAsync(CrmDbContext db, CancellationToken ct)
        {
            var late = await LeadImportPlanner.KeysAfter(db, planner.MatchKey, lateLeadsFrom).ToListAsync(ct);
            if (late.Count == 0)
            {
                return;
            }

            lateLeadsFrom = late.Max(k => k.Id);
            if (request.Settings.Policy == DuplicatePolicy.CreateAnyway)
            {
                return;
            }

            foreach (var row in late.Where(k => !k.Converted).OrderBy(k => k.Id))
            {
                if (DuplicateFinder.Normalize(planner.MatchKey, row.Value) is { } key)
                {
                    lateLeadByKey.TryAdd(key, row.Id);
                }
            }
        }

        /// <summary>The lead added since the import started that a row planned as new matches, if any.</summary>
        private int? LateLeadOf(RowPlan plan) =>
            lateLeadByKey.Count > 0
            && DuplicateFinder.Normalize(planner.MatchKey, plan.Parsed.Patch.KeyValue(planner.MatchKey)) is { } key
            && lateLeadByKey.TryGetValue(key, out var leadId)
                ? leadId
                : null;

        private async Task<int?> NewStatusIdAsync(CrmDbContext db, string? name, CancellationToken ct)
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

            if (bulk is not null)
            {
                await bulk.PauseAsync(ct);
            }

            var sortOrder = await db.LeadStatuses.Select(s => (int?)s.SortOrder).MaxAsync(ct) ?? -1;
            var status = new LeadStatus(name, sortOrder + 1);
            db.LeadStatuses.Add(status);
            await db.SaveChangesAsync(ct);
            createdStatuses[key] = status.Id;
            return status.Id;
        }

        private async Task<(int Updated, int Failed)> ApplyUpdatesAsync(CrmDbContext db, List<RowPlan> updates, CancellationToken ct)
        {
            if (updates.Count == 0)
            {
                return (0, 0);
            }

            var ids = updates.Select(p => p.LeadId!.Value).Distinct().ToList();
            var leads = await db.Leads.Include(l => l.CustomValues)
                .Where(l => ids.Contains(l.Id) && l.ConvertedAt == null).ToDictionaryAsync(l => l.Id, ct);
            int updated = 0, failed = 0;
            foreach (var plan in updates)
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

                var before = lead.Snapshot();
                var changes = lead.Update(cleaned, UserId, now).ToList();
                var statusId = plan.Parsed.StatusId ?? await NewStatusIdAsync(db, plan.Parsed.NewStatusName, ct);
                if (statusId is { } newStatus && lead.ChangeStatus(newStatus, UserId, now) is { } statusChange)
                {
                    changes.Add(statusChange);
                }

                if (plan.Parsed.AssigneeGiven && lead.AssignTo(plan.Parsed.AssignedUserId, UserId, now) is { } assigneeChange)
                {
                    changes.Add(assigneeChange);
                }

                // The one rule for replacing custom values (and how their history reads), as the lead form uses it.
                var custom = lead.SetCustomValues(new CustomValuesCheck([.. plan.Parsed.CustomFieldsGiven], plan.Parsed.CustomValues, []), UserId, now);
                db.CustomFieldValues.RemoveRange(custom.Removed);
                changes.AddRange(custom.Changes);
                if (changes.Count > 0)
                {
                    db.Add(LeadImportJournalEntry.For(request.ImportId, lead.Id, JsonSerializer.Serialize(before, LeadImportRollback.SnapshotJson)));
                }

                foreach (var change in changes)
                {
                    db.History.Add(HistoryEntry.ForLead(lead.Id, change, UserId, now));
                }

                updated++;
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            return (updated, failed);
        }
    }
}
