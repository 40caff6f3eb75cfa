using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

public sealed record ImportFieldChoice(string Key, string Label);

public sealed record ImportColumn(int Index, string Header, string TargetKey, ColumnMatchKind Kind);

/// <param name="DataRows">Rows after the header, as far as the file says (empty rows included).</param>
public sealed record UploadSummary(Guid UploadId, string FileName, int DataRows, IReadOnlyList<ImportColumn> Columns, IReadOnlyList<ImportFieldChoice> Fields);

/// <param name="Column">The column's header, or "" when the error concerns the whole row.</param>
public sealed record ImportRowError(int RowNumber, string Column, string Value, string Code);

public sealed record ImportPreview(
    int Rows,
    int Create,
    int Update,
    int SkipExisting,
    int SkipRepeated,
    int Errors,
    IReadOnlyList<ImportRowError> ErrorList,
    IReadOnlyList<string> NewStatuses,
    DateOrder? DetectedDateOrder,
    bool DatesAmbiguous,
    IReadOnlyList<string> DoubleMappedFields)
{
    public int Skipped => SkipExisting + SkipRepeated;

    public bool CanImport => DoubleMappedFields.Count == 0 && (Create + Update) > 0;
}

/// <param name="Leads">The leads an undo would remove now (the import's leads not converted since).</param>
/// <param name="LeadsWithLaterWork">Of the import's leads, those that someone else changed, commented on, converted,
/// or that were assigned to someone, since the import.</param>
/// <param name="MayUndo">An admin always may; the importer only while no lead carries later work.</param>
public sealed record UndoCheck(int ImportId, int Leads, int LeadsWithLaterWork, bool MayUndo);

public sealed record ImportStatus(int ImportId, ImportPhase Phase, int RowsDone, int TotalRows, int Percent, LeadImportState? Outcome)
{
    public static ImportStatus Of(ImportProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.ImportId, p.Phase, p.RowsDone, p.TotalRows, p.Percent, p.Outcome);
    }

    /// <summary>The import as its row says, for a page on a node that does not run it (the row is stored about every second).</summary>
    public static ImportStatus Of(int importId, LeadImportState state, int rowsDone, int totalRows)
    {
        var phase = state switch
        {
            LeadImportState.Queued => ImportPhase.Queued,
            LeadImportState.Running => rowsDone == 0 ? ImportPhase.Reading : ImportPhase.Writing,
            _ => ImportPhase.Finished,
        };
        var percent = totalRows <= 0 ? 0 : Math.Min(100, (int)(rowsDone * 100L / totalRows));
        return new(importId, phase, rowsDone, totalRows, percent, phase == ImportPhase.Finished ? state : null);
    }
}

public sealed record ImportHistoryItem(
    int Id,
    string FileName,
    string UserName,
    DateTime QueuedAt,
    LeadImportState State,
    int RowsRead,
    int Created,
    int Updated,
    int Skipped,
    int Errors,
    string? FailureCode,
    DateTime? UndoneAt,
    int UndoneCount,
    bool CanUndo);

