using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SchoolCrm.Web.Data;

public static class DatabaseSetup
{
    /// <summary>The setting that says how long a write waits for another writer's lock (seconds).</summary>
    public const string BusyTimeoutSetting = "Database:BusyTimeoutSeconds";

    /// <summary>
    /// Every writer holds the lock briefly (the import writes in batches and leaves gaps for others, see
    /// <see cref="WriteTurns"/>), so a save that still waits 5 seconds meets a real problem: waiting longer only keeps
    /// the user staring at a spinner before "could not save, try again" says the same thing.
    /// </summary>
    public const int DefaultBusyTimeoutSeconds = 5;

    /// <summary>The setting that chooses the database: <see cref="DatabaseProvider"/>, SQLite by default.</summary>
    public const string ProviderSetting = "Database:Provider";

    /// <summary>
    /// The PostgreSQL advisory lock (a fixed, app-wide number) that the node applying the migrations holds, so that
    /// nodes starting together migrate one after the other: the others wait, then find nothing left to do.
    /// </summary>
    public const long MigrationLockKey = 5_373_011_001;

    /// <summary>Reads <see cref="ProviderSetting"/>; a value that is neither provider stops the app with its name.</summary>
    public static DatabaseProvider Provider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[ProviderSetting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(configured.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"{ProviderSetting} is '{configured}': use Sqlite or PostgreSql.");
    }

    /// <summary>
    /// Registers <c>IDbContextFactory&lt;CrmDbContext&gt;</c> (and the scoped <see cref="CrmDbContext"/> that ASP.NET
    /// Identity uses) on the provider <see cref="ProviderSetting"/> names, with <c>ConnectionStrings:Crm</c>.
    /// </summary>
    public static IServiceCollection AddCrmDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // One counter per app (not per process), so an import only leaves gaps for users of its own database.
        services.AddSingleton<OpenConnections>();
        services.AddSingleton<WritersWaiting>();
        if (Provider(configuration) == DatabaseProvider.PostgreSql)
        {
            var connectionString = configuration.GetConnectionString("Crm");
            if (string.IsNullOrWhiteSpace(connectionString) || connectionString.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{ProviderSetting} is PostgreSql: set ConnectionStrings:Crm to a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).");
            }

