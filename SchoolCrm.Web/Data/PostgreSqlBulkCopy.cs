using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SchoolCrm.Web.Data;

/// <summary>
/// PostgreSQL: the rows go in with Npgsql's binary COPY, which PostgreSQL loads without parsing or planning a
/// statement per row. The first table added (the leads) is streamed: its COPY is open while rows come, so the server
/// writes a lead and its index entries while the app reads and checks the next row (on two cores the two overlap);
/// the rows of the other tables (custom values, comments) are kept until <see cref="SaveAsync"/>, because one
/// connection runs one COPY at a time, and then copied after it, which is also the order their foreign keys need.
/// COPY cannot return the keys it generates, and a custom value needs its lead's key before it is written, so the keys
/// are reserved first from the table's identity sequence (<c>nextval</c> over <c>generate_series</c>, about a batch
/// at a time) and written explicitly; the identity column is BY DEFAULT, so that is allowed, and the sequence never
/// hands the same key out twice (reserved keys that end up unused are a gap, as a rolled-back insert's would be).
/// Any other command on the connection must wait for the open COPY: call <see cref="PauseAsync"/> first.
/// </summary>
internal sealed class PostgreSqlBulkCopy(CrmDbContext db, int rowsHint) : BulkInsert
{
    /// <summary>Keys reserved with one query: about one batch's rows, so a small import leaves no large gap.</summary>
    private readonly int keysAtOnce = Math.Clamp(rowsHint, 1, 10_000);

    /// <summary>Tables in the order their first row came, which is the order the foreign keys need.</summary>
    private readonly List<Table> tables = [];

    /// <summary>The streamed table's open COPY, or null.</summary>
    private NpgsqlBinaryImporter? streaming;

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
            // A query cannot run while a COPY is open on the connection.
            await PauseAsync(ct);
            await ReserveKeysAsync(table, ct);
        }

        var key = table.FreeKeys.Dequeue();
        var row = new object?[table.Description.Columns.Count + 1];
        row[0] = key;
        for (int i = 0; i < table.Description.Columns.Count; i++)
        {
            row[i + 1] = table.Description.Columns[i].ValueOf(entity, foreignKeys);
        }

        if (table == tables[0])
        {
            streaming ??= await Connection().BeginBinaryImportAsync(CopyCommand(table.Description), ct);
            await WriteRowAsync(streaming, table, row, ct);
        }
        else
        {
            table.Rows.Add(row);
        }

        return key;
    }

    /// <summary>Ends the streamed table's COPY for now (the next row starts another), so that another command can
    /// run on the connection.</summary>
    public override async Task PauseAsync(CancellationToken ct)
    {
        if (streaming is not null)
        {
            await streaming.CompleteAsync(ct);
            await streaming.DisposeAsync();
            streaming = null;
        }
    }

    public override async Task SaveAsync(CancellationToken ct)
    {
        await PauseAsync(ct);
        var connection = Connection();
        foreach (var table in tables.Where(t => t.Rows.Count > 0))
        {
            await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand(table.Description), ct))
            {
                foreach (var row in table.Rows)
                {
                    await WriteRowAsync(copy, table, row, ct);
                }

                // Without Complete the COPY is cancelled at dispose and nothing of it is kept.
                await copy.CompleteAsync(ct);
            }

            table.Rows.Clear();
        }
    }

    /// <summary>Rows not saved are dropped; a COPY still open is cancelled, and nothing of it is kept.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (streaming is not null)
        {
            await streaming.DisposeAsync();
            streaming = null;
        }
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, Table table, object?[] row, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync((int)row[0]!, NpgsqlTypes.NpgsqlDbType.Integer, ct);
        for (int i = 0; i < table.DataTypes.Count; i++)
        {
            if (row[i + 1] is { } value)
            {
                await copy.WriteAsync(value, table.DataTypes[i], ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }
        }
    }

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
        public IReadOnlyList<string> DataTypes { get; } = [.. Description.Columns.Select(c => c.Mapping.StoreTypeNameBase)];

        public Queue<int> FreeKeys { get; } = new();

        public List<object?[]> Rows { get; } = [];
    }
}
