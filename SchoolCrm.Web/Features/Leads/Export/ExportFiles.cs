using System.Collections.Concurrent;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads.Export;

public sealed record ExportFile(Guid Token, string Path, string FileName, string UserId, int Rows, DateTime CreatedAt);

/// <summary>
/// Finished export files waiting for their download, in memory (one server process); the files are
/// <see cref="TempFiles"/>. A file is handed out once, to the user who made it, and deleted after the download;
/// unclaimed ones are deleted after an hour.
/// </summary>
public sealed class ExportFiles
{
    private readonly ConcurrentDictionary<Guid, ExportFile> files = new();

    public void Add(ExportFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        files[file.Token] = file;
    }

    /// <summary>The file, once, for the user who made it, while it is there.</summary>
    public ExportFile? Take(Guid token, string userId)
    {
        if (files.TryGetValue(token, out var file) && file.UserId == userId && files.TryRemove(token, out _) && File.Exists(file.Path))
        {
            return file;
        }

        return null;
    }

    public void RemoveExpired(DateTime nowUtc)
    {
        foreach (var file in files.Values.Where(f => nowUtc - f.CreatedAt > TempFiles.KeepFor || !File.Exists(f.Path)))
        {
            if (files.TryRemove(file.Token, out _))
            {
                TempFiles.TryDelete(file.Path);
            }
        }
    }
}
