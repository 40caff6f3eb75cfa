using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Tests.Data;

/// <summary>
/// Start-up on PostgreSQL: several nodes migrating one database at once (the advisory lock), and the provider
/// setting. These always need the test server (<see cref="TestDatabase.ServerVariable"/>), on either run.
/// </summary>
public sealed class PostgreSqlStartupTests : IAsyncLifetime
{
    private readonly string connectionString = TestDatabase.NewPostgreSqlDatabase();
    private readonly List<ServiceProvider> nodes = [];

    [Fact]
    public async Task Three_nodes_starting_at_once_on_a_new_database_all_come_up_with_every_migration_applied_once()
    {
        var starting = Enumerable.Range(0, 3).Select(_ => DatabaseSetup.MigrateAsync(Node())).ToList();
        await Task.WhenAll(starting);

        await using var db = await Node().GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        Assert.IsType<PostgreSqlCrmDbContext>(db);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_node_waits_for_the_migration_lock_another_node_holds_and_then_migrates()
    {
        var node = Node();
        await DatabaseSetup.MigrateAsync(node);
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await ExecuteAsync(holder, $"SELECT pg_advisory_lock({DatabaseSetup.MigrationLockKey})");

        var waiting = DatabaseSetup.MigrateAsync(Node());
        while (await WaitersAsync(holder) == 0)
        {
            Assert.False(waiting.IsCompleted, "the second node must not get past the lock another node holds");
            await Task.Delay(20);
        }

        Assert.False(waiting.IsCompleted);
        await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({DatabaseSetup.MigrationLockKey})");
        await waiting;
    }

    [Fact]
    public async Task A_time_of_unspecified_kind_is_sent_as_the_utc_instant_it_means()
    {
        await DatabaseSetup.MigrateAsync(Node());
        await using var db = await Node().GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

        // Npgsql refuses an Unspecified DateTime for timestamptz; times computed from a date are Unspecified.
        var unspecified = new DateTime(2026, 3, 29, 1, 30, 0, DateTimeKind.Unspecified);
        var count = await db.Tasks.CountAsync(t => t.DeadlineUtc < unspecified);

        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("PostgreSql", DatabaseProvider.PostgreSql)]
    public void The_provider_setting_chooses_the_database(string? setting, DatabaseProvider expected) =>
        Assert.Equal(expected, DatabaseSetup.Provider(Settings(setting)));

    [Fact]
    public void An_unknown_provider_stops_the_app_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSetup.Provider(Settings("Oracle")));
        Assert.Contains(DatabaseSetup.ProviderSetting, error.Message, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        await TestDatabase.DropPostgreSqlDatabaseAsync(connectionString);
    }

    private static IConfiguration Settings(string? provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [DatabaseSetup.ProviderSetting] = provider }).Build();

    // One app node: its own services on the shared database, as another process would have.
    private ServiceProvider Node()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseSetup.ProviderSetting] = "PostgreSql",
            ["ConnectionStrings:Crm"] = connectionString,
        }).Build();
        var node = new ServiceCollection().AddLogging().AddCrmDatabase(configuration).BuildServiceProvider();
        nodes.Add(node);
        return node;
    }

    private static async Task<long> WaitersAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
