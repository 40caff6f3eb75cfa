using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Tests.Data;

/// <summary>
/// The count of open connections is how a long write (an import) knows whether anybody may be waiting for the write
/// lock; a count that never returns to zero made every import leave its full gap after every batch.
/// </summary>
[Trait("Database", TestDatabase.SqliteOnlyTrait)]
public sealed class OpenConnectionsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "schoolcrm-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task After_the_migrations_and_a_few_saves_no_connection_counts_as_open()
    {
        await using var services = Services();
        await DatabaseSetup.MigrateAsync(services);
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.LeadStatuses.Add(new LeadStatus("New", 0));
            await db.SaveChangesAsync();
            await db.LeadStatuses.CountAsync();
        }

        Assert.Equal(0, services.GetRequiredService<OpenConnections>().Count);
    }

    [Fact]
    public async Task A_connection_that_is_open_counts_until_it_is_closed()
    {
        await using var services = Services();
        await DatabaseSetup.MigrateAsync(services);
        var counter = services.GetRequiredService<OpenConnections>();
        await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

        await db.Database.OpenConnectionAsync();
        var whileOpen = counter.Count;
        await db.Database.CloseConnectionAsync();

        Assert.Equal((1, 0), (whileOpen, counter.Count));
    }

    [Fact]
    public async Task A_save_that_waits_for_the_write_lock_counts_as_a_waiting_writer_until_it_has_the_lock()
    {
        await using var services = Services();
        await DatabaseSetup.MigrateAsync(services);
        var waiting = services.GetRequiredService<WritersWaiting>();
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        Task save;
        await using (await WriteLock.HoldAsync("Data Source=" + Path.Combine(folder, "crm.db")))
        {
            save = Task.Run(async () =>
            {
                await using var db = await factory.CreateDbContextAsync();
                db.LeadStatuses.Add(new LeadStatus("Waiting", 0));
                await db.SaveChangesAsync();
            });

            // The import's batch reads this between rows; it must see the save while the save waits.
            while (waiting.Count == 0)
            {
                Assert.False(save.IsCompleted, "the save got through although the lock was held");
                await Task.Delay(5);
            }
        }

        await save;
        Assert.Equal(0, waiting.Count);
    }

    [Fact]
    public async Task Every_connection_lets_sqlite_itself_wait_for_the_lock_as_long_as_the_busy_timeout()
    {
        await using var services = Services();
        await DatabaseSetup.MigrateAsync(services);
        await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

        var busyTimeout = await db.Database.SqlQueryRaw<long>("SELECT timeout AS Value FROM pragma_busy_timeout").SingleAsync();

        Assert.Equal(DatabaseSetup.DefaultBusyTimeoutSeconds * 1000, busyTimeout);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Crm"] = "Data Source=" + Path.Combine(folder, "crm.db") })
            .Build();
        return new ServiceCollection().AddLogging().AddCrmDatabase(configuration).BuildServiceProvider();
    }
}
