using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SchoolCrm.Web.Data;

public static class DatabaseSetup
{
    /// <summary>The setting that says how long a write waits for another writer's lock (seconds).</summary>
    public const string BusyTimeoutSetting = "Database:BusyTimeoutSeconds";

    /// <summary>
    /// Today the import job writes all its rows in one transaction, so another writer may have to wait for the whole
    /// import: 30 seconds. Once imports write in short batches (a lock held well under a second) this should drop to
    /// about 5: waiting longer only keeps the user staring at a spinner (and a thread sleeping in the retry loop)
    /// before "could not save, try again" says the same thing.
    /// </summary>
    public const int DefaultBusyTimeoutSeconds = 30;

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
        services.AddDbContextFactory<CrmDbContext>(options => options.UseSqlite(connectionString));
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
                await RefreshStatisticsAsync(db, ct);
            }
        }
    }

    /// <summary>
    /// Recomputes the planner's statistics. Call after writing many rows at once (a large import, the demo seed):
    /// without fresh statistics SQLite may choose slow plans for the lead list. Reads every index in full (about a
    /// second per 100,000 leads): sampled statistics (analysis_limit) make "not converted" look selective and
    /// bring back exactly the slow plans.
    /// </summary>
    public static async Task RefreshStatisticsAsync(CrmDbContext db, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=0;", ct);
            await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);
        }
    }
}