/// <summary>
/// The import screen's use cases: template, upload with inspection, column matching, preview, error rows,
/// queueing the background import, progress, cancel, history and undo. Any signed-in user may import;
/// an import can be cancelled or undone by the user who started it or by an admin.
/// </summary>
public sealed class LeadImportService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    ImportUploads uploads,
    LeadImportJobs jobs,
    SchoolClock clock,
    CrmNode node,
    IOptions<ImportLimits> limits,
    ILogger<LeadImportService> logger)
{
    /// <summary>How many errors the preview lists; all of them are counted and in the error-rows file.</summary>
    public const int MaxListedErrors = 1000;

    public ImportLimits Limits => limits.Value;

    public async Task<UploadSummary> UploadAsync(Stream content, string fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var actor = await currentUser.GetAsync();
        await uploads.EnsureRoomForAsync(actor.UserId, ct);

        var id = Guid.NewGuid();
        var extension = string.Equals(Path.GetExtension(fileName), ".csv", StringComparison.OrdinalIgnoreCase) ? ".csv" : ".xlsx";
        var path = uploads.NewPath(extension);
        try
        {
            await CopyLimitedAsync(content, path, Limits.MaxFileBytes, ct);

            // Inspection parses the whole file once; off the caller's thread, it may take a second or two.
            var (info, header) = await Task.Run(
                () =>
                {
                    var inspected = SpreadsheetInspector.Inspect(path, fileName, Limits);
                    return (inspected, SpreadsheetRows.ReadHeader(path, inspected));
                },
                ct);

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var customFields = await ActiveCustomFieldsAsync(db, ct);
            var matches = ColumnMatcher.Match(header.Headers, LeadColumnLabels.Candidates(customFields));
            await uploads.AddAsync(
                new ImportUpload
            {
                Id = id,
                Path = path,
                FileName = Path.GetFileName(fileName),
                UserId = actor.UserId,
                Info = info,
                HeaderRowNumber = header.RowNumber,
                Headers = header.Headers,
                UploadedAt = clock.UtcNow,
            },
                ct);
            return new UploadSummary(
                id,
                Path.GetFileName(fileName),
                Math.Max(0, info.LastRowNumber - header.RowNumber),
                [.. matches.Select(m => new ImportColumn(m.Index, m.Header, m.Target.Key, m.Kind))],
                FieldChoices(customFields));
        }
        catch (SpreadsheetRefusedException e)
        {
            TempFiles.TryDelete(path);
            logger.LogInformation("Upload {FileName} refused: {Code} {Detail}", fileName, e.Code, e.Detail);
            throw new DomainException(e.Code);
        }
        catch
        {
            TempFiles.TryDelete(path);
            throw;
        }
    }

    /// <summary>Reads the whole file with the chosen settings and says what an import would do; writes nothing.</summary>
    public async Task<ImportPreview> PreviewAsync(Guid uploadId, ImportSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var actor = await currentUser.GetAsync();
        var upload = await FindUploadAsync(uploadId, actor, ct);
        EnsureMayCreateStatuses(actor, settings);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var planner = await LeadImportPlanner.LoadAsync(db, settings, clock.Today, ct);
        await uploads.SaveLastSettingsAsync(upload, settings, ct);

        return await Task.Run(
            () =>
            {
                int rows = 0, create = 0, update = 0, skipExisting = 0, skipRepeated = 0, errors = 0;
                var errorList = new List<ImportRowError>();
                var newStatuses = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var plan in PlanRows(upload, planner))
                {
                    ct.ThrowIfCancellationRequested();
                    rows++;
                    switch (plan.Action)
                    {
                        case RowAction.Create: create++; break;
                        case RowAction.Update: update++; break;
                        case RowAction.SkipExisting: skipExisting++; break;
                        case RowAction.SkipRepeated: skipRepeated++; break;
                        case RowAction.Error:
                            errors++;
                            foreach (var error in plan.Parsed.Errors)
                            {
                                if (errorList.Count < MaxListedErrors)
                                {
                                    errorList.Add(new ImportRowError(plan.Row.RowNumber, HeaderOf(upload, error.Column), error.Value, error.Code));
                                }
                            }

                            break;
                    }

                    if (plan.Action is RowAction.Create or RowAction.Update && plan.Parsed.NewStatusName is { } status)
                    {
                        newStatuses.Add(status);
                    }
                }

                var doubled = ColumnMatcher.Conflicts(settings.ColumnTargets.Select(ImportTarget.Parse))
                    .Select(t => t.Key).ToList();
                return new ImportPreview(
                    rows,
                    create,
                    update,
                    skipExisting,
                    skipRepeated,
                    errors,
                    errorList,
                    [.. newStatuses],
                    ImportDates.DetectOrder(planner.DateTexts),
                    ImportDates.IsAmbiguous(planner.DateTexts),
                    doubled);
            },
            ct);
    }

    /// <summary>The rows with errors as they were in the file, plus the row number and the reasons, as xlsx.</summary>
    public async Task WriteErrorRowsAsync(Guid uploadId, Stream output, Func<ImportRowError, string> describe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(describe);
        var actor = await currentUser.GetAsync();
        var upload = await FindUploadAsync(uploadId, actor, ct);
        var settings = upload.LastSettings ?? throw new DomainException("import.no_preview");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var planner = await LeadImportPlanner.LoadAsync(db, settings, clock.Today, ct);
        var rows = PlanRows(upload, planner)
            .Where(p => p.Action == RowAction.Error)
            .Select(p => (p.Row, Reasons: string.Join("; ", p.Parsed.Errors.Select(e =>
                describe(new ImportRowError(p.Row.RowNumber, HeaderOf(upload, e.Column), e.Value, e.Code))))));
        await Task.Run(() => ImportSpreadsheets.WriteErrorRows(output, upload.Headers, rows, CultureInfo.CurrentUICulture), ct);
    }

    /// <summary>
    /// Queues the import; it runs in the background and the returned id follows it. Calling it again for the same
    /// upload while its import is starting or running (a double click) returns that import instead of a second one.
    /// </summary>
    public async Task<int> StartAsync(Guid uploadId, ImportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var actor = await currentUser.GetAsync();
        var upload = await FindUploadAsync(uploadId, actor, CancellationToken.None);
        if (ColumnMatcher.Conflicts(settings.ColumnTargets.Select(ImportTarget.Parse)).Count > 0)
        {
            throw new DomainException("import.double_mapped");
        }

        EnsureMayCreateStatuses(actor, settings);
        return await jobs.StartOnceAsync(upload.Id, async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var import = LeadImport.Queue(upload.FileName, actor.UserId, clock.UtcNow);
            var totalRows = Math.Max(0, upload.Info.LastRowNumber - upload.HeaderRowNumber);
            var entry = db.Add(import);
            entry.Property(CrmNode.ImportNodeProperty).CurrentValue = node.Name;
            entry.Property(LeadImportConfiguration.TotalRowsProperty).CurrentValue = totalRows;
            await db.SaveChangesAsync();
            await uploads.SetImportAsync(upload, import.Id);
            jobs.Enqueue(new ImportRequest(import.Id, actor.UserId, upload, settings), totalRows);
            logger.LogInformation("Import {ImportId} of {FileName} queued by {UserId}", import.Id, upload.FileName, actor.UserId);
            return import.Id;
        });
    }

    /// <summary>
    /// The user is done with an upload (chose another file, left the page): its file goes now, not in an hour.
    /// A file an import is still reading stays; the import removes it.
    /// </summary>
    public async Task DiscardUploadAsync(Guid uploadId)
    {
        var actor = await currentUser.GetAsync();
        var upload = await uploads.FindAsync(uploadId, actor.UserId);
        if (upload is null)
        {
            return;
        }

        if (upload.ImportId is { } importId)
        {
            // The import may run on another node: its row says whether it still reads the file.
            await using var db = await dbFactory.CreateDbContextAsync();
            if (await db.Set<LeadImport>().AnyAsync(i => i.Id == importId && (i.State == LeadImportState.Queued || i.State == LeadImportState.Running)))
            {
                return;
            }
        }

        await uploads.RemoveAsync(uploadId);
    }

    /// <summary>
    /// The import's progress: pushed live on the node that runs it (<see cref="LeadImportJobs"/>), else as its row
    /// says (the running node stores it about every <see cref="LeadImportJob.StoreProgressEvery"/>).
    /// </summary>
    public async Task<ImportStatus?> GetStatusAsync(int importId, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        if (jobs.Find(importId) is { } progress)
        {
            return MayControl(actor, progress.UserId) ? ImportStatus.Of(progress) : null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await StatusRows(db).SingleOrDefaultAsync(r => r.Id == importId, ct);
        return row is null || !MayControl(actor, row.UserId) ? null : ImportStatus.Of(row.Id, row.State, row.RowsDone, row.TotalRows);
    }

    /// <summary>The import this user is waiting for (admins: anyone's), on any node, so a page opened later shows its progress.</summary>
    public async Task<ImportStatus?> FindUnfinishedAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        if (jobs.Unfinished().FirstOrDefault(p => MayControl(actor, p.UserId)) is { } progress)
        {
            return ImportStatus.Of(progress);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await StatusRows(db)
            .Where(r => (r.State == LeadImportState.Queued || r.State == LeadImportState.Running) && (actor.IsAdmin || r.UserId == actor.UserId))
            .OrderBy(r => r.Id).FirstOrDefaultAsync(ct);
        return row is null ? null : ImportStatus.Of(row.Id, row.State, row.RowsDone, row.TotalRows);
    }

    /// <summary>
    /// Cancels the import on whichever node it waits or runs: the request is stored in its row, which the running
    /// node reads at its next progress store (about every second) and then rolls the import back; on this node
    /// the job hears it at once.
    /// </summary>
    public async Task CancelAsync(int importId)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var import = await db.Set<LeadImport>().SingleOrDefaultAsync(i => i.Id == importId) ?? throw new DomainException("import.not_found");
        if (!MayControl(actor, import.UserId))
        {
            throw new DomainException("auth.forbidden");
        }

        // From here on no node claims it (the claim asks for no cancel request), and a running job stops.
        var requested = await db.Set<LeadImport>()
            .Where(i => i.Id == importId && (i.State == LeadImportState.Queued || i.State == LeadImportState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(i => EF.Property<bool>(i, LeadImportConfiguration.CancelRequestedProperty), true));
        if (requested == 0)
        {
            throw new DomainException("import.finished");
        }

        var progress = jobs.Find(importId);
        if (progress is not null)
        {
            await progress.Cancellation.CancelAsync();
        }

        await db.Entry(import).ReloadAsync();
        if (import.State == LeadImportState.Queued)
        {
            // Not started, and now never will be: the cancel is recorded here (its worker, on whichever node, passes it by).
            import.Cancel(clock.UtcNow);
            await db.SaveChangesAsync();
            if (progress is not null)
            {
                jobs.Finish(progress, LeadImportState.Cancelled);
            }
        }
    }

    public async Task<IReadOnlyList<ImportHistoryItem>> ListHistoryAsync(CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = await db.Set<LeadImport>().AsNoTracking()
            .OrderByDescending(i => i.QueuedAt).ThenByDescending(i => i.Id).Take(50)
            .Select(i => new
            {
                Import = i,
                UserName = db.Users.Where(u => u.Id == i.UserId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return [.. items.Select(x => new ImportHistoryItem(
            x.Import.Id,
            x.Import.FileName,
            x.UserName ?? "",
            clock.ToSchoolTime(x.Import.QueuedAt),
            x.Import.State,
            x.Import.RowsRead,
            x.Import.Created,
            x.Import.Updated,
            x.Import.Skipped,
            x.Import.Errors,
            x.Import.FailureCode,
            x.Import.UndoneAt is { } undone ? clock.ToSchoolTime(undone) : null,
            x.Import.UndoneCount,
            x.Import.State == LeadImportState.Completed && x.Import.UndoneAt is null && x.Import.Created > 0
                && MayControl(actor, x.Import.UserId)))];
    }

    /// <summary>Whether "create missing statuses" is offered to this user (admins only).</summary>
    public async Task<bool> MayCreateStatusesAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return (await currentUser.GetAsync()).IsAdmin;
    }

    /// <summary>What an undo of the import would remove and whether this user may do it (for the confirmation).</summary>
    public async Task<UndoCheck> CheckUndoAsync(int importId, CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<LeadImport>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == importId, ct)
            ?? throw new DomainException("import.not_found");
        return await CheckUndoAsync(db, actor, import, ct);
    }

    /// <summary>
    /// Removes the leads an import created, with their custom values, comments and history; leads converted
    /// into students since then stay. Leads the import updated keep their new values. Returns how many went.
    /// An operator may undo their own import only while nobody else has worked on its leads (see
    /// <see cref="UndoCheck"/>); otherwise only an admin may. The leads go a thousand per statement, so the write
    /// lock is never held for long (a crash midway leaves the rest, and Undo can be pressed again).
    /// </summary>
    public async Task<int> UndoAsync(int importId, CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<LeadImport>().SingleOrDefaultAsync(i => i.Id == importId, ct)
            ?? throw new DomainException("import.not_found");
        var check = await CheckUndoAsync(db, actor, import, ct);
        if (!check.MayUndo)
        {
            throw new DomainException("import.undo_later_work");
        }

        if (import.State != LeadImportState.Completed)
        {
            throw new DomainException("import.not_completed");
        }

        if (import.UndoneAt is not null)
        {
            throw new DomainException("import.already_undone");
        }

        var removed = await LeadImportRollback.DeleteCreatedLeadsAsync(dbFactory, importId, ct);
        import.MarkUndone(removed, actor.UserId, clock.UtcNow);
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Import {ImportId} undone by {UserId}: {Count} leads removed", importId, actor.UserId, removed);
        return removed;
    }

    /// <summary>The blank template in the current UI language.</summary>
    public async Task WriteTemplateAsync(Stream output, CancellationToken ct)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customFields = await ActiveCustomFieldsAsync(db, ct);
        var statuses = await db.LeadStatuses.AsNoTracking().OrderBy(s => s.SortOrder).Select(s => s.Name).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => !u.IsDisabled).OrderBy(u => u.DisplayName)
            .Select(u => new ImportSpreadsheets.UserName(u.Email ?? "", u.DisplayName)).ToListAsync(ct);
        ImportSpreadsheets.WriteTemplate(output, customFields, statuses, users, CultureInfo.CurrentUICulture);
    }

    private static async Task<List<CustomField>> ActiveCustomFieldsAsync(CrmDbContext db, CancellationToken ct) =>
        await db.CustomFields.AsNoTracking().Include(f => f.Options)
            .Where(f => !f.IsArchived).OrderBy(f => f.SortOrder).ThenBy(f => f.Id).ToListAsync(ct);

    private static List<ImportFieldChoice> FieldChoices(IEnumerable<CustomField> customFields)
    {
        var culture = CultureInfo.CurrentUICulture;
        return
        [
            .. LeadFields.Importable.Select(f => new ImportFieldChoice(f.ImportTarget.Key, LeadFieldLabels.For(f, culture))),
            .. customFields.Select(f => new ImportFieldChoice(ImportTarget.ForCustomField(f.Id).Key, f.Name)),
        ];
    }

    private IEnumerable<RowPlan> PlanRows(ImportUpload upload, LeadImportPlanner planner) =>
        uploads.Rows(upload)
            .Where(r => r.RowNumber > upload.HeaderRowNumber)
            .Select(planner.Plan)
            .Where(p => p.Action != RowAction.Empty);

    private static string HeaderOf(ImportUpload upload, int column) =>
        column >= 0 && column < upload.Headers.Count ? upload.Headers[column] : "";

    private static bool MayControl(Actor actor, string ownerId) => actor.IsAdmin || actor.UserId == ownerId;

    // Creating statuses is CRM configuration, which only admins may change (the configuration page says the same).
    private static void EnsureMayCreateStatuses(Actor actor, ImportSettings settings)
    {
        if (settings.CreateMissingStatuses && !actor.IsAdmin)
        {
            throw new DomainException("import.statuses_admin_only");
        }
    }

    private static async Task<UndoCheck> CheckUndoAsync(CrmDbContext db, Actor actor, LeadImport import, CancellationToken ct)
    {
        if (!MayControl(actor, import.UserId))
        {
            throw new DomainException("auth.forbidden");
        }

        var owner = import.UserId;
        var leads = db.Leads.AsNoTracking()
            .Where(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) == import.Id);

        // Later work: a save by someone else (UpdatedBy), a comment by someone else, any history line by someone
        // else (edits, status changes, the conversion), and any assignment after the import, whoever made it.
        var laterWork = await leads.CountAsync(
            l => l.UpdatedByUserId != owner
                || db.Comments.Any(c => c.LeadId == l.Id && c.AuthorUserId != owner)
                || db.History.Any(h => h.LeadId == l.Id && (h.UserId != owner || h.Field == nameof(Lead.AssignedToUserId))),
            ct);
        var removable = await leads.CountAsync(l => l.ConvertedAt == null, ct);
        return new UndoCheck(import.Id, removable, laterWork, actor.IsAdmin || laterWork == 0);
    }


    private async Task<ImportUpload> FindUploadAsync(Guid uploadId, Actor actor, CancellationToken ct) =>
        await uploads.FindAsync(uploadId, actor.UserId, ct) ?? throw new DomainException("import.upload_gone");

    private static IQueryable<StatusRow> StatusRows(CrmDbContext db) =>
        db.Set<LeadImport>().AsNoTracking().Select(i => new StatusRow
        {
            Id = i.Id,
            UserId = i.UserId,
            State = i.State,
            RowsDone = EF.Property<int>(i, LeadImportConfiguration.RowsDoneProperty),
            TotalRows = EF.Property<int>(i, LeadImportConfiguration.TotalRowsProperty),
        });

    // A class with init properties, not a positional record: EF Core filters and sorts on members it projected this way.
    private sealed class StatusRow
    {
        public int Id { get; init; }

        public string UserId { get; init; } = "";

        public LeadImportState State { get; init; }

        public int RowsDone { get; init; }

        public int TotalRows { get; init; }
    }

    private static async Task CopyLimitedAsync(Stream content, string path, long maxBytes, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new SpreadsheetRefusedException("file.too_large");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }
}
