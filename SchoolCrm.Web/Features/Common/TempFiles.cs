using Microsoft.EntityFrameworkCore;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// The files with personal data that live only until they are used: uploads waiting for their import, finished
/// exports, templates and error-row files on their way to the browser. They all sit in one folder: the data
/// folder's <c>temp/</c>, or <c>School:SharedFolder</c> when several app nodes must find each other's files (an
/// upload made through one node is imported through another); never the system temp folder, which other programs
/// and users share and which outlives the app's own clean-up. They are deleted once used, and otherwise an hour after
/// their last use (<see cref="TempFileSweeper"/>, by age only: another node may still need a file this one never
/// heard of). What an upload or export is, and whose, is in the database (<see cref="SharedFile"/>).
/// </summary>
public sealed class TempFiles(IConfiguration configuration, TimeProvider time)
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>How long a file is kept after it was written or last used.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    /// <summary>The folder every app node of the school reaches (the same network share), when there are several.</summary>
    public const string SharedFolderSetting = "School:SharedFolder";

    public string Folder { get; } = configuration[SharedFolderSetting] is { Length: > 0 } shared
        ? Path.GetFullPath(shared)
        : Path.Combine(Path.GetFullPath(configuration["School:DataFolder"] ?? "data"), "temp");

    /// <summary>The full path of a file the database names by its name in the folder.</summary>
    public string PathOf(string storedName) => Path.Combine(Folder, Path.GetFileName(storedName));

    /// <summary>A fresh path in the folder; nothing is created yet but the folder.</summary>
    public string NewPath(string extension)
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, Guid.NewGuid().ToString("N") + extension);
    }

    /// <summary>
    /// Writes a new file with <paramref name="write"/> and returns its path; a write that fails or is cancelled
    /// leaves no file behind.
    /// </summary>
    public async Task<string> WriteAsync(string extension, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var path = NewPath(extension);
        try
        {
            // Synchronous I/O: the writers are MiniExcel's, which write synchronously.
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
            {
                await write(output, ct);
            }

            return path;
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>The file was used now: its hour starts again.</summary>
    public void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime);
        }
        catch (IOException)
        {
            // Gone already: whoever needs it will say so.
        }
    }

    /// <summary>Deletes the files not used for <see cref="KeepFor"/>; returns how many went.</summary>
    public int DeleteExpired() => Delete(path => time.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(path) > KeepFor);

    /// <summary>
    /// Streams a finished file to the browser as a download and deletes it once the response is done (also when
    /// the browser goes away half-way).
    /// </summary>
    public static IResult Download(string path, string downloadName, string contentType = XlsxContentType) =>
        Results.Stream(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.SequentialScan),
            contentType,
            downloadName);

    /// <summary>
    /// Forgets the uploads and exports (<see cref="SharedFile"/>) unused for <see cref="KeepFor"/>: their files went,
    /// or go, with the sweep of the same age on whichever node sweeps.
    /// </summary>
    public static Task<int> ForgetExpiredAsync(CrmDbContext db, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var before = nowUtc - KeepFor;
        return db.SharedFiles.Where(f => f.LastUsedAt < before).ExecuteDeleteAsync(ct);
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open somewhere (a download in progress deletes it itself); the next sweep takes it otherwise.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private int Delete(Func<string, bool> due)
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        int deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            if (due(file))
            {
                TryDelete(file);
                deleted += File.Exists(file) ? 0 : 1;
            }
        }

        return deleted;
    }
}
