using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Holds SQLite's write lock on the app's database from a second connection (BEGIN IMMEDIATE), the way a long
/// writer (an import, a backup tool, another node) would: the app's reads go on (WAL), its writes wait for the busy
/// timeout and then fail. On PostgreSQL (<see cref="TestDatabase.IsPostgreSql"/>) the same: every table of the app
/// locked IN EXCLUSIVE MODE, which lets reads through and makes writes wait until the app's lock_timeout (the busy
/// timeout) ends them. Disposing rolls back and releases the lock.
/// </summary>
public sealed class WriteLock : IAsyncDisposable
{
    private readonly DbConnection connection;

    private WriteLock(DbConnection connection) => this.connection = connection;

    /// <summary>
    /// The busy timeout for apps whose tests hold the lock: short, so a save gives up quickly.
    /// </summary>
    public static readonly KeyValuePair<string, string?> ShortBusyTimeout = new(SchoolCrm.Web.Data.DatabaseSetup.BusyTimeoutSetting, "1");

    public static async Task<WriteLock> HoldAsync(string connectionString)
    {
        if (TestDatabase.IsPostgreSql)
        {
            var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            await server.OpenAsync();
            await using var tables = server.CreateCommand();
            tables.CommandText = "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = 'public'";
            var all = (string)(await tables.ExecuteScalarAsync())!;
            await using var lockAll = server.CreateCommand();
            lockAll.CommandText = $"BEGIN; LOCK TABLE {all} IN EXCLUSIVE MODE;";
            await lockAll.ExecuteNonQueryAsync();
            return new WriteLock(server);
        }

        // Its own connection, outside the app's pool, so closing it really lets go of the file.
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return new WriteLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        await connection.DisposeAsync();
    }
}
