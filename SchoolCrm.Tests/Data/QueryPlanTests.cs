using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Data;

/// <summary>
/// The indexes on the tables that grow with every lead exist for the queries below, and only for them: each costs a
/// b-tree insert per imported lead. These tests ask SQLite (EXPLAIN QUERY PLAN) how it runs the app's own queries on
/// a seeded, analysed database, so a change that loses an index, or a query that stops using it, fails here.
/// </summary>
[Trait("Database", TestDatabase.SqliteOnlyTrait)]
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
    public async Task Status_and_search_are_counted_and_paged_from_the_list_index_alone()
    {
        var query = new LeadListQuery { StatusId = data.StatusId, Search = "ross müller" };

        // A count's plan is that of selecting the ids with the same filter (the id is in every index).
        var count = await data.PlanAsync(db => LeadQueries.Apply(db.Leads, query, data.AdminId).Select(l => l.Id));
        var page = await data.PlanAsync(db => LeadListService.PageIds(LeadQueries.Sort(LeadQueries.Apply(db.Leads, query, data.AdminId), db, null, false), 0, 25));

        Assert.Contains("USING COVERING INDEX IX_Leads_List (ConvertedAt=?)", count);
        Assert.Contains("USING COVERING INDEX IX_Leads_List (ConvertedAt=?)", page);
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

    [Fact]
    public async Task The_import_reads_existing_e_mail_keys_from_their_index_alone()
    {
        var plan = await data.PlanAsync(db => LeadImportPlanner.ExistingKeys(db, DuplicateMatchKey.Email));

        Assert.Contains("USING COVERING INDEX IX_Leads_ConvertedAt_EmailKey", plan);
    }

    [Theory]
    [InlineData(DuplicateMatchKey.Mobile)]
    [InlineData(DuplicateMatchKey.TaxCode)]
    public async Task The_import_reads_existing_mobile_and_tax_code_keys_in_one_pass_over_the_table(DuplicateMatchKey key)
    {
        // No index for these two keys (LeadConfiguration says why): one pass in id order over the leads in the CRM,
        // the table read alongside its narrowest index (or alone), never a sort or a lookup per key.
        var plan = await data.PlanAsync(db => LeadImportPlanner.ExistingKeys(db, key));

        Assert.Matches(@"^(SCAN l|SEARCH l USING INDEX IX_Leads_ConvertedAt \(ConvertedAt=\?\))$", plan.Trim());
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

    [Theory]
    [InlineData(TaskBucket.Overdue)]
    [InlineData(TaskBucket.Today)]
    [InlineData(TaskBucket.ThisWeek)]
    [InlineData(TaskBucket.Later)]
    public async Task My_tasks_counts_and_pages_each_open_section_from_one_range_of_the_my_tasks_index(TaskBucket bucket)
    {
        var bounds = TaskBucketBounds.At(SeededDatabase.TaskNow, TimeZoneInfo.Utc, DayOfWeek.Monday);
        var count = await data.PlanAsync(db => TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, null), bounds, bucket).Select(t => t.Id));
        var page = await data.PlanAsync(db => TaskService.Items(db, TaskService.Ordered(TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, null), bounds, bucket), bucket).Take(50), data.OperatorActor));
        var byType = await data.PlanAsync(db => TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, 1), bounds, bucket).Select(t => t.Id));
        var byTypeUnanalysed = await data.PlanWithoutTaskStatisticsAsync(db => TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, 1), bounds, bucket).Select(t => t.Id));
        var unanalysed = await data.PlanWithoutTaskStatisticsAsync(db => TaskService.Ordered(TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, null), bounds, bucket), bucket).Take(50).Select(t => t.Id));

        Assert.Contains("USING COVERING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt=? AND DeadlineUtc", count);
        Assert.Contains("USING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt=? AND DeadlineUtc", page);
        Assert.DoesNotContain(NoSort, page);
        Assert.Contains("USING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt=?", byType);
        NoTableIsRead(page);

        // A database whose tasks came after its last ANALYZE (the tables were empty at the migration) plans the same.
        Assert.Contains("USING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt=?", byTypeUnanalysed);
        Assert.Contains("USING COVERING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt=? AND DeadlineUtc", unanalysed);
        Assert.DoesNotContain(NoSort, unanalysed);
    }

    [Fact]
    public async Task The_done_section_is_counted_and_paged_latest_first_from_the_my_tasks_index()
    {
        var bounds = TaskBucketBounds.At(SeededDatabase.TaskNow, TimeZoneInfo.Utc, DayOfWeek.Monday);
        var count = await data.PlanAsync(db => TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, null), bounds, TaskBucket.Done).Select(t => t.Id).Take(TaskService.DoneCountLimit));
        var page = await data.PlanAsync(db => TaskService.Ordered(TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, null), bounds, TaskBucket.Done), TaskBucket.Done).Take(50).Select(t => t.Id));

        var byTypeUnanalysed = await data.PlanWithoutTaskStatisticsAsync(db => TaskService.InBucket(TaskService.Filtered(db, data.OperatorId, 1), bounds, TaskBucket.Done).Select(t => t.Id).Take(TaskService.DoneCountLimit));

        Assert.Contains("USING COVERING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt>?)", count);

        // Without statistics for the tasks SQLite 3.53 took IX_Tasks_TaskTypeId (all tasks of the type) for this.
        Assert.Contains("USING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt>?)", byTypeUnanalysed);
        Assert.Contains("INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt>?)", page);

        // Ties of the completion time are sorted by id in small groups; the whole section is never sorted.
        Assert.DoesNotContain(NoSort, page);
    }

    [Fact]
    public async Task The_calendar_reads_a_users_tasks_from_one_range_and_their_events_through_their_participant_rows()
    {
        var (from, to) = (SeededDatabase.TaskNow.AddDays(-2), SeededDatabase.TaskNow.AddDays(33));
        var tasks = await data.PlanAsync(db => TaskService.Items(db, TaskService.InRange(db, data.OperatorId, from, to), data.OperatorActor));
        var events = await data.PlanAsync(db => EventService.Items(db, EventService.InRange(db, data.OperatorId, from, to), data.OperatorActor));
        var upcoming = await data.PlanAsync(db => EventService.OfUserAround(db, data.OperatorId, SeededDatabase.TaskNow, upcoming: true).Take(50).Select(e => e.Id));

        var tasksUnanalysed = await data.PlanWithoutTaskStatisticsAsync(db => TaskService.InRange(db, data.OperatorId, from, to).Select(t => t.Title));
        var eventsUnanalysed = await data.PlanWithoutTaskStatisticsAsync(db => EventService.InRange(db, data.OperatorId, from, to).Select(e => e.Title));

        Assert.Contains("USING INDEX IX_Tasks_Calendar (AssignedToUserId=? AND DeadlineUtc>? AND DeadlineUtc<?)", tasks);
        Assert.Contains("USING INDEX IX_Tasks_Calendar (AssignedToUserId=? AND DeadlineUtc>? AND DeadlineUtc<?)", tasksUnanalysed);
        Assert.Contains("USING COVERING INDEX IX_EventParticipants_UserId_EventId (UserId=?)", eventsUnanalysed);
        Assert.DoesNotContain(NoSort, tasks);
        NoTableIsRead(tasks);
        Assert.Contains("USING COVERING INDEX IX_EventParticipants_UserId_EventId (UserId=?)", events);
        NoTableIsRead(events);
        NoTableIsRead(upcoming);
    }

    [Fact]
    public async Task A_leads_tasks_and_events_are_found_by_lead()
    {
        var tasks = await data.PlanAsync(db => TaskService.Items(db, TaskService.RecordOrder(db.Tasks.Where(t => t.LeadId == 7)), data.OperatorActor));
        var studentTasks = await data.PlanAsync(db => TaskService.RecordOrder(db.Tasks.Where(t => t.StudentId == 7)).Select(t => t.Id));
        var events = await data.PlanAsync(db => db.Events.Where(e => e.LeadId == 7).OrderBy(e => e.StartUtc).ThenBy(e => e.Id).Select(e => e.Id));

        Assert.Contains("USING INDEX IX_Tasks_LeadId_DeadlineUtc (LeadId=?)", tasks);
        Assert.Contains("IX_Tasks_StudentId_DeadlineUtc (StudentId=?)", studentTasks);
        Assert.Contains("IX_Events_LeadId_StartUtc (LeadId=?)", events);
        NoTableIsRead(tasks);
    }

    [Fact]
    public async Task The_open_tasks_of_disabled_users_are_found_per_disabled_user_not_by_reading_every_task()
    {
        var plan = await data.PlanAsync(db => TaskService.OpenOfDisabledUsers(db).Select(t => t.Id));

        Assert.Contains("USING COVERING INDEX IX_Tasks_MyTasks (AssignedToUserId=? AND CompletedAt=?)", plan);
        NoTableIsRead(plan);
    }

    /// <summary>No step reads all tasks or all events (EF Core's aliases t, t0, e, e0, ...; the users are few and may be read).</summary>
    private static void NoTableIsRead(string plan) =>
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"^SCAN [te]\d*( |$)", System.Text.RegularExpressions.RegexOptions.Multiline), plan);

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

        /// <summary>The "now" the seeded tasks and events are placed around (a Tuesday morning).</summary>
        public static readonly DateTime TaskNow = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

        private readonly CrmAppFactory app = new();

        public string AdminId { get; private set; } = "";

        public string OperatorId { get; private set; } = "";

        /// <summary>The operator as the services see them (not an admin).</summary>
        public Actor OperatorActor => new(OperatorId, IsAdmin: false);

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

            await SeedTasksAndEventsAsync(factory);
            await using (var db = await factory.CreateDbContextAsync())
            {
                await DatabaseSetup.RefreshStatisticsAsync(db);
            }
        }

        /// <summary>
        /// 20,000 tasks over the users (about four years back to 70 days ahead of <see cref="TaskNow"/>, done when past
        /// except every tenth, 60 % with a lead) and 4,000 events with one or two participants: plain SQL, so the
        /// statistics look like a school's after years of use (most tasks done, each user a share).
        /// </summary>
        private static async Task SeedTasksAndEventsAsync(IDbContextFactory<CrmDbContext> factory)
        {
            await using var db = await factory.CreateDbContextAsync();
            if (await db.TaskTypes.CountAsync() < 3)
            {
                db.TaskTypes.AddRange(new TaskType("Bench call", 101), new TaskType("Bench e-mail", 102), new TaskType("Bench meeting", 103));
                await db.SaveChangesAsync();
            }

            await db.Database.ExecuteSqlRawAsync("""
                CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY Id) - 1 AS n, Id FROM AspNetUsers;
                CREATE TEMP TABLE y AS SELECT row_number() OVER (ORDER BY Id) - 1 AS n, Id FROM TaskTypes;
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000),
                  t AS (SELECT i, strftime('%Y-%m-%d %H:%M:%S', '2026-12-01 09:00:00', printf('%+d minutes', (i * 7919) % 2100000 - 2000000)) AS deadline FROM s)
                INSERT INTO Tasks (LeadId, AssignedToUserId, CreatedByUserId, TaskTypeId, Title, DeadlineUtc, NotifyAssignee, Reminder,
                    CompletedAt, CompletedByUserId, CreatedAt, UpdatedAt, UpdatedByUserId, Version)
                SELECT CASE WHEN i % 5 < 3 THEN (SELECT MIN(Id) FROM Leads) + i % 2000 END,
                       (SELECT Id FROM u WHERE n = i % (SELECT COUNT(*) FROM u)), (SELECT Id FROM u WHERE n = 0),
                       (SELECT Id FROM y WHERE n = i % 3), 'Call back', deadline, 0, 3,
                       CASE WHEN deadline < '2026-12-01 09:00:00' AND i % 10 <> 0 THEN deadline END,
                       CASE WHEN deadline < '2026-12-01 09:00:00' AND i % 10 <> 0 THEN (SELECT Id FROM u WHERE n = i % (SELECT COUNT(*) FROM u)) END,
                       deadline, deadline, (SELECT Id FROM u WHERE n = 0), upper(hex(randomblob(16)))
                FROM t;
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 4000),
                  e AS (SELECT i, strftime('%Y-%m-%d %H:%M:%S', '2026-12-01 09:00:00', printf('%+d minutes', (i * 7919) % 2100000 - 2000000)) AS start FROM s)
                INSERT INTO Events (Id, LeadId, Title, AllDay, StartUtc, EndUtc, CreatedByUserId, CreatedAt, UpdatedAt, UpdatedByUserId, Version)
                SELECT i, CASE WHEN i % 3 = 0 THEN (SELECT MIN(Id) FROM Leads) + i % 2000 END, 'Trial lesson', 0, start,
                       strftime('%Y-%m-%d %H:%M:%S', start, '+60 minutes'), (SELECT Id FROM u WHERE n = 0), start, start, (SELECT Id FROM u WHERE n = 0),
                       upper(hex(randomblob(16)))
                FROM e;
                INSERT INTO EventParticipants (EventId, UserId) SELECT e.Id, u.Id FROM Events e JOIN u ON u.n = e.Id % (SELECT COUNT(*) FROM u);
                INSERT OR IGNORE INTO EventParticipants (EventId, UserId) SELECT e.Id, u.Id FROM Events e JOIN u ON u.n = (e.Id / 2) % (SELECT COUNT(*) FROM u) WHERE e.Id % 2 = 0;
                DROP TABLE u;
                DROP TABLE y;
                """);
        }

        public async Task<IReadOnlyList<LeadField>> ColumnsAsync()
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            return await LeadListService.GetColumnsAsync(db, default);
        }

        /// <summary>SQLite's plan for the query's SQL with its parameters, one detail line per step.</summary>
        public Task<string> PlanAsync<T>(Func<CrmDbContext, IQueryable<T>> query) => PlanAsync(db => Task.FromResult(query(db)));

        /// <summary>
        /// The plan as a database has it whose tasks and events were all written after its last ANALYZE (the app analyses
        /// at a migration and after imports): no statistics for those tables, so SQLite falls back to its default guesses.
        /// The statistics are removed inside a transaction that is rolled back, then loaded again.
        /// </summary>
        public async Task<string> PlanWithoutTaskStatisticsAsync<T>(Func<CrmDbContext, IQueryable<T>> query)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("BEGIN; DELETE FROM sqlite_stat1 WHERE tbl IN ('Tasks', 'Events', 'EventParticipants'); ANALYZE sqlite_schema;");
            try
            {
                return await ExplainAsync(query(db));
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("ROLLBACK; ANALYZE sqlite_schema;");
            }
        }

        /// <summary>The same for a query that takes a look at the database to be built.</summary>
        public async Task<string> PlanAsync<T>(Func<CrmDbContext, Task<IQueryable<T>>> query)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            return await ExplainAsync(await query(db));
        }

        private static async Task<string> ExplainAsync<T>(IQueryable<T> query)
        {
            await using DbCommand command = query.CreateDbCommand();
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
