using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Which database the integration tests run on. test.sh runs the test project twice: once on SQLite (the default),
/// once with <see cref="ProviderVariable"/> = <c>PostgreSql</c> against the throw-away server it started
/// (scripts/test-postgres.sh), whose address is in <see cref="ServerVariable"/>. On PostgreSQL every app factory
/// gets a database of its own (created by the app's start-up migration, dropped at dispose).
/// </summary>
public static class TestDatabase
{
    /// <summary><c>Sqlite</c> (default) or <c>PostgreSql</c>.</summary>
    public const string ProviderVariable = "SCHOOLCRM_TEST_DATABASE";

    /// <summary>Connection string of the test server without a database, e.g. <c>Host=127.0.0.1;Port=5433;Username=postgres</c>.</summary>
    public const string ServerVariable = "SCHOOLCRM_TEST_POSTGRES";

    /// <summary>Set for tests that touch a database but only mean SQLite (its locks, PRAGMAs, query plans, files).</summary>
    public const string SqliteOnlyTrait = "SqliteOnly";

    public static bool IsPostgreSql =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The test server; fails (never skips) with what to do when it is not there.</summary>
    public static string PostgreSqlServer =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"This test needs a PostgreSQL server, but {ServerVariable} is not set. Run ./test.sh, which starts one " +
                $"(scripts/test-postgres.sh), or set {ServerVariable}=Host=127.0.0.1;Port=5432;Username=postgres yourself.");

    /// <summary>A connection string to a new, not yet existing database on the test server.</summary>
    public static string NewPostgreSqlDatabase() =>
        new NpgsqlConnectionStringBuilder(PostgreSqlServer) { Database = "crm_test_" + Guid.NewGuid().ToString("N") }.ToString();

    /// <summary>A context of its own on <paramref name="connectionString"/>, of the provider the tests run on.</summary>
    public static CrmDbContext NewContext(string connectionString, params IInterceptor[] interceptors) =>
        IsPostgreSql
            ? new PostgreSqlCrmDbContext(new DbContextOptionsBuilder<PostgreSqlCrmDbContext>().UseNpgsql(connectionString).AddInterceptors(interceptors).Options)
            : new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(connectionString).AddInterceptors(interceptors).Options);

    /// <summary>Adds to the app's context options (interceptors), whichever provider's context type the app registered.</summary>
    public static IServiceCollection ConfigureCrmDbContext(this IServiceCollection services, Action<DbContextOptionsBuilder> configure) =>
        IsPostgreSql ? services.ConfigureDbContext<PostgreSqlCrmDbContext>(configure) : services.ConfigureDbContext<CrmDbContext>(configure);

    /// <summary>Drops the database of <paramref name="connectionString"/>, also while connections to it are open.</summary>
    public static async Task DropPostgreSqlDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        await using (var own = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(own);
        }

        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // The name is ours (crm_test_ + a GUID), never a user's; an identifier cannot be a parameter.
        command.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Makes the database refuse inserts into <paramref name="table"/> whose row meets <paramref name="condition"/>
    /// (SQL over <c>NEW."Column"</c>): a real database failure in the middle of a write. SQLite and PostgreSQL
    /// write triggers differently; the table, the condition and the name are the test's own constants.
    /// </summary>
    public static async Task FailInsertsAsync(CrmDbContext db, string name, string table, string condition)
    {
        ArgumentNullException.ThrowIfNull(db);
#pragma warning disable EF1002, EF1003
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(
                $"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {condition} THEN RAISE EXCEPTION 'forced'; END IF; RETURN NEW; END $$; " +
                $"CREATE TRIGGER {name} BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION {name}();");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync($"CREATE TRIGGER {name} BEFORE INSERT ON \"{table}\" WHEN {condition} BEGIN SELECT RAISE(ABORT, 'forced'); END;");
        }
    }

    /// <summary>Removes a trigger of <see cref="FailInsertsAsync"/>.</summary>
    public static async Task StopFailingInsertsAsync(CrmDbContext db, string name, string table)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql()
            ? $"DROP TRIGGER {name} ON \"{table}\"; DROP FUNCTION {name}();"
            : $"DROP TRIGGER {name};");
#pragma warning restore EF1002, EF1003
    }
}
