using System.Collections.Concurrent;

namespace SchoolCrm.Web.Features.Leads.Export;

public sealed record ExportFile(Guid Token, string Path, string FileName, string UserId, int Rows, DateTime CreatedAt);

/// <summary>
/// Finished export files waiting for their download, in memory (one server process). A file is handed out once,
/// to the user who made it, and deleted after the download; unclaimed ones are removed after an hour.
/// </summary>
public sealed class ExportFiles
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<Guid, ExportFile> files = new();

    public void Add(ExportFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        files[file.Token] = file;
    }

    public ExportFile? Take(Guid token, string userId)
    {
        if (files.TryGetValue(token, out var file) && file.UserId == userId && files.TryRemove(token, out _))
        {
            return file;
        }

        return null;
    }

    public void RemoveExpired(DateTime nowUtc)
    {
        foreach (var file in files.Values.Where(f => nowUtc - f.CreatedAt > KeepFor))
        {
            if (files.TryRemove(file.Token, out _))
            {
                Import.ImportUploads.TryDelete(file.Path);
            }
        }
    }
}
