using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Data;

/// <summary>
/// The indexes on the tables that grow with every lead exist for the queries below, and only for them: each costs a
/// b-tree insert per imported lead. These tests ask SQLite (EXPLAIN QUERY PLAN) how it runs the app's own queries on
/// a seeded, analysed database, so a change that loses an index, or a query that stops using it, fails here.
/// </summary>
public sealed class QueryPlanTests(QueryPlanTests.SeededDatabase data) : IClassFixture<QueryPlanTests.SeededDatabase>
{
    private const string NoSort = "USE TEMP B-TREE FOR ORDER BY";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_first_page_by_name_comes_from_the_list_index_in_order(bool descending)
    {
        var plan = await data.PlanAsync(db => LeadListService.PageIds(LeadQueries.Sort(LeadQueries.Apply(db.Leads, new LeadListQuery(), data.AdminId), db, null, descending), 0, 25));

        Assert.Contains("USING COVERING INDEX IX_Leads_List (ConvertedAt=?)", plan);
        Assert.DoesNotContain(NoSort, plan);
    }

    [Fact]
    public async Task Status_and_search_are_counted_and_paged_from_the_status_list_index_alone()
    {
        var query = new LeadListQuery { StatusId = data.StatusId, Search = "ross müller" };

        // A count's plan is that of selecting the ids with the same filter (the id is in every index).
        var count = await data.PlanAsync(db => LeadQueries.Apply(db.Leads, query, data.AdminId).Select(l => l.Id));
        var page = await data.PlanAsync(db => LeadListService.PageIds(LeadQueries.Sort(LeadQueries.Apply(db.Leads, query, data.AdminId), db, null, false), 0, 25));

        Assert.Contains("USING COVERING INDEX IX_Leads_ListByStatus (ConvertedAt=? AND StatusId=?)", count);
        Assert.Contains("USING COVERING INDEX IX_Leads_ListByStatus (ConvertedAt=? AND StatusId=?)", page);
        Assert.DoesNotContain(NoSort, page);
    }

    [Fact]
    public async Task A_search_without_status_reads_the_list_index_not_the_table()
    {
        var plan = await data.PlanAsync(db => LeadQueries.Apply(db.Leads, new LeadListQuery { Search = "ross" }, data.AdminId).Select(l => l.Id));

        Assert.Contains("USING COVERING INDEX IX_Leads_List", plan);
    }

    [Fact]
    public async Task Newest_first_walks_the_capture_date_index()
    {
        var columns = await data.ColumnsAsync();
        var plan = await data.PlanAsync(db => LeadListService.PageIds(
            LeadQueries.Sort(LeadQueries.Apply(db.Leads, new LeadListQuery(), data.AdminId), db, columns.Single(c => c.Key == LeadFields.CaptureDate.Key), descending: true), 0, 25));

        Assert.Contains("USING COVERING INDEX IX_Leads_ConvertedAt_CaptureDate (ConvertedAt=?)", plan);
        Assert.DoesNotContain(NoSort, plan);
    }

    [Fact]
    public async Task My_leads_are_found_through_the_assignee_index()
    {
        var plan = await data.PlanAsync(db => LeadQueries.Apply(db.Leads, new LeadListQuery { Assignee = AssigneeFilter.Me }, data.OperatorId).Select(l => l.Id));

        Assert.Contains("USING COVERING INDEX IX_Leads_ConvertedAt_AssignedToUserId (ConvertedAt=? AND AssignedToUserId=?)", plan);
    }

    [Theory]
    [InlineData(DuplicateMatchKey.Email, "IX_Leads_ConvertedAt_EmailKey")]
    [InlineData(DuplicateMatchKey.Mobile, "IX_Leads_ConvertedAt_Mobile")]
    [InlineData(DuplicateMatchKey.TaxCode, "IX_Leads_ConvertedAt_TaxCode")]
    public async Task The_import_reads_existing_duplicate_keys_from_their_index_alone(DuplicateMatchKey key, string index)
    {
        var plan = await data.PlanAsync(db => LeadImportPlanner.ExistingKeys(db, key));

        Assert.Contains($"USING COVERING INDEX {index}", plan);
    }

