using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Leads.Import;

public sealed class LeadImportTests
{
    private static readonly string[] GermanArchiveHeaders =
        ["Vorname", "Nachname", "E-Mail", "PLZ", "Geburtsdatum", "Geschlecht", "Status", "Zugewiesen an", "Datenschutz", "Interests", "Newsletter", "Budget", "Open day", "Lieblingsfarbe"];

    [Fact]
    public async Task The_template_lists_every_standard_and_active_custom_field_in_the_users_language()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        var english = await TemplateAsync(kit, "en");
        var german = await TemplateAsync(kit, "de");

        var englishHeaders = ImportTestKit.ReadSheet(english)[0];
        var germanHeaders = ImportTestKit.ReadSheet(german)[0];
        Assert.Equal(["Company name", "First name", "Last name", "Capture date", "E-mail"], englishHeaders.Take(5));
        Assert.Equal(["Firma", "Vorname", "Nachname", "Erfassungsdatum", "E-Mail"], germanHeaders.Take(5));
        Assert.Equal(["Interests", "Newsletter", "Budget", "Open day", "School"], englishHeaders.Skip(18));
        Assert.Equal(englishHeaders.Skip(18), germanHeaders.Skip(18));
        Assert.DoesNotContain("Old field", englishHeaders);
        Assert.Equal(Enum.GetValues<StandardField>().Length + 5, englishHeaders.Length);

