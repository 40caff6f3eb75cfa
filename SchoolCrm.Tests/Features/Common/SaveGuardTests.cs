using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Tests.Features.Common;

/// <summary>A save that meets a database busy with another writer, on a real SQLite file.</summary>
public sealed class SaveGuardTests(ShortBusyTimeoutApp app) : IClassFixture<ShortBusyTimeoutApp>
{
    [Fact]
    public async Task A_save_while_another_connection_holds_the_write_lock_is_refused_as_save_failed_and_writes_nothing()
    {
        var admin = await app.AdminAsync();
        var statusId = await app.DefaultStatusIdAsync();
        var saves = app.Services.GetRequiredService<SaveGuard>();
        var name = LeadTestData.Unique("Busy");

        DomainException refusal;
        await using (await WriteLock.HoldAsync(app.ConnectionString))
        {
            refusal = await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(admin, true, leads =>
                saves.RunAsync(() => leads.CreateAsync(new PersonDetails { FirstName = name, CaptureDate = new DateOnly(2026, 10, 1) }, statusId, null, []))));
        }

        Assert.Equal(SaveGuard.FailedCode, refusal.Code);
        Assert.True(SaveGuard.IsDatabaseUnavailable(refusal.InnerException!));
        await using var db = app.Db();
        Assert.False(await db.Leads.AnyAsync(l => l.FirstName == name));
    }

    [Fact]
    public async Task Once_the_lock_is_released_the_same_save_goes_through()
    {
        var admin = await app.AdminAsync();
        var leadId = await app.NewLeadAsync(admin, "Ada");
        var saves = app.Services.GetRequiredService<SaveGuard>();

        await using (await WriteLock.HoldAsync(app.ConnectionString))
        {
            await Assert.ThrowsAsync<DomainException>(() => app.AsAsync(admin, true, leads => saves.RunAsync(() => leads.AddCommentAsync(leadId, "Called back"))));
        }

        await app.AsAsync(admin, true, leads => saves.RunAsync(() => leads.AddCommentAsync(leadId, "Called back")));
        var comments = await app.AsAsync(admin, true, leads => leads.ListCommentsAsync(leadId));
        Assert.Equal("Called back", Assert.Single(comments).Text);
    }

    [Fact]
    public async Task A_refusal_and_a_lost_race_pass_through_unchanged()
    {
        var saves = new SaveGuard(NullLogger<SaveGuard>.Instance);
        var refused = new DomainException("lead.not_found");
        var race = new DbUpdateConcurrencyException("raced");

        Assert.Same(refused, await Assert.ThrowsAsync<DomainException>(() => saves.RunAsync(() => throw refused)));
        Assert.Same(race, await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => saves.RunAsync(() => throw race)));
        Assert.Equal(42, await saves.RunAsync(() => Task.FromResult(42)));
    }

    [Theory]
    [Trait("Database", TestDatabase.SqliteOnlyTrait)]
    [InlineData(null, DatabaseSetup.DefaultBusyTimeoutSeconds)]
    [InlineData("1", 1)]
    public async Task The_busy_timeout_is_the_setting_or_the_default(string? setting, int expectedSeconds)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Crm"] = "Data Source=:memory:" };
        if (setting is not null)
        {
            settings[DatabaseSetup.BusyTimeoutSetting] = setting;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddCrmDatabase(configuration).BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

        Assert.Equal(expectedSeconds, new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DefaultTimeout);
    }
}