    [Fact]
    public async Task Undoing_an_import_finds_its_leads_by_import_id()
    {
        // The leads LeadImportService.UndoAsync deletes: a few among many, so the index is worth it.
        var plan = await data.PlanAsync(db => db.Leads
            .Where(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) == 1 && l.ConvertedAt == null)
            .Select(l => l.Id));

        Assert.Contains("USING COVERING INDEX IX_Leads_ImportId_ConvertedAt (ImportId=? AND ConvertedAt=?)", plan);
    }

    [Fact]
    public async Task Saved_filters_look_a_leads_comments_up_in_the_comment_index_and_its_import_in_the_import_index()
    {
        var comments = await data.PlanAsync(db => db.Leads.InCrm().Where(Filter(
            FilterCondition.Of(LeadFields.HasComments.Key, FilterOperators.NotTicked),
            FilterCondition.Of(LeadFields.LastComment.Key, FilterOperators.OlderThanDays, 30))).Select(l => l.Id));
        var import = await data.PlanAsync(db => db.Leads.InCrm().Where(Filter(
            FilterCondition.Of(LeadFields.ImportedBy.Key, FilterOperators.AnyOf, new[] { 7 }))).Select(l => l.Id));

        Assert.Contains("USING COVERING INDEX IX_Comments_LeadId_CreatedAt (LeadId=?)", comments);
        Assert.DoesNotContain("SCAN Comments", comments);
        Assert.Contains("USING COVERING INDEX IX_Leads_ImportId_ConvertedAt (ImportId=? AND ConvertedAt=?)", import);

        System.Linq.Expressions.Expression<Func<Lead, bool>> Filter(params FilterNode[] any) => FilterExpressions.ToExpression(
            FilterCheck.Check(new Filter(FilterGroup.AnyOf(any)), new FilterCatalogue([], [], [], [7], [])),
            new FilterContext(data.AdminId, new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc));
    }

    [Fact]
    public async Task Saved_filters_look_a_leads_tasks_up_in_the_leads_task_index()
    {
        var tasks = FilterCheck.Check(
            new Filter(FilterGroup.AnyOf(
                FilterCondition.Of(LeadFields.HasOpenTasks.Key, FilterOperators.Ticked),
                FilterCondition.Of(LeadFields.HasOverdueTask.Key, FilterOperators.NotTicked),
                FilterCondition.Of(LeadFields.NextDeadline.Key, FilterOperators.NextDays, 7),
                FilterCondition.Of(LeadFields.HasTaskOfType.Key, FilterOperators.AnyOf, new[] { 1 }))),
            new FilterCatalogue([], [], [], [], [1]));
        var where = FilterExpressions.ToExpression(tasks, new FilterContext(data.AdminId, new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc));

        var plan = await data.PlanAsync(db => db.Leads.InCrm().Where(where).Select(l => l.Id));

        Assert.Contains("USING INDEX IX_Tasks_LeadId_DeadlineUtc (LeadId=?)", plan);
        Assert.Contains("USING INDEX IX_Tasks_LeadId_DeadlineUtc (LeadId=? AND DeadlineUtc>? AND DeadlineUtc<?)", plan);
        Assert.DoesNotContain("SCAN Tasks", plan);
    }

    [Fact]
    public async Task The_export_sorted_by_a_custom_field_looks_each_value_up_in_the_covering_value_index()
    {
        var columns = await data.ColumnsAsync();
        var budget = columns.Single(c => c.CustomFieldId != null && c.Type == LeadFieldType.Number);
        var plan = await data.PlanAsync(db => LeadListService.PageIds(LeadQueries.Sort(LeadQueries.Apply(db.Leads, new LeadListQuery(), data.AdminId), db, budget, false), 0, 25));

        Assert.Contains("USING COVERING INDEX IX_CustomFieldValues_CustomFieldId_LeadId_NumberValue_DateValue_BoolValue_OptionId (CustomFieldId=? AND LeadId=?)", plan);
    }

    [Theory]
    [InlineData(LeadFieldType.Number, "IX_CustomFieldValues_CustomFieldId_NumberValue_LeadId (CustomFieldId=? AND NumberValue>?)", false)]
    [InlineData(LeadFieldType.Date, "IX_CustomFieldValues_CustomFieldId_DateValue_LeadId (CustomFieldId=? AND DateValue>?)", true)]
    [InlineData(LeadFieldType.Checkbox, "IX_CustomFieldValues_CustomFieldId_BoolValue_LeadId (CustomFieldId=? AND BoolValue>?)", false)]
    [InlineData(LeadFieldType.Text, "IX_CustomFieldValues_CustomFieldId_TextKey_LeadId (CustomFieldId=? AND TextKey>?)", true)]
    [InlineData(LeadFieldType.SingleChoice, "IX_CustomFieldValues_CustomFieldId_LeadId_NumberValue_DateValue_BoolValue_OptionId (CustomFieldId=?)", false)]
    public async Task The_list_sorted_by_a_custom_field_reads_its_page_from_the_value_indexes_in_order(LeadFieldType type, string valueIndex, bool descending)
    {
        var columns = await data.ColumnsAsync();
        var field = columns.First(c => c.CustomFieldId != null && c.Type == type);
        async Task<IQueryable<int>> Part(CrmDbContext db, int part) =>
            (await LeadValueSort.PartsAsync(db, LeadQueries.Apply(db.Leads, new LeadListQuery(), data.AdminId), field, default))[part].InOrder(descending).Take(25);

        var withoutValue = await data.PlanAsync(db => Part(db, 0));
        var withValue = await data.PlanAsync(db => Part(db, 1));

        // The leads without a value in id order, each looked up in the covering value index; the others in value order.
        Assert.Contains("SEARCH l USING COVERING INDEX IX_Leads_ConvertedAt (ConvertedAt=?)", withoutValue);
        Assert.Contains("USING COVERING INDEX IX_CustomFieldValues_CustomFieldId_LeadId_NumberValue_DateValue_BoolValue_OptionId (CustomFieldId=? AND LeadId=?", withoutValue);
        Assert.DoesNotContain(NoSort, withoutValue);
        Assert.Contains("USING COVERING INDEX " + valueIndex, withValue);
        Assert.DoesNotContain(NoSort, withValue);
    }

    [Fact]
    public async Task A_record_page_loads_its_custom_values_by_lead_or_student()
    {
        var lead = await data.PlanAsync(db => db.CustomFieldValues.Where(v => v.LeadId == 1));
        var student = await data.PlanAsync(db => db.CustomFieldValues.Where(v => v.StudentId == 1));

        Assert.Contains("USING INDEX IX_CustomFieldValues_LeadId (LeadId=?)", lead);
        Assert.Contains("USING INDEX IX_CustomFieldValues_StudentId (StudentId=?)", student);
    }

    [Fact]
    public async Task The_student_search_counts_and_pages_from_the_student_list_index()
    {
        var count = await data.PlanAsync(db => PersonSearch.Apply(db.Students, "zanetti").Select(s => s.Id));
        var page = await data.PlanAsync(db => StudentService.Sort(PersonSearch.Apply(db.Students, "zanetti"), StudentSort.Name, false).Take(25).Select(s => s.Id));

        Assert.Contains("USING COVERING INDEX IX_Students_List", count);
        Assert.Contains("USING COVERING INDEX IX_Students_List", page);
        Assert.DoesNotContain(NoSort, page);
    }

    [Fact]
    public async Task Every_foreign_key_to_a_lead_or_student_has_an_index_led_by_it()
    {
        // Deleting a lead (undo of an import: up to 200k of them) checks every row that refers to it; without such
        // an index each deleted lead would read the whole referring table.
        var missing = new List<string>();
        await using var connection = new SqliteConnection(data.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in await ReadAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", 0))
        {
            var references = await ReadRowsAsync(connection, $"SELECT \"table\", \"from\" FROM pragma_foreign_key_list('{table}')");
            var leadingColumns = await ReadAsync(connection, $"SELECT (SELECT name FROM pragma_index_info(il.name) WHERE seqno = 0) FROM pragma_index_list('{table}') AS il", 0);
            missing.AddRange(references
                .Where(r => r[0] is "Leads" or "Students" && !leadingColumns.Contains(r[1]))
                .Select(r => $"{table}.{r[1]}"));
        }

        Assert.Empty(missing);
    }

    private static async Task<List<string>> ReadAsync(SqliteConnection connection, string sql, int column) =>
        [.. (await ReadRowsAsync(connection, sql)).Select(r => r[column])];

    private static async Task<List<string[]>> ReadRowsAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i))]);
        }

        return rows;
    }

    /// <summary>Demo leads (German and Italian names, custom values, comments), some converted, and fresh statistics.</summary>
    public sealed class SeededDatabase : IAsyncLifetime
    {
        private const int Leads = 2_000;

        private readonly CrmAppFactory app = new();

        public string AdminId { get; private set; } = "";

        public string OperatorId { get; private set; } = "";

        public int StatusId { get; private set; }

        public string ConnectionString => app.ConnectionString;

        public async Task InitializeAsync()
        {
            var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
            AdminId = admin.Id;
            await DemoData.SeedAsync(app.Services, Leads);

            var factory = app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            List<int> toConvert;
            await using (var db = await factory.CreateDbContextAsync())
            {
                StatusId = await db.Leads.GroupBy(l => l.StatusId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
                OperatorId = await db.Leads.Where(l => l.AssignedToUserId != null && l.AssignedToUserId != AdminId)
                    .Select(l => l.AssignedToUserId!).FirstAsync();
                toConvert = await db.Leads.OrderBy(l => l.Id).Where(l => l.Id % 40 == 0).Select(l => l.Id).ToListAsync();
            }

            await using (var scope = app.Services.CreateScopeAs(admin, isAdmin: true))
            {
                var conversion = scope.ServiceProvider.GetRequiredService<LeadConversionService>();
                foreach (var id in toConvert)
                {
                    await conversion.ConvertAsync(id);
                }
            }

            // Leads of 50 earlier imports, a tenth of them each (the import ids need no rows here).
            var withoutForeignKeys = new SqliteConnectionStringBuilder(app.ConnectionString) { ForeignKeys = false };
            await using (var connection = new SqliteConnection(withoutForeignKeys.ToString()))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"UPDATE Leads SET {LeadImportConfiguration.LeadImportIdProperty} = 1 + Id % 50 WHERE Id % 10 = 1";
                await command.ExecuteNonQueryAsync();
            }

            await using (var db = await factory.CreateDbContextAsync())
            {
                await DatabaseSetup.RefreshStatisticsAsync(db);
            }
        }

        public async Task<IReadOnlyList<LeadField>> ColumnsAsync()
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            return await LeadListService.GetColumnsAsync(db, default);
        }

        /// <summary>SQLite's plan for the query's SQL with its parameters, one detail line per step.</summary>
        public Task<string> PlanAsync<T>(Func<CrmDbContext, IQueryable<T>> query) => PlanAsync(db => Task.FromResult(query(db)));

        /// <summary>The same for a query that takes a look at the database to be built.</summary>
        public async Task<string> PlanAsync<T>(Func<CrmDbContext, Task<IQueryable<T>>> query)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await using DbCommand command = (await query(db)).CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await using var reader = await command.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(3));
            }

            return string.Join(Environment.NewLine, lines);
        }

        public async Task DisposeAsync() => await app.DisposeAsync();
    }
}
