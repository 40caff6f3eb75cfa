using System.Collections.Concurrent;

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
}

/// <summary>
/// The uploads of all users, in memory (one server process); the files live under the data folder's imports/.
/// Files older than a day are removed when the next upload arrives.
/// </summary>
public sealed class ImportUploads(IConfiguration configuration)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<Guid, ImportUpload> uploads = new();

    public string Folder { get; } = System.IO.Path.Combine(
        System.IO.Path.GetFullPath(configuration["School:DataFolder"] ?? "data"), "imports");

    public string NewPath(Guid id, string extension)
    {
        Directory.CreateDirectory(Folder);
        return System.IO.Path.Combine(Folder, id.ToString("N") + extension);
    }

    public void Add(ImportUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        uploads[upload.Id] = upload;
    }

    /// <summary>The upload, only for the user who made it.</summary>
    public ImportUpload? Find(Guid id, string userId) =>
        uploads.TryGetValue(id, out var upload) && upload.UserId == userId ? upload : null;

    public void Remove(Guid id)
    {
        if (uploads.TryRemove(id, out var upload))
        {
            TryDelete(upload.Path);
        }
    }

    public void RemoveExpired(DateTime nowUtc)
    {
        foreach (var upload in uploads.Values.Where(u => nowUtc - u.UploadedAt > KeepFor))
        {
            Remove(upload.Id);
        }

        if (!Directory.Exists(Folder))
        {
            return;
        }

        // Files left by an earlier run of the server.
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            if (nowUtc - File.GetLastWriteTimeUtc(file) > KeepFor)
            {
                TryDelete(file);
            }
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open somewhere (a download in progress); the next clean-up takes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
