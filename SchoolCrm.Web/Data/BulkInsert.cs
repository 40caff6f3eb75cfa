using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SchoolCrm.Web.Data;

/// <summary>
/// Inserts many new entities fast: one prepared INSERT per table, reused for every row, inside the context's
/// current transaction. Tables, columns and value conversions come from the EF model, so rows look exactly like
/// the ones SaveChanges writes. For generated data (the demo seed): EF Core on SQLite sends one command per row
/// and re-parses it, which is several times slower for a million leads. Bypasses domain events and change tracking.
/// </summary>
public sealed class BulkInsert(CrmDbContext db) : IAsyncDisposable
{
    private readonly Dictionary<Type, Insert> inserts = [];

    /// <summary>Writes the entity and returns its generated integer key. <paramref name="foreignKeys"/> overrides
    /// columns whose values EF would have filled in from a navigation (e.g. a custom value's LeadId).</summary>
    public async Task<int> AddAsync<T>(T entity, IReadOnlyDictionary<string, object?>? foreignKeys = null, CancellationToken ct = default)
        where T : class
    {
        if (inserts.Count == 0 && db.Database.IsSqlite())
        {
            // Every lead touches a dozen index b-trees; with SQLite's default 2 MB page cache many of their pages are
            // read and written again for each batch. 8 MB keeps the hot ones (for this pooled connection): 64 MB
            // measured no faster for a 100k import and kept up to 56 MB more in the process, also after the import
            // (the pooled connection keeps its cache) (docs/benchmarks-import.md).
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-8192;", ct);
        }

        if (!inserts.TryGetValue(typeof(T), out var insert))
        {
            insert = Insert.Prepare(db, typeof(T));
            inserts[typeof(T)] = insert;
        }

        foreach (var column in insert.Columns)
        {
            var value = foreignKeys is not null && foreignKeys.TryGetValue(column.Property.Name, out var given)
                ? given
                : column.Getter?.GetClrValue(entity);
            if (value is not null && column.Mapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            column.Parameter.Value = value ?? DBNull.Value;
        }

        var key = await insert.Command.ExecuteScalarAsync(ct);
        return Convert.ToInt32(key, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var insert in inserts.Values)
        {
            await insert.Command.DisposeAsync();
        }
    }

    /// <param name="Getter">Null for a shadow property: written as NULL unless given.</param>
    private sealed record Column(IProperty Property, IClrPropertyGetter? Getter, RelationalTypeMapping Mapping, DbParameter Parameter);

    private sealed record Insert(DbCommand Command, List<Column> Columns)
    {
        public static Insert Prepare(CrmDbContext db, Type type)
        {
            var entityType = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity.");
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var key = entityType.FindPrimaryKey()!.Properties.Single();
            var sql = db.GetService<ISqlGenerationHelper>();

            var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                ?? throw new InvalidOperationException("Bulk inserts run inside a transaction.");
            var columns = new List<Column>();
            foreach (var property in entityType.GetProperties().Where(p => p != key))
            {
                var mapping = (RelationalTypeMapping)property.GetTypeMapping();
                var parameter = mapping.CreateParameter(command, "@p" + columns.Count.ToString(CultureInfo.InvariantCulture), null, property.IsNullable);
                command.Parameters.Add(parameter);
                columns.Add(new Column(property, property.IsShadowProperty() ? null : property.GetGetter(), mapping, parameter));
            }

            command.CommandText =
                $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} " +
                $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) " +
                $"VALUES ({string.Join(", ", columns.Select(c => c.Parameter.ParameterName))}) " +
                $"RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}";
            command.Prepare();
            return new Insert(command, columns);
        }
    }
}
