using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Takes back what an import wrote, in short transactions like the import itself, so nobody waits for it:
/// deletes the leads it created (with their values, comments and history, by cascade) and puts every lead it
/// updated back to its journaled state, removing the import's history lines on them (the user sees the lead as if
/// the import had never run). Runs after a cancel or a failure, and at start-up for an import a crash left
/// running. Safe to run again when interrupted itself: every step only finds what is still left.
/// </summary>
public sealed class LeadImportRollback(IDbContextFactory<CrmDbContext> dbFactory, ILogger<LeadImportRollback> logger)
{
    /// <summary>Leads deleted per statement (each removes its values, comments and history and their index entries).</summary>
    public const int DeleteBatchSize = 2000;

    private const int RestoreBatchSize = 500;

    internal static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.General);

    /// <summary>Rolls the import back, then records how it ended with <paramref name="end"/>.</summary>
    public async Task RollBackAsync(int importId, Action<LeadImport> end)
    {
        ArgumentNullException.ThrowIfNull(end);
        var ct = CancellationToken.None;
        var removed = await DeleteCreatedLeadsAsync(dbFactory, importId, ct);
        var restored = await RestoreUpdatedLeadsAsync(importId, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<LeadImport>().SingleAsync(i => i.Id == importId, ct);
        end(import);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Import {ImportId} rolled back: {Removed} created leads removed, {Restored} updated leads restored", importId, removed, restored);
    }

    /// <summary>
    /// Deletes the not converted leads the import created, <see cref="DeleteBatchSize"/> per statement, each its own
    /// short transaction (also the undo's way of removing up to 200k leads). Returns how many went.
    /// </summary>
    public static async Task<int> DeleteCreatedLeadsAsync(IDbContextFactory<CrmDbContext> dbFactory, int importId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        int total = 0;
        var turns = new WriteTurns();
        while (true)
        {
            await turns.BeforeNextAsync(ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = db.Leads
                .Where(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) == importId && l.ConvertedAt == null)
                .OrderBy(l => l.Id).Select(l => l.Id).Take(DeleteBatchSize);
            var deleted = await db.Leads.Where(l => batch.Contains(l.Id)).ExecuteDeleteAsync(ct);
            turns.Committed(db);
            total += deleted;
            if (deleted < DeleteBatchSize)
            {
                return total;
            }
        }
    }

    private async Task<int> RestoreUpdatedLeadsAsync(int importId, CancellationToken ct)
    {
        int total = 0;
        var turns = new WriteTurns();
        while (true)
        {
            await turns.BeforeNextAsync(ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var import = await db.Set<LeadImport>().AsNoTracking()
                .Where(i => i.Id == importId).Select(i => new { i.UserId, i.StartedAt }).SingleAsync(ct);
            var entries = await db.Set<LeadImportJournalEntry>()
                .Where(e => e.ImportId == importId).OrderBy(e => e.Id).Take(RestoreBatchSize).ToListAsync(ct);
            if (entries.Count == 0)
            {
                return total;
            }

            var ids = entries.Select(e => e.LeadId).Distinct().ToList();
            var leads = await db.Leads.Include(l => l.CustomValues)
                .Where(l => ids.Contains(l.Id) && l.ConvertedAt == null).ToDictionaryAsync(l => l.Id, ct);
            foreach (var entry in entries)
            {
                // A lead converted or removed since has left the CRM list; it is not brought back.
                if (leads.TryGetValue(entry.LeadId, out var lead))
                {
                    var snapshot = JsonSerializer.Deserialize<LeadSnapshot>(entry.Snapshot, SnapshotJson)!;
                    db.CustomFieldValues.RemoveRange(lead.Restore(snapshot));
                    total++;
                }
            }

            // The import wrote all its history lines as its user, at its start time (see LeadImportJob).
            var startedAt = import.StartedAt;
            await db.History
                .Where(h => h.LeadId != null && ids.Contains(h.LeadId.Value) && h.UserId == import.UserId && h.At == startedAt)
                .ExecuteDeleteAsync(ct);
            db.RemoveRange(entries);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            turns.Committed(db);
        }
    }
}
