using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads.Export;

public sealed record ExportFile(Guid Token, string Path, string FileName, string UserId, int Rows, DateTime CreatedAt);

/// <summary>
/// Finished export files waiting for their download: the files are <see cref="TempFiles"/> (in the shared folder),
/// what they are is a <see cref="SharedFile"/> row, so an export prepared through one app node downloads from any
/// other. A file is handed out once, to the user who made it, and deleted after the download; unclaimed ones are
/// deleted after an hour.
/// </summary>
public sealed class ExportFiles(TempFiles files, IDbContextFactory<CrmDbContext> dbFactory, TimeProvider time)
{
    public async Task AddAsync(ExportFile file, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await TempFiles.ForgetExpiredAsync(db, time.GetUtcNow().UtcDateTime, ct);
        db.SharedFiles.Add(new SharedFile
        {
            Id = file.Token,
            Kind = SharedFileKind.Export,
            UserId = file.UserId,
            FileName = file.FileName,
            StoredName = Path.GetFileName(file.Path),
            CreatedAt = file.CreatedAt,
            LastUsedAt = file.CreatedAt,
            Details = JsonSerializer.Serialize(new ExportDetails(file.Rows)),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The file, once, for the user who made it, while it is there (also when two nodes are asked at once).</summary>
    public async Task<ExportFile?> TakeAsync(Guid token, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = db.SharedFiles.Where(f => f.Id == token && f.Kind == SharedFileKind.Export && f.UserId == userId);
        var row = await mine.AsNoTracking().SingleOrDefaultAsync(ct);

        // Whoever deletes the row has taken the file: a second download of the same token finds nothing.
        if (row is null || await mine.ExecuteDeleteAsync(ct) != 1)
        {
            return null;
        }

        var path = files.PathOf(row.StoredName);
        var details = JsonSerializer.Deserialize<ExportDetails>(row.Details);
        return File.Exists(path) ? new ExportFile(row.Id, path, row.FileName, row.UserId, details?.Rows ?? 0, row.CreatedAt) : null;
    }

    private sealed record ExportDetails(int Rows);
}
