using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// Registers the context factory on SQLite. Relative file names are resolved against the working directory,
    /// the folder is created, foreign keys are enforced and writers wait for each other (up to
    /// <see cref="BusyTimeoutSetting"/>) instead of failing at once.
    /// </summary>
    public static IServiceCollection AddCrmDatabase(this IServiceCollection services, IConfiguration configuration)
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
        // One counter per app (not per process), so an import only leaves gaps for users of its own database.
        services.AddSingleton<OpenConnections>();
        services.AddDbContextFactory<CrmDbContext>((sp, options) => options.UseSqlite(connectionString).AddInterceptors(sp.GetRequiredService<OpenConnections>()));
        return services;
    }

    /// <summary>Applies pending migrations and switches the file to write-ahead logging (it stays so).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
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
    /// Recomputes the planner's statistics. Call after writing many rows at once (a large import, the demo seed):
    /// without fresh statistics SQLite may choose slow plans for the lead list. Reads every index in full (about a
    /// second per 100,000 leads): sampled statistics (analysis_limit) make "not converted" look selective and
    /// bring back exactly the slow plans. One index per statement, because ANALYZE holds the write lock while it
    /// reads: index by index, other users' saves wait at most for one index, not for all of them.
    /// </summary>
    public static async Task RefreshStatisticsAsync(CrmDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
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
