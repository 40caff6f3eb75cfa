using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>Imports that never block others, stay all-or-nothing, and keep admin powers with admins.</summary>
public sealed class LeadImportSafetyTests
{
    private static readonly string[] UpdateHeaders = ["First name", "E-mail", "Status", "Assigned to", "Interests", "Budget"];

    [Fact]
    [Trait("Database", TestDatabase.SqliteOnlyTrait)]
    public async Task Another_writer_gets_the_write_lock_between_the_batches_of_a_running_import()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var rows = Enumerable.Range(1, 3 * LeadImportJob.FirstBatchRows).Select(i => new object?[] { "Lead " + i, $"l{i}@example.it" }).ToArray();
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "E-mail"], rows));
        int? leadsSeenMidway = null;
        Exception? writeFailure = null;

        // Runs on the worker between two rows once the first batch is written. A writer that does not wait at all
        // (busy timeout 0) must get the lock: with one transaction for the whole import it failed with "locked".
        void WriteMidway(ImportProgress progress)
        {
            if (progress.Phase != ImportPhase.Writing || progress.RowsDone <= LeadImportJob.FirstBatchRows || leadsSeenMidway is not null)
            {
                return;
            }

            try
            {
                using var other = new SqliteConnection(new SqliteConnectionStringBuilder(app.ConnectionString) { DefaultTimeout = 0, Pooling = false }.ToString());
                other.Open();
                using var write = other.CreateCommand();
                write.CommandText = "UPDATE LeadStatuses SET SortOrder = SortOrder + 10";
                write.ExecuteNonQuery();
                write.CommandText = "SELECT COUNT(*) FROM Leads";
                leadsSeenMidway = Convert.ToInt32(write.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            catch (SqliteException e)
            {
                writeFailure = e;
                leadsSeenMidway = -1;
            }
        }

        var import = await kit.ImportWatchingAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload), WriteMidway);

        Assert.Null(writeFailure);
        Assert.InRange(leadsSeenMidway!.Value, LeadImportJob.FirstBatchRows, rows.Length - 1);
        Assert.Equal((LeadImportState.Completed, rows.Length), (import.State, import.Created));
    }

    [Fact]
    public void A_batch_is_sized_to_the_pace_of_the_one_before_growing_by_at_most_half()
    {
        var half = LeadImportJob.BatchTime / 2;

        Assert.Equal(500, LeadImportJob.NextBatchRows(1000, LeadImportJob.BatchTime * 2));
        Assert.Equal(1500, LeadImportJob.NextBatchRows(1000, half));
        Assert.Equal(1250, LeadImportJob.NextBatchRows(1000, LeadImportJob.BatchTime * 0.8));
        Assert.Equal(100, LeadImportJob.NextBatchRows(1000, TimeSpan.FromMinutes(1)));
        // On PostgreSQL a batch holds at most 2,000 rows, however fast it goes.
        Assert.Equal(2000, LeadImportJob.NextBatchRows(2000, half, maxRows: 2000));
        // A batch that ended early because another writer came to wait: the next one is still at least the smallest.
        Assert.Equal(100, LeadImportJob.NextBatchRows(25, TimeSpan.FromMilliseconds(5)));
    }

    [Fact]
    public async Task Cancelling_after_batches_were_written_removes_created_leads_and_puts_updated_leads_back()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var before = await SeedLeadsToUpdateAsync(kit);
        var upload = await kit.UploadAsync(kit.Operator, UpdateFile(kit, 3 * LeadImportJob.FirstBatchRows));

        // Cancel from the worker's own progress once the first batch (with the updates) is committed.
        static void CancelAfterFirstBatch(ImportProgress progress)
        {
            if (progress.Phase == ImportPhase.Writing && progress.RowsDone > LeadImportJob.FirstBatchRows + 10)
            {
                progress.Cancellation.Cancel();
            }
        }

        var import = await kit.ImportWatchingAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload, DuplicatePolicy.Update), CancelAfterFirstBatch);

        Assert.Equal(LeadImportState.Cancelled, import.State);
        await AssertNothingOfTheImportRemainsAsync(kit, import.Id, before);
    }

    [Fact]
    public async Task A_failure_after_batches_were_written_removes_created_leads_and_puts_updated_leads_back()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var before = await SeedLeadsToUpdateAsync(kit);
        await using (var db = await kit.DbAsync())
        {
            // A real database failure in the third batch, long after the first batches were committed.
            await TestDatabase.FailInsertsAsync(db, "fail_on_boom", "Leads", "NEW.\"FirstName\" = 'Boom'");
        }

        var import = await kit.ImportFileAsync(UpdateFile(kit, 3 * LeadImportJob.FirstBatchRows, boomAt: (2 * LeadImportJob.FirstBatchRows) + 5), DuplicatePolicy.Update);

        Assert.Equal((LeadImportState.Failed, "import.failed"), (import.State, import.FailureCode));
        await AssertNothingOfTheImportRemainsAsync(kit, import.Id, before);
    }

    [Fact]
    public async Task Starting_the_same_upload_twice_at_once_starts_one_import()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], ["Anna"], ["Luca"]));
        var settings = ImportTestKit.SettingsFor(upload);

        async Task<int> ClickAsync()
        {
            await using var scope = kit.As(kit.Operator);
            return await scope.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, settings);
        }

        var ids = await Task.WhenAll(Task.Run(ClickAsync), Task.Run(ClickAsync));

        Assert.Equal(ids[0], ids[1]);
        var import = await kit.WaitForImportAsync(ids[0]);
        Assert.Equal(2, import.Created);
        await using var db = await kit.DbAsync();
        Assert.Equal(1, await db.Set<LeadImport>().CountAsync());
        Assert.Equal(2, await db.Leads.CountAsync());
    }

    [Fact]
    [Trait("Database", TestDatabase.SqliteOnlyTrait)]
    public async Task An_import_that_added_many_leads_refreshes_the_planner_statistics()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var count = LeadImportJob.RefreshStatisticsFrom + 200;
        var rows = Enumerable.Range(1, count).Select(i => new object?[] { "Lead " + i, $"l{i}@example.it" }).ToArray();

        var import = await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail"], rows));

        Assert.Equal(count, import.Created);
        await using var db = await kit.DbAsync();
        var stats = await db.Database.SqlQueryRaw<string>("SELECT stat AS \"Value\" FROM sqlite_stat1 WHERE tbl = 'Leads'").ToListAsync();
        Assert.NotEmpty(stats);
        Assert.All(stats, stat => Assert.Equal(count.ToString(CultureInfo.InvariantCulture), stat.Split(' ')[0]));
    }

    [Fact]
    public async Task An_operator_cannot_have_missing_statuses_created_but_an_admin_can()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.Xlsx(["First name", "Status"], ["Anna", "Open day"]);
        var upload = await kit.UploadAsync(kit.Operator, path);
        var settings = ImportTestKit.SettingsFor(upload, createMissingStatuses: true);

        await using (var scope = kit.As(kit.Operator))
        {
            var imports = scope.ServiceProvider.GetRequiredService<LeadImportService>();
            var previewError = await Assert.ThrowsAsync<DomainException>(() => imports.PreviewAsync(upload.UploadId, settings, CancellationToken.None));
            var startError = await Assert.ThrowsAsync<DomainException>(() => imports.StartAsync(upload.UploadId, settings));
            Assert.Equal(("import.statuses_admin_only", "import.statuses_admin_only"), (previewError.Code, startError.Code));
        }

        await using (var db = await kit.DbAsync())
        {
            Assert.False(await db.LeadStatuses.AnyAsync(s => s.Name == "Open day"));
            Assert.Equal(0, await db.Set<LeadImport>().CountAsync());
        }

        var byAdmin = await kit.ImportFileAsync(path, user: kit.Admin, createMissingStatuses: true);
        Assert.Equal(1, byAdmin.Created);
    }

    [Fact]
    public async Task An_operator_may_undo_their_own_import_after_working_on_its_leads_themselves()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var import = await kit.ImportFileAsync(kit.Xlsx(["First name"], ["Anna"], ["Luca"]));
        var leadId = await FirstLeadOfAsync(kit, import.Id);
        await using (var scope = kit.As(kit.Operator))
        {
            var leads = scope.ServiceProvider.GetRequiredService<LeadService>();
            await leads.AddCommentAsync(leadId, "Called, call again Monday");
            await leads.ChangeStatusAsync(leadId, kit.Statuses["Contacted"]);
        }

        await using var undo = kit.As(kit.Operator);
        var imports = undo.ServiceProvider.GetRequiredService<LeadImportService>();
        var check = await imports.CheckUndoAsync(import.Id, CancellationToken.None);

        Assert.Equal(new UndoCheck(import.Id, 2, 0, true), check);
        Assert.Equal(2, await imports.UndoAsync(import.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Only_an_admin_may_undo_an_import_whose_leads_carry_someone_elses_work()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var colleague = await app.Services.CreateUserAsync("carla@school.test", Roles.Operator, "Carla Colleague");
        var import = await kit.ImportFileAsync(kit.Xlsx(["First name"], ["Anna"], ["Luca"], ["Sara"], ["Paul"]));
        await using (var db = await kit.DbAsync())
        {
            var ids = await db.Leads.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync();
            await using var asColleague = kit.App.Services.CreateScopeAs(colleague, isAdmin: false);
            var colleagueLeads = asColleague.ServiceProvider.GetRequiredService<LeadService>();
            await colleagueLeads.AddCommentAsync(ids[0], "I know her from the open day");
            await using var asOperator = kit.As(kit.Operator);
            await asOperator.ServiceProvider.GetRequiredService<LeadService>().AssignAsync(ids[1], colleague.Id);
            await colleagueLeads.ChangeStatusAsync(ids[2], kit.Statuses["Contacted"]);
        }

        await using (var scope = kit.As(kit.Operator))
        {
            var imports = scope.ServiceProvider.GetRequiredService<LeadImportService>();
            Assert.Equal(new UndoCheck(import.Id, 4, 3, false), await imports.CheckUndoAsync(import.Id, CancellationToken.None));
            var refused = await Assert.ThrowsAsync<DomainException>(() => imports.UndoAsync(import.Id, CancellationToken.None));
            Assert.Equal("import.undo_later_work", refused.Code);
        }

        await using (var db = await kit.DbAsync())
        {
            Assert.Equal(4, await db.Leads.CountAsync());
        }

        await using var admin = kit.As(kit.Admin);
        var adminImports = admin.ServiceProvider.GetRequiredService<LeadImportService>();
        Assert.Equal(new UndoCheck(import.Id, 4, 3, true), await adminImports.CheckUndoAsync(import.Id, CancellationToken.None));
        Assert.Equal(4, await adminImports.UndoAsync(import.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Undo_removes_more_leads_than_one_delete_batch_holds()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var count = (2 * LeadImportRollback.DeleteBatchSize) + 7;
        var import = await kit.ImportFileAsync(kit.Xlsx(["First name", "Interests"], [.. Enumerable.Range(1, count).Select(i => new object?[] { "Lead " + i, "Music" })]));

        await using var scope = kit.As(kit.Operator);
        var removed = await scope.ServiceProvider.GetRequiredService<LeadImportService>().UndoAsync(import.Id, CancellationToken.None);

        Assert.Equal(count, removed);
        await using var db = await kit.DbAsync();
        Assert.Equal((0, 0), (await db.Leads.CountAsync(), await db.CustomFieldValues.CountAsync()));
    }

    [Fact]
    public async Task An_update_of_a_multiple_choice_field_reads_in_the_history_as_the_lead_form_writes_it()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail", "Interests"], ["Anna", "anna@example.it", "Sport"]));

        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail", "Interests"], ["Anna", "anna@example.it", "Music; Sport"]), DuplicatePolicy.Update);

        var interests = kit.Fields["Interests"];
        var music = interests.Options.Single(o => o.Label == "Music").Id;
        var sport = interests.Options.Single(o => o.Label == "Sport").Id;
        await using var db = await kit.DbAsync();
        var line = await db.History.SingleAsync(h => h.Field == CustomValueRules.FieldKey(interests.Id));
        Assert.Equal(CustomValueRules.Format([CustomFieldValue.Option(interests.Id, sport)]), line.OldValue);
        Assert.Equal(CustomValueRules.Format([CustomFieldValue.Option(interests.Id, music), CustomFieldValue.Option(interests.Id, sport)]), line.NewValue);
        Assert.Equal(string.Join(',', new[] { music, sport }.Order()), line.NewValue);
    }

    /// <summary>Ten existing leads with a status, an assignee and custom values, as the import will find them.</summary>
    internal static async Task<Dictionary<int, LeadState>> SeedLeadsToUpdateAsync(ImportTestKit kit)
    {
        var rows = Enumerable.Range(1, 10).Select(i => new object?[] { "Old " + i, $"old{i}@example.it", "Contacted", kit.Operator.Email, "Sport", 100 + i }).ToArray();
        await kit.ImportFileAsync(kit.Xlsx(UpdateHeaders, rows), user: kit.Admin);
        return await LeadStatesAsync(kit);
    }

    /// <summary>
    /// A file whose first ten rows update the seeded leads (other name, status, assignee, interests, budget) and
    /// whose other rows are new leads.
    /// </summary>
    internal static string UpdateFile(ImportTestKit kit, int rows, int? boomAt = null) =>
        kit.Xlsx(UpdateHeaders, [.. Enumerable.Range(1, rows).Select(i => i <= 10
            ? new object?[] { "Changed " + i, $"old{i}@example.it", "New", kit.Admin.Email, "Music; Sport", 900 + i }
            : new object?[] { i == boomAt ? "Boom" : "Lead " + i, $"l{i}@example.it", null, null, "Music", null })]);

    internal static async Task AssertNothingOfTheImportRemainsAsync(ImportTestKit kit, int importId, Dictionary<int, LeadState> before)
    {
        await using var db = await kit.DbAsync();
        Assert.Equal(0, await db.Leads.CountAsync(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) == importId));
        Assert.Equal(before, await LeadStatesAsync(kit));
        var import = await db.Set<LeadImport>().AsNoTracking().SingleAsync(i => i.Id == importId);
        Assert.Equal(0, await db.History.CountAsync(h => h.UserId == import.UserId && h.At == import.StartedAt));
        Assert.Equal(0, await db.Set<LeadImportJournalEntry>().CountAsync());
    }

    internal static async Task<Dictionary<int, LeadState>> LeadStatesAsync(ImportTestKit kit)
    {
        await using var db = await kit.DbAsync();
        var leads = await db.Leads.AsNoTracking().Include(l => l.CustomValues).ToListAsync();
        var history = await db.History.AsNoTracking().GroupBy(h => h.LeadId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return leads.ToDictionary(l => l.Id, l => new LeadState(
            l.Details,
            l.StatusId,
            l.AssignedToUserId,
            l.Version,
            string.Join('|', l.CustomValues.OrderBy(v => v.CustomFieldId).ThenBy(v => v.OptionId).Select(v => v.Snapshot().ToString())),
            history.SingleOrDefault(h => h.Key == l.Id)?.Count ?? 0));
    }

    private static async Task<int> FirstLeadOfAsync(ImportTestKit kit, int importId)
    {
        await using var db = await kit.DbAsync();
        return await db.Leads.Where(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) == importId).MinAsync(l => l.Id);
    }

    internal sealed record LeadState(PersonDetails Details, int StatusId, string? AssigneeId, Guid Version, string CustomValues, int HistoryLines);
}