            // A save that waits for a row another transaction holds gives up after the busy timeout, as on SQLite,
            // and the user reads "could not save, try again" instead of waiting without end (PostgreSQL's default).
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.Options?.Contains("lock_timeout", StringComparison.Ordinal) != true)
            {
                var milliseconds = configuration.GetValue(BusyTimeoutSetting, DefaultBusyTimeoutSeconds) * 1000;
                builder.Options = $"{builder.Options} -c lock_timeout={milliseconds}".Trim();
            }

            connectionString = builder.ToString();
            // Npgsql's default strategy wraps a transient error (a lock timeout, a dropped connection) in an
            // InvalidOperationException without retrying; the plain one lets the database's own error through, as on
            // SQLite, where SaveGuard and the services recognise it. Retrying is not safe for the app's own transactions.
            services.AddDbContextFactory<PostgreSqlCrmDbContext>((sp, options) => options
                .UseNpgsql(connectionString, npgsql => npgsql.ExecutionStrategy(dependencies => new NonRetryingExecutionStrategy(dependencies))).AddInterceptors(sp.GetRequiredService<OpenConnections>()).AddInterceptors(sp.GetRequiredService<WritersWaiting>().Interceptors));
            services.AddSingleton<IDbContextFactory<CrmDbContext>, CrmContextFactory<PostgreSqlCrmDbContext>>();
            services.AddScoped<CrmDbContext>(sp => sp.GetRequiredService<PostgreSqlCrmDbContext>());
            return services;
        }

        return services.AddSqlite(configuration);
    }

    /// <summary>
    /// SQLite: relative file names are resolved against the working directory, the folder is created, foreign keys
    /// are enforced and writers wait for each other (up to <see cref="BusyTimeoutSetting"/>) instead of failing at once.
    /// </summary>
    private static IServiceCollection AddSqlite(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Crm") ?? "Data Source=data/schoolcrm.db";
        var builder = new SqliteConnectionStringBuilder(configured)
        {
            ForeignKeys = true,

            // Microsoft.Data.Sqlite retries a command that meets SQLITE_BUSY until this many seconds have passed;
            // it does not limit how long a command may run once it has the lock.
            DefaultTimeout = configuration.GetValue(BusyTimeoutSetting, DefaultBusyTimeoutSeconds),
            Pooling = true,
        };
        if (builder.DataSource != ":memory:" && !string.IsNullOrEmpty(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        var connectionString = builder.ToString();
        var busyWait = new SqliteBusyWait(configuration.GetValue(BusyTimeoutSetting, DefaultBusyTimeoutSeconds) * 1000);
        services.AddDbContextFactory<CrmDbContext>((sp, options) => options.UseSqlite(connectionString)
            .AddInterceptors(sp.GetRequiredService<OpenConnections>(), busyWait).AddInterceptors(sp.GetRequiredService<WritersWaiting>().Interceptors));
        return services;
    }

    /// <summary>
    /// Applies pending migrations and fills the folded keys of older rows (<see cref="PersonKeysBackfill"/>). On
    /// PostgreSQL under <see cref="MigrationLockKey"/>, so that of several nodes starting at once one migrates and the
    /// others wait; on SQLite (one process) the file is switched to write-ahead logging (it stays so).
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsNpgsql())
        {
            await CreatePostgreSqlDatabaseAsync(db, ct);

            // A session lock: held by this context's connection, which stays open until the unlock; released by the
            // server also if this process dies meanwhile.
            // The other nodes wait for it as long as the migration takes, not only the busy timeout.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SET lock_timeout = 0", ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
                await PersonKeysBackfill.RunAsync(factory, ct);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }

            return;
        }

        var schemaChanged = (await db.Database.GetPendingMigrationsAsync(ct)).Any();
        await db.Database.MigrateAsync(ct);
        var backfilled = await PersonKeysBackfill.RunAsync(factory, ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

            // The query planner needs table statistics to choose the lead list's indexes well (without them it may
            // read every lead through one index and sort, instead of reading the sort column's index in order).
            // New indexes get them here; large writes (imports, the demo seed) call RefreshStatisticsAsync.
            if (schemaChanged || backfilled > 0)
            {
                // Nobody is served yet, so one ANALYZE of everything, without gaps for other writers.
                await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=0; ANALYZE;", ct);
            }
        }
    }

    /// <summary>
    /// Creates the configured database when it does not exist yet (as EF Core's Migrate would, but the lock needs a
    /// connection to it first). Of nodes starting together on a new server one creates it; the others meet
    /// "already exists" (42P04) and go on.
    /// </summary>
    private static async Task CreatePostgreSqlDatabaseAsync(CrmDbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
        }
    }

    /// <summary>
    /// Recomputes the planner's statistics. Call after writing many rows at once (a large import, the demo seed):
    /// without fresh statistics SQLite may choose slow plans for the lead list. Reads every index in full (about a
    /// second per 100,000 leads): sampled statistics (analysis_limit) make "not converted" look selective and
    /// bring back exactly the slow plans. One index per statement, because ANALYZE holds the write lock while it
    /// reads: index by index, other users' saves wait at most for one index, not for all of them.
    /// </summary>
    public static async Task RefreshStatisticsAsync(CrmDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            // PostgreSQL's autovacuum analyzes changed tables by itself, but only after a delay; the lead list right
            // after a large import should not wait for it. ANALYZE takes no lock that blocks writers.
            await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);
            return;
        }

        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=0;", ct);
            var indexes = await db.Database
                .SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' ORDER BY name")
                .ToListAsync(ct);
            var turns = new WriteTurns();
            foreach (var index in indexes)
            {
                await turns.BeforeNextAsync(ct);
                // Index names come from the schema, never from a user, and are quoted as identifiers; an identifier
                // cannot be a SQL parameter.
#pragma warning disable EF1003
                await db.Database.ExecuteSqlRawAsync("ANALYZE \"" + index.Replace("\"", "\"\"", StringComparison.Ordinal) + "\";", ct);
#pragma warning restore EF1003
                turns.Committed(db);
            }
        }
    }
}

/// <summary>The databases the app runs on (<see cref="DatabaseSetup.ProviderSetting"/>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Hands out a provider's own context type (which carries that provider's migrations) wherever the app asks for
/// <c>IDbContextFactory&lt;CrmDbContext&gt;</c>.
/// </summary>
internal sealed class CrmContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<CrmDbContext>
    where TContext : CrmDbContext
{
    public CrmDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<CrmDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
