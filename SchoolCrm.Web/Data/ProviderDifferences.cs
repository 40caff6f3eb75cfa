using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SchoolCrm.Web.Data;

/// <summary>
/// What the app's queries must know about the database they run on, in one place. Queries stay provider-neutral
/// LINQ; where the providers' defaults differ, the query states what it wants and asks here whether that costs an
/// extra expression on this provider.
/// </summary>
public static class ProviderDifferences
{
    /// <summary>
    /// True when ORDER BY puts NULLs first ascending and last descending without being told, as SQLite does and the
    /// app's sorts promise ("leads without a value come first"). PostgreSQL does the opposite, so there the sorts add
    /// a "has no value" key in front; on SQLite that key would only keep it from reading the sort column's index.
    /// </summary>
    public static bool SortsNullsFirst(this CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return !db.Database.IsNpgsql();
    }

    /// <summary>
    /// True when one writing transaction locks the whole database for every other writer, as SQLite's does: a long
    /// write then ends its batch early when another writer waits. PostgreSQL locks only the rows written, and new rows
    /// (an import's leads) are in nobody else's way.
    /// </summary>
    public static bool HasOneWriteLock(this CrmDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return !db.Database.IsNpgsql();
    }

    /// <summary>
    /// Inside a transaction: makes every other transaction that asks for the same <paramref name="key"/> wait until
    /// this one ends, for a decision that reads other rows before it writes ("start this import only while none
    /// runs"). SQLite needs nothing: a write transaction there is already the only writer. PostgreSQL's READ COMMITTED
    /// would let two such transactions both see "none runs", so there it takes a transaction-scoped advisory lock.
    /// </summary>
    public static async Task SerializeAsync(this CrmDbContext db, long key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("SerializeAsync needs a transaction: the lock lasts until it ends.");
        }

        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }
    }

    /// <summary>
    /// Inside a transaction: holds the <typeparamref name="TEntity"/> row with this id until the transaction ends,
    /// for a delete that must see every row pointing at it ("delete this status unless a lead has it"). On
    /// PostgreSQL a save that points a row at it takes a key-share lock on it for its foreign key check, so
    /// <c>SELECT ... FOR UPDATE</c> first waits for such saves still running (then the delete's own reads see
    /// their rows), and makes those that come later wait for the delete (then their foreign key check fails
    /// instead of pointing at a deleted row). SQLite needs nothing: its write transaction is the only writer.
    /// </summary>
    public static async Task LockForUpdateAsync<TEntity>(this CrmDbContext db, int id, CancellationToken ct)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("LockForUpdateAsync needs a transaction: the lock lasts until it ends.");
        }

        if (db.Database.IsNpgsql())
        {
            // Table and key column come from the model, the id is a parameter.
            var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException(typeof(TEntity).Name + " is not mapped.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var key = entity.FindPrimaryKey()!.Properties.Single().GetColumnName(table)!;
            var names = db.GetService<ISqlGenerationHelper>();
            var sql = "SELECT 1 FROM " + names.DelimitIdentifier(table.Name, table.Schema) + " WHERE " + names.DelimitIdentifier(key) + " = {0} FOR UPDATE";
            await db.Database.ExecuteSqlRawAsync(sql, [id], ct);
        }
    }
}
