using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// The database one benchmark runs on (issue 12): a SQLite file in bench-data/, or a database of its own on a
/// PostgreSQL server given by <c>--postgres</c> (a connection string without database name, as
/// scripts/test-postgres.sh prints it). Each data set has its own PostgreSQL database, kept like the SQLite files.
/// </summary>
internal sealed record BenchDatabase(DatabaseProvider Provider, string ConnectionString, string Where)
{
    /// <summary>The environment variable that may hold the PostgreSQL server instead of <c>--postgres</c>.</summary>
    public const string ServerVariable = "SCHOOLCRM_BENCH_POSTGRES";

    public static BenchDatabase Sqlite(string path) => new(DatabaseProvider.Sqlite, "Data Source=" + path, path);

    /// <summary>The database for the data set <paramref name="name"/> (e.g. leads-100000) on the chosen provider.</summary>
    public static BenchDatabase For(DatabaseProvider provider, string dataFolder, string name, string? postgresServer)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return Sqlite(Path.GetFullPath(Path.Combine(dataFolder, name + ".db")));
        }

        if (string.IsNullOrWhiteSpace(postgresServer))
        {
            throw new InvalidOperationException(
                $"PostgreSQL needs --postgres \"Host=...;Port=...;Username=...\" (or {ServerVariable}); scripts/test-postgres.sh start FOLDER starts one.");
        }

        var builder = new NpgsqlConnectionStringBuilder(postgresServer) { Database = "schoolcrm_bench_" + name.Replace('-', '_') };
        return new BenchDatabase(DatabaseProvider.PostgreSql, builder.ToString(), $"database {builder.Database} on {builder.Host}:{builder.Port}");
    }

    /// <summary>The app's settings that choose this database.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        [DatabaseSetup.ProviderSetting] = Provider.ToString(),
        ["ConnectionStrings:Crm"] = ConnectionString,
    };

    /// <summary>A new ADO.NET connection for the hand-written baselines, opened.</summary>
    public static async Task<DbConnection> OpenAsync(DatabaseProvider provider, string connectionString)
    {
        DbConnection connection = provider == DatabaseProvider.PostgreSql ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static void ClearPools()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The server's version and the settings that matter for the figures (durability, memory).</summary>
    public static async Task<string> DescribePostgreSqlAsync(string connectionString)
    {
        await using var connection = await OpenAsync(DatabaseProvider.PostgreSql, connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 'PostgreSQL ' || current_setting('server_version') || ' (fsync=' || current_setting('fsync')
                || ', synchronous_commit=' || current_setting('synchronous_commit') || ', shared_buffers=' || current_setting('shared_buffers')
                || ', work_mem=' || current_setting('work_mem') || ', max_parallel_workers_per_gather=' || current_setting('max_parallel_workers_per_gather') || ')'
            """;
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// CPU time the PostgreSQL server spent, when it runs on this machine (Linux /proc; root or the server's user): the
/// postmaster and its living children (the pooled connections' backends) in nanoseconds from /proc/PID/schedstat, plus
/// what its ended children used (parallel workers) from the postmaster's reaped-children ticks. With the process's own
/// CPU this is what a query costs the machine, where for SQLite the process's CPU already holds it all.
/// </summary>
internal sealed class ServerCpu(int postmaster)
{
    private static readonly double TickMs = 1000d / 100; // USER_HZ: 100 on Linux

    /// <summary>The server of <paramref name="connectionString"/>, or null when its processes cannot be read here.</summary>
    public static async Task<ServerCpu?> FindAsync(string connectionString)
    {
        await using var connection = await BenchDatabase.OpenAsync(DatabaseProvider.PostgreSql, connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_backend_pid()";
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var stat = Stat(backend);
        return stat is null ? null : new ServerCpu(int.Parse(stat[1], CultureInfo.InvariantCulture));
    }

    public double TotalMs()
    {
        var total = 0d;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || Stat(pid) is not { } stat)
            {
                continue;
            }

            if (pid == postmaster)
            {
                total += RunMs(pid) + (long.Parse(stat[13], CultureInfo.InvariantCulture) + long.Parse(stat[14], CultureInfo.InvariantCulture)) * TickMs;
            }
            else if (stat[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            {
                total += RunMs(pid);
            }
        }

        return total;
    }

    private static double RunMs(int pid)
    {
        try
        {
            return long.Parse(File.ReadAllText($"/proc/{pid}/schedstat").Split(' ')[0], CultureInfo.InvariantCulture) / 1e6;
        }
        catch (IOException)
        {
            return 0; // The process ended meanwhile.
        }
    }

    /// <summary>The fields of /proc/PID/stat after the command name (index 0 = state, 1 = parent, 11/12 = own, 13/14 = children's ticks).</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
