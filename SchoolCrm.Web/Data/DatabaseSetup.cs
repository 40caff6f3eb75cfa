using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SchoolCrm.Web.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// Registers the context factory on SQLite. Relative file names are resolved against the working directory,
    /// the folder is created, foreign keys are enforced and writers wait for each other instead of failing.
    /// </summary>
    public static IServiceCollection AddCrmDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Crm") ?? "Data Source=data/schoolcrm.db";
        var builder = new SqliteConnectionStringBuilder(configured)
        {
            ForeignKeys = true,
            DefaultTimeout = 30,
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
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
