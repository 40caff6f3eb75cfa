using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Students;

namespace SchoolCrm.Tests.Data;

public sealed class DatabaseUpgradeTests
{
    /// <summary>The last migration before leads and students had folded search and sort keys.</summary>
    private const string BeforeFoldedKeys = "20261127061509_Initial";

    [Fact]
    public async Task Leads_and_students_written_before_the_folded_keys_are_found_and_sorted_after_the_upgrade()
    {
        await using var app = new CrmAppFactory();
        await CreateOldDatabaseAsync(app.ConnectionString);

        // Starting the app migrates the file and fills in the keys.
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
        var leads = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(new LeadListQuery { Search = "MULLER" });
        var students = await scope.ServiceProvider.GetRequiredService<StudentService>().ListAsync(new StudentListQuery("nicolo", 0, 25));
        var byName = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(new LeadListQuery { Search = "old.test" });

        Assert.Equal(["Jürgen"], leads.Rows.Select(r => r.FirstName));
        Assert.Equal(["Nicolò"], students.Items.Select(s => s.FirstName));
        Assert.Equal(["Müller", "Zander"], byName.Rows.Select(r => r.LastName));
    }

    private static async Task CreateOldDatabaseAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(connectionString).Options;
        await using (var db = new CrmDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeFoldedKeys);
        }

        // Rows as the app of that time wrote them; the users and statuses they name do not matter here.
        var withoutForeignKeys = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = false };
        await using var connection = new SqliteConnection(withoutForeignKeys.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        const string person = "CreatedAt, CreatedByUserId, UpdatedAt, UpdatedByUserId, Version, FirstName, LastName, Email, CaptureDate, Gender, PrivacyConsent";
        const string values = "'2026-01-01 09:00:00', 'old', '2026-01-01 09:00:00', 'old', '6F9619FF-8B86-D011-B42D-00C04FC964FF'";
        command.CommandText = $"""
            INSERT INTO Leads (StatusId, {person}) VALUES (1, {values}, 'Zoë', 'Zander', 'zoe@old.test', '2026-01-01', 0, 0);
            INSERT INTO Leads (StatusId, {person}) VALUES (1, {values}, 'Jürgen', 'Müller', 'j.mueller@old.test', '2026-01-01', 0, 0);
            INSERT INTO Students (EnrolmentDate, {person}) VALUES ('2026-09-01', {values}, 'Nicolò', 'Bassi', NULL, '2026-01-01', 0, 0);
            """;
        await command.ExecuteNonQueryAsync();
    }
}
