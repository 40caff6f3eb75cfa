using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SchoolCrm.Web.Data;

/// <summary>
/// PostgreSQL: the rows are kept until <see cref="SaveAsync"/> and then streamed with Npgsql's binary COPY, one COPY
/// per table, which PostgreSQL loads without parsing or planning a statement per row. COPY cannot return the keys
/// it generates, and a custom value needs its lead's key before it is written, so the keys are reserved first from
/// the table's identity sequence (<c>nextval</c> over <c>generate_series</c>, about a batch at a time) and
/// written explicitly; the identity column is BY DEFAULT, so that is allowed, and the sequence never hands the same
/// key out twice (reserved keys that end up unused are a gap, as a rolled-back insert's would be).
/// </summary>
internal sealed class PostgreSqlBulkCopy(CrmDbContext db, int rowsHint) : BulkInsert
{
    /// <summary>Keys reserved with one query: about one batch's rows, so a small import leaves no large gap.</summary>
    private readonly int keysAtOnce = Math.Clamp(rowsHint, 1, 10_000);

    /// <summary>Tables in the order their first row came, which is the order the foreign keys need.</summary>
    private readonly List<Table> tables = [];

    public override async Task<int> AddAsync<T>(T entity, IReadOnlyDictionary<string, object?>? foreignKeys = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var table = tables.Find(t => t.Type == typeof(T));
        if (table is null)
        {
            table = new Table(typeof(T), BulkTable.For(db, typeof(T)));
            tables.Add(table);
        }

        if (table.FreeKeys.Count == 0)
        {
            await ReserveKeysAsync(table, ct);
        }

        var key = table.FreeKeys.Dequeue();
        var row = new object?[table.Description.Columns.Count + 1];
        row[0] = key;
        for (int i = 0; i < table.Description.Columns.Count; i++)
        {
            row[i + 1] = table.Description.Columns[i].ValueOf(entity, foreignKeys);
        }

        table.Rows.Add(row);
        return key;
    }

    public override async Task SaveAsync(CancellationToken ct)
    {
        var connection = Connection();
        foreach (var table in tables.Where(t => t.Rows.Count > 0))
        {
            var columns = table.Description.Columns;
            var dataTypes = columns.Select(c => c.Mapping.StoreTypeNameBase).ToList();
            await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand(table.Description), ct))
            {
                foreach (var row in table.Rows)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync((int)row[0]!, NpgsqlTypes.NpgsqlDbType.Integer, ct);
                    for (int i = 0; i < columns.Count; i++)
                    {
                        if (row[i + 1] is { } value)
                        {
                            await copy.WriteAsync(value, dataTypes[i], ct);
                        }
                        else
                        {
                            await copy.WriteNullAsync(ct);
                        }
                    }
                }

                // Without Complete the COPY is cancelled at dispose and nothing of it is kept.
                await copy.CompleteAsync(ct);
            }

            table.Rows.Clear();
        }
    }

    /// <summary>The rows are the caller's until <see cref="SaveAsync"/>; not saved, they are dropped.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The statement COPY runs for <paramref name="table"/>: the key first, then every column.</summary>
    internal static string CopyCommand(BulkTable table) =>
        $"COPY {table.Name} ({table.KeyColumn}, {string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";

    private async Task ReserveKeysAsync(Table table, CancellationToken ct)
    {
        await using var command = Connection().CreateCommand();
        // The sequence's name comes from the database (pg_get_serial_sequence), the table's from the EF model.
        command.CommandText = $"SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, $3)";
        command.Parameters.Add(new NpgsqlParameter { Value = table.Description.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = table.Description.KeyName });
        command.Parameters.Add(new NpgsqlParameter { Value = keysAtOnce });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            table.FreeKeys.Enqueue(Convert.ToInt32(reader.GetInt64(0), CultureInfo.InvariantCulture));
        }
    }

    private NpgsqlConnection Connection()
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Bulk inserts run inside a transaction.");
        }

        // The connection's transaction is the context's: Npgsql runs every command and COPY inside it.
        return (NpgsqlConnection)db.Database.GetDbConnection();
    }

    private sealed record Table(Type Type, BulkTable Description)
    {
        public Queue<int> FreeKeys { get; } = new();

        public List<object?[]> Rows { get; } = [];
    }
}
