using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Students;

namespace SchoolCrm.Tests.Data;

[Trait("Database", TestDatabase.SqliteOnlyTrait)]
public sealed class DatabaseUpgradeTests
{
    /// <summary>The last migration before leads and students had folded search and sort keys.</summary>
    private const string BeforeFoldedKeys = "20261127061509_Initial";

    /// <summary>The last migration before custom text values had a folded key.</summary>
    private const string BeforeCustomTextKey = "20261201100538_Hardening";

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

    [Fact]
    public async Task Custom_text_values_written_before_their_folded_key_are_filtered_and_sorted_by_it_after_the_upgrade()
    {
        await using var app = new CrmAppFactory();
        await CreateOldDatabaseAsync(app.ConnectionString, BeforeCustomTextKey);
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder(app.ConnectionString) { ForeignKeys = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO CustomFields (Id, Name, NormalizedName, Type, SortOrder, IsRequired, IsArchived) VALUES (1, 'Source', 'source', 0, 0, 0, 0);
                INSERT INTO CustomFieldValues (CustomFieldId, LeadId, TextValue) SELECT 1, Id, 'ÉCOLE Ouverte' FROM Leads WHERE FirstName = 'Zoë';
                INSERT INTO CustomFieldValues (CustomFieldId, LeadId, TextValue) SELECT 1, Id, 'abendschule' FROM Leads WHERE FirstName = 'Jürgen';
                """;
            await command.ExecuteNonQueryAsync();
        }

        // Starting the app migrates the file and fills in the keys.
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var keys = await db.CustomFieldValues.OrderBy(v => v.TextKey).Select(v => v.TextKey).ToListAsync();
        var field = LeadFields.ForCustomField(1, "Source", CustomFieldType.Text);
        var filter = FilterCheck.Check(new Filter(FilterGroup.AllOf(FilterCondition.Of(field.Key, FilterOperators.StartsWith, "ecole"))), new FilterCatalogue(
            [new CustomFieldDefinition(1, "Source", CustomFieldType.Text, false, false, [])], [], [], [], []));
        var found = await db.Leads.Where(FilterExpressions.ToExpression(filter, new FilterContext(admin.Id, new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc))).Select(l => l.FirstName).ToListAsync();
        await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
        var sorted = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(new LeadListQuery { Sort = field.Key, Descending = true });

        Assert.Equal(["abendschule", "ecole ouverte"], keys);
        Assert.Equal(["Zoë"], found);
        Assert.Equal(["Zoë", "Jürgen"], sorted.Rows.Select(r => r.FirstName));
    }

    private static async Task CreateOldDatabaseAsync(string connectionString, string migration = BeforeFoldedKeys)
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(connectionString).Options;
        await using (var db = new CrmDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync(migration);
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
