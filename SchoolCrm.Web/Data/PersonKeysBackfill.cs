using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Web.Data;

/// <summary>
/// Fills the folded search and sort keys (<see cref="PersonRecord.SearchText"/> and the *Key columns) of rows
/// written before those columns existed. The keys are computed in C# by the entity itself, because SQLite cannot
/// fold accents in SQL, so a migration (plain SQL) cannot compute them; this runs after the migrations at
/// start-up instead. A row without keys has an empty <see cref="PersonRecord.SearchText"/>: every real lead
/// and student has at least a first name, so the check is cheap and finds nothing once the work is done. A later
/// change to <see cref="Domain.TextFolding"/> recomputes every key with a migration that sets SearchText to ''.
/// Custom text values get their <see cref="CustomFieldValue.TextKey"/> the same way (a text without a key).
/// </summary>
public static class PersonKeysBackfill
{
    private const int BatchSize = 2_000;

    /// <summary>Returns how many leads, students and custom text values got their keys.</summary>
    public static async Task<int> RunAsync(IDbContextFactory<CrmDbContext> factory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return await RunAsync(factory, db => db.Leads, p => p.SearchText == "", p => p.RefreshKeys(), ct)
            + await RunAsync(factory, db => db.Students, p => p.SearchText == "", p => p.RefreshKeys(), ct)
            + await RunAsync(factory, db => db.CustomFieldValues, v => v.TextValue != null && v.TextKey == null, v => v.RefreshKey(), ct);
    }

    private static async Task<int> RunAsync<T>(
        IDbContextFactory<CrmDbContext> factory,
        Func<CrmDbContext, IQueryable<T>> rows,
        Expression<Func<T, bool>> withoutKeys,
        Action<T> refresh,
        CancellationToken ct)
        where T : class
    {
        var done = 0;
        var afterId = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);

            // Paged by id, so a row whose keys stay empty (a first name of blanks, which the app never writes)
            // cannot keep the loop going.
            var batch = await rows(db)
                .Where(withoutKeys)
                .Where(p => EF.Property<int>(p, "Id") > afterId)
                .OrderBy(p => EF.Property<int>(p, "Id"))
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var row in batch)
            {
                refresh(row);
            }

            await db.SaveChangesAsync(ct);
            afterId = db.Entry(batch[^1]).Property<int>("Id").CurrentValue;
            done += batch.Count;
        }
    }
}
