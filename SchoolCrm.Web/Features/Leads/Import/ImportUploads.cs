using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>An uploaded file that passed inspection, kept on disk until it is imported or abandoned.</summary>
public sealed class ImportUpload
{
    public required Guid Id { get; init; }

    public required string Path { get; init; }

    public required string FileName { get; init; }

    public required string UserId { get; init; }

    public required SpreadsheetInfo Info { get; init; }

    public required int HeaderRowNumber { get; init; }

    public required IReadOnlyList<string> Headers { get; init; }

    public required DateTime UploadedAt { get; init; }

    /// <summary>The settings of the last preview, which the error-rows download repeats.</summary>
    public ImportSettings? LastSettings { get; set; }

    /// <summary>The import that was started with this file, if any: while it runs, the file is its.</summary>
    public int? ImportId { get; set; }

    /// <summary>The rows as the first full read gave them (<see cref="SheetRowFile"/>), once that read is complete.</summary>
    public string? RowsPath => rowsPath;

    private string? rowsPath;

    /// <summary>Keeps the first complete copy of the rows; says whether <paramref name="path"/> was kept.</summary>
    internal bool KeepRows(string path) => Interlocked.CompareExchange(ref rowsPath, path, null) is null;
}

/// <summary>
/// The uploads of all users: the files are <see cref="TempFiles"/> (in the shared folder), what they are is a
/// <see cref="SharedFile"/> row, so an upload made through one app node is previewed and imported through any
/// other. Each is deleted an hour after its last use (a preview or a start counts as use). A user holds at most
/// <see cref="ImportLimits.MaxPendingUploads"/> of them: the import page discards its file when it is replaced
/// or the page is left, so only many open tabs reach the limit.
/// </summary>
public sealed class ImportUploads(TempFiles files, IDbContextFactory<CrmDbContext> dbFactory, TimeProvider time, IOptions<ImportLimits> limits)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string NewPath(string extension) => files.NewPath(extension);

    /// <summary>Refuses a new upload while the user already holds as many as allowed, before any byte is copied.</summary>
    public async Task EnsureRoomForAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await TempFiles.ForgetExpiredAsync(db, time.GetUtcNow().UtcDateTime, ct);
        var held = await db.SharedFiles.AsNoTracking()
            .Where(f => f.UserId == userId && f.Kind == SharedFileKind.Upload)
            .Select(f => f.StoredName).ToListAsync(ct);

        // Only the files that are still there count. A missing one is not forgotten here: without a shared folder it
        // may be another node's, in that node's own folder (its row goes when it expires).
        if (held.Count(name => File.Exists(files.PathOf(name))) >= limits.Value.MaxPendingUploads)
        {
            throw new DomainException("import.too_many_uploads");
        }
    }

    /// <summary>
    /// The upload's rows: from the copy an earlier full read made, else from the file, copying them on the way
    /// (the preview is the first full read, so the import job reads the preview's copy). The import job reads with
    /// <paramref name="keepCopy"/> false: it is the last read of a file it has not seen previewed, and the copy's
    /// bookkeeping, a write at the end of the rows, would have to wait for the job's own open batch.
    /// </summary>
    public IEnumerable<SheetRow> Rows(ImportUpload upload, bool keepCopy = true)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.RowsPath is { } copy && File.Exists(copy))
        {
            files.Touch(copy);
            return SheetRowFile.Read(copy);
        }

        if (!keepCopy)
        {
            return SpreadsheetRows.Read(upload.Path, upload.Info);
        }

        var path = files.NewPath(".rows");
        return SheetRowFile.Copying(SpreadsheetRows.Read(upload.Path, upload.Info), path, () =>
        {
            // Two reads ran at once (two previews, maybe on two nodes): the database keeps the first copy. The
            // callback runs at the end of a synchronous enumeration, hence the synchronous update.
            using var db = dbFactory.CreateDbContext();
            var kept = db.SharedFiles.Where(f => f.Id == upload.Id && f.RowsStoredName == null)
                .ExecuteUpdate(s => s.SetProperty(f => f.RowsStoredName, Path.GetFileName(path))) == 1;
            if (!kept || !upload.KeepRows(path))
            {
                TempFiles.TryDelete(path);
            }
        });
    }

    public async Task AddAsync(ImportUpload upload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.SharedFiles.Add(new SharedFile
        {
            Id = upload.Id,
            Kind = SharedFileKind.Upload,
            UserId = upload.UserId,
            FileName = upload.FileName.Length > SharedFile.FileNameMaxLength ? upload.FileName[..SharedFile.FileNameMaxLength] : upload.FileName,
            StoredName = Path.GetFileName(upload.Path),
            CreatedAt = upload.UploadedAt,
            LastUsedAt = upload.UploadedAt,
            Details = JsonSerializer.Serialize(new UploadDetails(upload.Info, upload.HeaderRowNumber, upload.Headers), Json),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The upload, only for the user who made it, and only while its file is there; counts as its use.</summary>
    public async Task<ImportUpload?> FindAsync(Guid id, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SharedFiles.AsNoTracking()
            .SingleOrDefaultAsync(f => f.Id == id && f.Kind == SharedFileKind.Upload && f.UserId == userId, ct);
        if (row is null)
        {
            return null;
        }

        var path = files.PathOf(row.StoredName);
        if (!File.Exists(path))
        {
            await db.SharedFiles.Where(f => f.Id == id).ExecuteDeleteAsync(ct);
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.SharedFiles.Where(f => f.Id == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.LastUsedAt, now), ct);
        files.Touch(path);
        var details = JsonSerializer.Deserialize<UploadDetails>(row.Details, Json)
            ?? throw new InvalidOperationException("Upload " + id + " has no details.");
        var upload = new ImportUpload
        {
            Id = row.Id,
            Path = path,
            FileName = row.FileName,
            UserId = row.UserId,
            Info = details.Info,
            HeaderRowNumber = details.HeaderRowNumber,
            Headers = details.Headers,
            UploadedAt = row.CreatedAt,
            LastSettings = row.LastSettings is { } settings ? JsonSerializer.Deserialize<ImportSettings>(settings, Json) : null,
            ImportId = row.ImportId,
        };
        if (row.RowsStoredName is { } rowsName && files.PathOf(rowsName) is var rows && File.Exists(rows))
        {
            files.Touch(rows);
            upload.KeepRows(rows);
        }

        return upload;
    }

    /// <summary>Remembers the settings of the upload's last preview (the error-rows download repeats them).</summary>
    public async Task SaveLastSettingsAsync(ImportUpload upload, ImportSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        upload.LastSettings = settings;
        var json = JsonSerializer.Serialize(settings, Json);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.SharedFiles.Where(f => f.Id == upload.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.LastSettings, json), ct);
    }

    /// <summary>Notes the import started with the upload: while it runs, the file is its.</summary>
    public async Task SetImportAsync(ImportUpload upload, int importId)
    {
        ArgumentNullException.ThrowIfNull(upload);
        upload.ImportId = importId;
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.SharedFiles.Where(f => f.Id == upload.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.ImportId, importId));
    }

    public async Task RemoveAsync(Guid id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.SharedFiles.AsNoTracking().Where(f => f.Id == id && f.Kind == SharedFileKind.Upload)
            .Select(f => new { f.StoredName, f.RowsStoredName }).SingleOrDefaultAsync();
        if (row is null)
        {
            return;
        }

        await db.SharedFiles.Where(f => f.Id == id).ExecuteDeleteAsync();
        TempFiles.TryDelete(files.PathOf(row.StoredName));
        if (row.RowsStoredName is { } rows)
        {
            TempFiles.TryDelete(files.PathOf(rows));
        }
    }

    private sealed record UploadDetails(SpreadsheetInfo Info, int HeaderRowNumber, IReadOnlyList<string> Headers);
}