        var allowed = ImportTestKit.ReadSheet(german, "Erlaubte Werte");
        Assert.Contains(allowed, r => Equals(r[0], "Status") && Equals(r[1], "Contacted"));
        Assert.Contains(allowed, r => Equals(r[0], "Zugewiesen an") && Equals(r[1], "olga@school.test"));
        Assert.Contains(allowed, r => Equals(r[0], "Interests") && Equals(r[1], "Sport"));
        Assert.Contains(allowed, r => Equals(r[0], "Geschlecht") && Equals(r[1], "Weiblich"));
    }

    [Theory]
    [InlineData("de")]
    [InlineData("it")]
    public async Task The_template_filled_in_imports_back(string culture)
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var template = await TemplateAsync(kit, culture);
        var headers = ImportTestKit.ReadSheet(template)[0].Select(h => (string)h!).ToList();

        // Uploaded by an English user: the headers match in every language, not only the user's own.
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(headers, [null, "Anna"]));

        Assert.All(upload.Columns, c => Assert.Equal(ColumnMatchKind.Matched, c.Kind));
        var import = await kit.ImportAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));
        Assert.Equal(1, import.Created);
    }

    [Fact]
    public async Task German_archive_headers_match_and_unknown_columns_are_listed()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(GermanArchiveHeaders, ["Anna"]));

        var byHeader = upload.Columns.ToDictionary(c => c.Header);
        Assert.Equal("FirstName", byHeader["Vorname"].TargetKey);
        Assert.Equal("Email", byHeader["E-Mail"].TargetKey);
        Assert.Equal("Zip", byHeader["PLZ"].TargetKey);
        Assert.Equal("DateOfBirth", byHeader["Geburtsdatum"].TargetKey);
        Assert.Equal("AssignedTo", byHeader["Zugewiesen an"].TargetKey);
        Assert.Equal("PrivacyConsent", byHeader["Datenschutz"].TargetKey);
        Assert.Equal(ImportTarget.ForCustomField(kit.Fields["Interests"].Id).Key, byHeader["Interests"].TargetKey);
        Assert.Equal(ColumnMatchKind.Unknown, byHeader["Lieblingsfarbe"].Kind);
        Assert.Equal("", byHeader["Lieblingsfarbe"].TargetKey);
        Assert.Contains(upload.Fields, f => f.Key == "Notes");
    }

    [Fact]
    public async Task Values_of_every_kind_are_imported_as_the_archive_means_them()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.Xlsx(
            GermanArchiveHeaders,
            ["  Anna ", "Bianchi", "anna@example.it", 80100d, new DateTime(2001, 5, 3), "weiblich", "contacted", "olga@school.test", "ja", "Music; sport", "x", "1.234,5", "24/12/2026", "rot"],
            ["Luca", null, "luca@example.it", "00123", 37015d, "m", null, "Olga Operator", "no", null, "nein", 3d, null, null]);

        var import = await kit.ImportFileAsync(path);

        Assert.Equal((2, 0, 0, 0), (import.Created, import.Updated, import.Skipped, import.Errors));
        await using var db = await kit.DbAsync();
        var anna = await db.Leads.Include(l => l.CustomValues).SingleAsync(l => l.Email == "anna@example.it");
        Assert.Equal(("Anna", "80100", new DateOnly(2001, 5, 3), Gender.Female, true), (anna.FirstName, anna.Zip, anna.DateOfBirth!.Value, anna.Gender, anna.PrivacyConsent));
        Assert.Equal(kit.Statuses["Contacted"], anna.StatusId);
        Assert.Equal(kit.Operator.Id, anna.AssignedToUserId);
        Assert.Equal(2, anna.CustomValues.Count(v => v.CustomFieldId == kit.Fields["Interests"].Id));
        Assert.True(anna.CustomValues.Single(v => v.CustomFieldId == kit.Fields["Newsletter"].Id).BoolValue);
        Assert.Equal(1234.5, anna.CustomValues.Single(v => v.CustomFieldId == kit.Fields["Budget"].Id).NumberValue);
        Assert.Equal(new DateOnly(2026, 12, 24), anna.CustomValues.Single(v => v.CustomFieldId == kit.Fields["Open day"].Id).DateValue);
        var luca = await db.Leads.SingleAsync(l => l.Email == "luca@example.it");
        Assert.Equal(("00123", new DateOnly(2001, 5, 4), Gender.Male, kit.Operator.Id), (luca.Zip, luca.DateOfBirth!.Value, luca.Gender, luca.AssignedToUserId));
        Assert.Equal(kit.Statuses["New"], luca.StatusId);
    }

    [Fact]
    public async Task A_formula_cell_imports_its_cached_value_as_text()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.RawXlsx(ImportTestKit.Sheet(
            ImportTestKit.Text("A1", "First name") + ImportTestKit.Text("B1", "Notes") + ImportTestKit.Text("C1", "ZIP"),
            ImportTestKit.Text("A2", "Anna") + "<c r=\"B2\" t=\"str\"><f>\"=\"&amp;\"cmd\"</f><v>=cmd</v></c><c r=\"C2\"><f>80000+100</f><v>80100</v></c>"));

        var import = await kit.ImportFileAsync(path);

        Assert.Equal(1, import.Created);
        await using var db = await kit.DbAsync();
        var lead = await db.Leads.SingleAsync();
        Assert.Equal(("=cmd", "80100"), (lead.Notes, lead.Zip));
    }

    [Fact]
    public async Task A_semicolon_csv_in_utf8_imports_too()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.NewPath(".csv");
        await File.WriteAllTextAsync(path, "\uFEFFVorname;Nachname;E-Mail;Geburtsdatum\r\nJürgen;Müller;jm@example.de;03.05.2001\r\n\r\nÄnne;\"Groß; Klein\";;\r\n");

        var import = await kit.ImportFileAsync(path);

        Assert.Equal(2, import.Created);
        await using var db = await kit.DbAsync();
        Assert.True(await db.Leads.AnyAsync(l => l.FirstName == "Jürgen" && l.DateOfBirth == new DateOnly(2001, 5, 3)));
        Assert.True(await db.Leads.AnyAsync(l => l.FirstName == "Änne" && l.LastName == "Groß; Klein"));
    }

    [Fact]
    public async Task The_preview_counts_rows_and_explains_every_error_without_writing()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail"], ["Existing", "old@example.it"]));
        var path = kit.Xlsx(
            ["First name", "E-mail", "Date of birth", "Status", "Lieblingsfarbe"],
            ["Anna", "anna@example.it", "03.05.2001", "New", "rot"],
            ["Again", "OLD@example.it", null, null, null],
            [null, "nobody@example.it", null, null, null],
            ["Bad", "bad@example.it", "31.02.2001", "Unknown status", null],
            [null, null, null, null, null],
            ["Twice", "anna@example.it", null, null, null]);
        var upload = await kit.UploadAsync(kit.Operator, path);

        var preview = await kit.PreviewAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));

        Assert.Equal((5, 1, 0, 1, 1, 2), (preview.Rows, preview.Create, preview.Update, preview.SkipExisting, preview.SkipRepeated, preview.Errors));
        Assert.Equal(
            [(4, "First name", "", "required"), (5, "Date of birth", "31.02.2001", "date.impossible"), (5, "Status", "Unknown status", "status.unknown")],
            preview.ErrorList.Select(e => (e.RowNumber, e.Column, e.Value, e.Code)));
        await using var db = await kit.DbAsync();
        Assert.Equal(1, await db.Leads.CountAsync());
    }

    [Fact]
    public async Task Error_rows_download_has_the_original_cells_and_a_reason_column()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Date of birth"], ["Anna", "03.05.2001"], ["Bad", "31.02.2001"]));
        await kit.PreviewAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));
        var path = kit.NewPath();

        await using (var scope = kit.As(kit.Operator))
        await using (var output = File.Create(path))
        {
            await scope.ServiceProvider.GetRequiredService<LeadImportService>()
                .WriteErrorRowsAsync(upload.UploadId, output, e => e.Column + ": " + e.Code, CancellationToken.None);
        }

        var rows = ImportTestKit.ReadSheet(path);
        Assert.Equal(["First name", "Date of birth", "Row", "Reason"], rows[0]);
        var row = Assert.Single(rows.Skip(1));
        Assert.Equal("Bad", row[0]);
        Assert.Equal("31.02.2001", row[1]);
        Assert.Equal(3d, Convert.ToDouble(row[2], CultureInfo.InvariantCulture));
        Assert.Equal("Date of birth: date.impossible", row[3]);
    }

    [Theory]
    [InlineData(DuplicatePolicy.Skip, 1, 0, 2, "Old", "081 111")]
    [InlineData(DuplicatePolicy.Update, 1, 1, 1, "Newer", "081 111")]
    [InlineData(DuplicatePolicy.CreateAnyway, 4, 0, 0, "Old", "081 111")]
    public async Task Each_duplicate_policy_does_what_it_says(DuplicatePolicy policy, int created, int updated, int skipped, string existingNameAfter, string existingPhoneAfter)
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail", "Phone"], ["Old", "anna@example.it", "081 111"]));
        var path = kit.Xlsx(
            ["First name", "E-mail", "Phone"],
            ["Newer", "ANNA@example.it", null],
            ["Fresh", "fresh@example.it", "1"],
            ["Fresh again", "fresh@example.it", "2"],
            ["No mail", null, "3"]);

        var import = await kit.ImportFileAsync(path, policy);

        Assert.Equal((created, updated, skipped), (import.Created - (policy == DuplicatePolicy.CreateAnyway ? 0 : 1), import.Updated, import.Skipped));
        await using var db = await kit.DbAsync();
        var oldest = await db.Leads.OrderBy(l => l.Id).FirstAsync();
        Assert.Equal((existingNameAfter, existingPhoneAfter), (oldest.FirstName, oldest.Phone));
        Assert.Equal(policy == DuplicatePolicy.CreateAnyway ? 5 : 3, await db.Leads.CountAsync());
        if (policy == DuplicatePolicy.Update)
        {
            Assert.Contains(await db.History.Where(h => h.LeadId == oldest.Id).ToListAsync(), h => h.Field == "FirstName" && h.OldValue == "Old" && h.NewValue == "Newer");
        }
    }

    [Fact]
    public async Task Missing_statuses_are_created_when_the_user_asks()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        // Maria's lead is written before the batch creates "Open day" (on PostgreSQL: while its COPY is open).
        var import = await kit.ImportFileAsync(
            kit.Xlsx(["First name", "Status"], ["Maria", "New"], ["Anna", "Open day"], ["Luca", "open DAY"]), user: kit.Admin, createMissingStatuses: true);

        Assert.Equal(3, import.Created);
        await using var db = await kit.DbAsync();
        var status = await db.LeadStatuses.SingleAsync(s => s.Name == "Open day");
        Assert.Equal(["Anna", "Luca"], await db.Leads.Where(l => l.StatusId == status.Id).OrderBy(l => l.FirstName).Select(l => l.FirstName).ToListAsync());
        Assert.Equal(kit.Statuses["New"], await db.Leads.Where(l => l.FirstName == "Maria").Select(l => l.StatusId).SingleAsync());
    }

    [Fact]
    public async Task A_failure_mid_file_leaves_no_lead_of_the_import_behind()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await using (var db = await kit.DbAsync())
        {
            // A real database failure on the 1,500th row, long after the first rows were written.
            await TestDatabase.FailInsertsAsync(db, "fail_on_boom", "Leads", "NEW.\"FirstName\" = 'Boom'");
        }

        var rows = Enumerable.Range(1, 2000).Select(i => new object?[] { i == 1500 ? "Boom" : "Lead " + i, $"l{i}@example.it" }).ToArray();

        var import = await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail"], rows));

        Assert.Equal((LeadImportState.Failed, "import.failed"), (import.State, import.FailureCode));
        await using var check = await kit.DbAsync();
        Assert.Equal(0, await check.Leads.CountAsync());
    }

    [Fact]
    public async Task Cancelling_while_writing_leaves_no_lead_of_the_import_behind()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var rows = Enumerable.Range(1, 20_000).Select(i => new object?[] { "Lead " + i, $"l{i}@example.it" }).ToArray();
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "E-mail"], rows));

        // Cancel from the worker's own progress report once rows are being written: no race with the clock.
        static void CancelWhenWriting(ImportProgress progress)
        {
            if (progress.Phase == ImportPhase.Writing && progress.RowsDone > 0)
            {
                progress.Cancellation.Cancel();
            }
        }

        var import = await kit.ImportWatchingAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload), CancelWhenWriting);

        Assert.Equal(LeadImportState.Cancelled, import.State);
        await using var db = await kit.DbAsync();
        Assert.Equal(0, await db.Leads.CountAsync());
    }

    [Fact]
    public async Task A_user_who_left_during_an_import_finds_its_progress_when_coming_back()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var rows = Enumerable.Range(1, 3000).Select(i => new object?[] { "Lead " + i }).ToArray();
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], rows));
        var jobs = app.Services.GetRequiredService<LeadImportJobs>();
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // Holds the worker while it writes, so the "coming back" below sees a running import, not a finished one.
        void HoldWhileWriting(ImportProgress progress)
        {
            if (progress.Phase == ImportPhase.Writing && progress.RowsDone > 0 && !writing.IsSet)
            {
                writing.Set();
                release.Wait(TimeSpan.FromMinutes(2));
            }
        }

        jobs.Changed += HoldWhileWriting;
        int importId;
        try
        {
            await using (var firstVisit = kit.As(kit.Operator))
            {
                importId = await firstVisit.ServiceProvider.GetRequiredService<LeadImportService>()
                    .StartAsync(upload.UploadId, ImportTestKit.SettingsFor(upload));
            }

            Assert.True(await Task.Run(() => writing.Wait(TimeSpan.FromMinutes(2))));
            await using var comingBack = kit.As(kit.Operator);
            var status = await comingBack.ServiceProvider.GetRequiredService<LeadImportService>().FindUnfinishedAsync();

            Assert.NotNull(status);
            Assert.Equal(importId, status.ImportId);
            Assert.Equal(ImportPhase.Writing, status.Phase);
        }
        finally
        {
            jobs.Changed -= HoldWhileWriting;
            release.Set();
        }

        var done = await kit.WaitForImportAsync(importId);
        Assert.Equal(LeadImportState.Completed, done.State);
    }

    [Fact]
    public async Task A_second_import_waits_for_the_first_and_can_be_cancelled_while_waiting()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var big = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], [.. Enumerable.Range(1, 5000).Select(i => new object?[] { "Lead " + i })]));
        var small = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], ["Waiting"]));
        await using var scope = kit.As(kit.Operator);
        var imports = scope.ServiceProvider.GetRequiredService<LeadImportService>();

        var first = await imports.StartAsync(big.UploadId, ImportTestKit.SettingsFor(big));
        var second = await imports.StartAsync(small.UploadId, ImportTestKit.SettingsFor(small));
        var secondStatus = await imports.GetStatusAsync(second);
        if (secondStatus!.Phase == ImportPhase.Queued)
        {
            await imports.CancelAsync(second);
        }

        var done = await kit.WaitForImportAsync(first);
        var waited = await kit.WaitForImportAsync(second);
        Assert.Equal(LeadImportState.Completed, done.State);
        Assert.True(waited.State == LeadImportState.Cancelled || secondStatus.Phase != ImportPhase.Queued);
        Assert.True(done.StartedAt <= (waited.StartedAt ?? DateTime.MaxValue));
    }

    [Fact]
    public async Task Undo_removes_the_leads_the_import_created_and_keeps_the_ones_it_updated()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail"], ["Old", "old@example.it"]), user: kit.Admin);
        var import = await kit.ImportFileAsync(
            kit.Xlsx(["First name", "E-mail", "Interests"], ["Updated", "old@example.it", null], ["New one", "new@example.it", "Music"], ["New two", null, null]),
            DuplicatePolicy.Update);
        Assert.Equal((2, 1), (import.Created, import.Updated));

        int removed;
        await using (var scope = kit.As(kit.Operator))
        {
            var imports = scope.ServiceProvider.GetRequiredService<LeadImportService>();
            removed = await imports.UndoAsync(import.Id, CancellationToken.None);
            var history = await imports.ListHistoryAsync(CancellationToken.None);
            Assert.False(history.Single(h => h.Id == import.Id).CanUndo);
            Assert.Equal(2, history.Single(h => h.Id == import.Id).UndoneCount);
            var again = await Assert.ThrowsAsync<DomainException>(() => imports.UndoAsync(import.Id, CancellationToken.None));
            Assert.Equal("import.already_undone", again.Code);
        }

        Assert.Equal(2, removed);
        await using var db = await kit.DbAsync();
        var left = Assert.Single(await db.Leads.ToListAsync());
        Assert.Equal("Updated", left.FirstName);
        Assert.Equal(0, await db.CustomFieldValues.CountAsync());
    }

    [Fact]
    public async Task Another_operator_cannot_undo_someone_elses_import()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var other = await app.Services.CreateUserAsync("other@school.test", Roles.Operator);
        var import = await kit.ImportFileAsync(kit.Xlsx(["First name"], ["Anna"]));

        await using var scope = app.Services.CreateScopeAs(other, isAdmin: false);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            scope.ServiceProvider.GetRequiredService<LeadImportService>().UndoAsync(import.Id, CancellationToken.None));

        Assert.Equal("auth.forbidden", error.Code);
    }

    private static async Task<string> TemplateAsync(ImportTestKit kit, string culture)
    {
        var path = kit.NewPath();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            await using var scope = kit.As(kit.Operator);
            await using var output = File.Create(path);
            await scope.ServiceProvider.GetRequiredService<LeadImportService>().WriteTemplateAsync(output, CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }

        return path;
    }
}
