using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>How the import job writes its new rows: binary COPY on PostgreSQL, prepared INSERTs on SQLite.</summary>
public sealed class ImportBulkWriteTests
{
    [Fact]
    public async Task New_leads_and_their_values_are_written_by_binary_copy_on_postgresql_and_take_keys_later_saves_do_not_reuse()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await using (var db = await kit.DbAsync())
        {
            await RecordInsertsAsync(db);
        }

        var import = await kit.ImportFileAsync(kit.Xlsx(
            ["First name", "E-mail", "Interests"],
            ["Anna", "anna@example.it", "Music; Sport"],
            ["Luca", "luca@example.it", "Sport"],
            ["Mia", "mia@example.it", null]));

        Assert.Equal(3, import.Created);
        await using var check = await kit.DbAsync();
        var statements = await check.Database
            .SqlQueryRaw<InsertSeen>("SELECT \"TableName\", \"Statement\" FROM \"InsertsSeen\"")
            .ToListAsync();
        Assert.Equal(3, statements.Count(s => s.TableName == "Leads"));
        Assert.Equal(3, statements.Count(s => s.TableName == "CustomFieldValues"));
        if (TestDatabase.IsPostgreSql)
        {
            // What the server itself was running when each row went in (current_query()): one COPY per table.
            var leads = Assert.Single(statements.Where(s => s.TableName == "Leads").Select(s => s.Statement).Distinct());
            Assert.StartsWith("COPY \"Leads\" (\"Id\", ", leads, StringComparison.Ordinal);
            Assert.EndsWith(") FROM STDIN (FORMAT BINARY)", leads, StringComparison.Ordinal);
            var values = Assert.Single(statements.Where(s => s.TableName == "CustomFieldValues").Select(s => s.Statement).Distinct());
            Assert.StartsWith("COPY \"CustomFieldValues\" (\"Id\", ", values, StringComparison.Ordinal);
            Assert.EndsWith(") FROM STDIN (FORMAT BINARY)", values, StringComparison.Ordinal);
        }

        // Each value belongs to its own lead (the keys were reserved before the COPY), and a lead saved afterwards
        // through EF Core gets a key of its own from the same sequence.
        var imported = await check.Leads.Include(l => l.CustomValues).ToDictionaryAsync(l => l.FirstName);
        Assert.Equal((2, 1, 0), (imported["Anna"].CustomValues.Count, imported["Luca"].CustomValues.Count, imported["Mia"].CustomValues.Count));
        var later = Lead.Create(new PersonDetails { FirstName = "Later" }, kit.Statuses["New"], null, kit.Operator.Id, DateTime.UtcNow);
        check.Leads.Add(later);
        await check.SaveChangesAsync();
        Assert.True(later.Id > imported.Values.Max(l => l.Id));
    }

    /// <summary>
    /// A table that a trigger on Leads and CustomFieldValues fills with one line per row inserted: on PostgreSQL with
    /// the statement the client sent (current_query()), on SQLite, whose triggers cannot see it, with "INSERT".
    /// </summary>
    private static async Task RecordInsertsAsync(CrmDbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE \"InsertsSeen\" (\"TableName\" text NOT NULL, \"Statement\" text NOT NULL)");
        foreach (var table in new[] { "Leads", "CustomFieldValues" })
        {
#pragma warning disable EF1002 // The table names are the test's own constants.
            await db.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgreSql
                ? $"CREATE FUNCTION seen_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO \"InsertsSeen\" VALUES ('{table}', current_query()); RETURN NEW; END $$; " +
                  $"CREATE TRIGGER seen_{table} BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION seen_{table}();"
                : $"CREATE TRIGGER seen_{table} AFTER INSERT ON \"{table}\" BEGIN INSERT INTO \"InsertsSeen\" VALUES ('{table}', 'INSERT'); END;");
#pragma warning restore EF1002
        }
    }

    private sealed record InsertSeen(string TableName, string Statement);
}
