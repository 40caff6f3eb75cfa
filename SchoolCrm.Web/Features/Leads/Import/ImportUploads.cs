using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain;
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
/// The uploads of all users, in memory (one server process); the files are <see cref="TempFiles"/>, deleted an
/// hour after their last use (a preview or a start counts as use). A user holds at most
/// <see cref="ImportLimits.MaxPendingUploads"/> of them: the import page discards its file when it is replaced
/// or the page is left, so only many open tabs reach the limit.
/// </summary>
public sealed class ImportUploads(TempFiles files, IOptions<ImportLimits> limits)
{
    private readonly ConcurrentDictionary<Guid, ImportUpload> uploads = new();

    public string NewPath(string extension) => files.NewPath(extension);

    /// <summary>Refuses a new upload while the user already holds as many as allowed, before any byte is copied.</summary>
    public void EnsureRoomFor(string userId)
    {
        ForgetGone();
        if (uploads.Values.Count(u => u.UserId == userId) >= limits.Value.MaxPendingUploads)
        {
            throw new DomainException("import.too_many_uploads");
        }
    }

    /// <summary>
    /// The upload's rows: from the copy an earlier full read made, else from the file, copying them on the way
    /// (the preview is the first full read, so the import job reads the preview's copy).
    /// </summary>
    public IEnumerable<SheetRow> Rows(ImportUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.RowsPath is { } copy && File.Exists(copy))
        {
            files.Touch(copy);
            return SheetRowFile.Read(copy);
        }

        var path = files.NewPath(".rows");
        return SheetRowFile.Copying(SpreadsheetRows.Read(upload.Path, upload.Info), path, () =>
        {
            if (!upload.KeepRows(path))
            {
                // Two reads ran at once (two previews); the first copy is kept.
                TempFiles.TryDelete(path);
            }
        });
    }

    public void Add(ImportUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        uploads[upload.Id] = upload;
    }

    /// <summary>The upload, only for the user who made it, and only while its file is there.</summary>
    public ImportUpload? Find(Guid id, string userId)
    {
        if (!uploads.TryGetValue(id, out var upload) || upload.UserId != userId)
        {
            return null;
        }

        if (!File.Exists(upload.Path))
        {
            uploads.TryRemove(id, out _);
            return null;
        }

        files.Touch(upload.Path);
        if (upload.RowsPath is { } rows)
        {
            files.Touch(rows);
        }

        return upload;
    }

    public void Remove(Guid id)
    {
        if (uploads.TryRemove(id, out var upload))
        {
            TempFiles.TryDelete(upload.Path);
            if (upload.RowsPath is { } rows)
            {
                TempFiles.TryDelete(rows);
            }
        }
    }

    // The sweeper deletes expired files; their entries go here.
    private void ForgetGone()
    {
        foreach (var upload in uploads.Values.Where(u => !File.Exists(u.Path)))
        {
            uploads.TryRemove(upload.Id, out _);
        }
    }
}
