using System.Globalization;
using System.Security.Claims;
using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SchoolCrm.Domain.Import;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Components.Leads.Import;

/// <summary>
/// The steps of the import page rendered by bUnit over the real import service and a real SQLite database. The
/// context has its own <see cref="LeadImportJobs"/> (no worker reads it), so a test drives the progress itself.
/// </summary>
public sealed class LeadImportStepsTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime, IAsyncDisposable
{
    private readonly BunitContext ctx = new();

    public async Task InitializeAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddLogging();
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IConfiguration>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<SchoolClock>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CrmNode>());
        ctx.Services.AddScoped<CurrentUser>();
        ctx.Services.AddCrmFeatures();

        var admin = await app.AdminAsync();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(admin.UserName!);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
        auth.SetRoles(Roles.Admin);
        auth.SetAuthenticationType("Test");
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        ctx.Render<MudPopoverProvider>();
        AdminId = admin.Id;
    }

    private static readonly string Email = ImportTarget.For(StandardField.Email).Key;
    private static readonly string DateOfBirth = ImportTarget.For(StandardField.DateOfBirth).Key;
    private static readonly string FirstName = ImportTarget.For(StandardField.FirstName).Key;

    private string AdminId { get; set; } = "";

    private LeadImportJobs Jobs => ctx.Services.GetRequiredService<LeadImportJobs>();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ctx.DisposeAsync();

    [Fact]
    public void The_progress_step_shows_each_step_the_worker_reports()
    {
        var progress = Enqueue(importId: 41, totalRows: 200);
        var step = ctx.Render<ImportProgressStep>(p => p.Add(x => x.Status, ImportStatus.Of(progress)));
        step.WaitForAssertion(() => Assert.Equal(1, Jobs.SubscriberCount));

        Jobs.Report(progress, ImportPhase.Writing, 50);

        step.WaitForAssertion(() => Assert.Contains("50", step.Find("#import-phase").TextContent, StringComparison.Ordinal));
        Assert.Equal("Writing", step.Find("#import-progress").GetAttribute("data-phase"));
    }

    [Fact]
    public void The_progress_step_tells_the_page_once_when_the_import_has_finished()
    {
        var progress = Enqueue(importId: 42, totalRows: 10);
        var finished = new List<ImportStatus>();
        var step = ctx.Render<ImportProgressStep>(p => p
            .Add(x => x.Status, ImportStatus.Of(progress))
            .Add(x => x.OnFinished, s => finished.Add(s)));
        step.WaitForAssertion(() => Assert.Equal(1, Jobs.SubscriberCount));

        Jobs.Finish(progress, LeadImportState.Completed);

        step.WaitForAssertion(() => Assert.Equal("Completed", step.Find("#import-progress").GetAttribute("data-outcome")));
        Assert.NotNull(step.Find("#import-outcome"));
        Assert.Empty(step.FindAll("#import-cancel"));
        var status = Assert.Single(finished);
        Assert.Equal((42, LeadImportState.Completed), (status.ImportId, status.Outcome));
        Assert.Equal(0, Jobs.SubscriberCount);
    }

    [Fact]
    public async Task The_progress_step_stops_listening_when_the_page_closes()
    {
        var progress = Enqueue(importId: 43, totalRows: 10);
        var step = ctx.Render<ImportProgressStep>(p => p.Add(x => x.Status, ImportStatus.Of(progress)));
        step.WaitForAssertion(() => Assert.Equal(1, Jobs.SubscriberCount));

        await ctx.DisposeComponentsAsync();

        Assert.Equal(0, Jobs.SubscriberCount);
    }

    [Fact]
    public void The_progress_step_catches_up_with_a_step_reported_before_it_listened()
    {
        var progress = Enqueue(importId: 44, totalRows: 100);
        var seenByPage = ImportStatus.Of(progress);
        Jobs.Report(progress, ImportPhase.Writing, 70);

        var step = ctx.Render<ImportProgressStep>(p => p.Add(x => x.Status, seenByPage));

        step.WaitForAssertion(() => Assert.Contains("70", step.Find("#import-phase").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_progress_step_reads_the_row_of_an_import_that_another_node_runs()
    {
        // Nothing is pushed on this node: the import runs elsewhere and stores its progress in its row.
        int importId;
        var factory = ctx.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var import = LeadImport.Queue("elsewhere.xlsx", AdminId, DateTime.UtcNow);
            import.Start(DateTime.UtcNow);
            var entry = db.Add(import);
            entry.Property(LeadImportConfiguration.RowsDoneProperty).CurrentValue = 30;
            entry.Property(LeadImportConfiguration.TotalRowsProperty).CurrentValue = 100;
            await db.SaveChangesAsync();
            importId = import.Id;
        }

        var step = ctx.Render<ImportProgressStep>(p => p.Add(x => x.Status, ImportStatus.Of(importId, LeadImportState.Queued, 0, 100)));
        var wait = ImportProgressStep.PollEvery * 5;
        step.WaitForAssertion(() => Assert.Contains("30", step.Find("#import-phase").TextContent, StringComparison.Ordinal), wait);

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Set<LeadImport>().Where(i => i.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(i => i.State, LeadImportState.Cancelled));
        }

        step.WaitForAssertion(() => Assert.Equal("Cancelled", step.Find("#import-progress").GetAttribute("data-outcome")), wait);
    }

    [Fact]
    public void The_preview_step_shows_the_counts_every_error_and_the_error_rows_download()
    {
        var upload = Upload(("E-mail", Email), ("Date of birth", DateOfBirth));
        var preview = Preview(create: 3, errors: 2, errorList:
        [
            new ImportRowError(4, "Date of birth", "31.02.2001", "date.invalid"),
            new ImportRowError(7, "E-mail", "nobody@", "email.invalid"),
        ]);

        var step = ctx.Render<ImportPreviewStep>(p => p
            .Add(x => x.Upload, upload)
            .Add(x => x.Preview, preview)
            .Add(x => x.Settings, new ImportSettings([Email, DateOfBirth])));

        Assert.Contains("3", step.Find("[data-testid=preview-create]").TextContent, StringComparison.Ordinal);
        Assert.Contains("2", step.Find("[data-testid=preview-errors]").TextContent, StringComparison.Ordinal);
        var rows = step.FindAll("[data-testid=import-error-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("31.02.2001", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(ImportEndpoints.ErrorRowsUrl(upload.UploadId), step.Find("#import-error-rows").GetAttribute("href"));
        Assert.Contains("E-mail → E-mail", step.Find("#import-final-mapping").TextContent, StringComparison.Ordinal);
        Assert.Null(step.Find("#import-start").GetAttribute("disabled"));
    }

    [Fact]
    public void The_preview_step_offers_no_import_when_nothing_would_be_written()
    {
        var started = 0;
        var step = ctx.Render<ImportPreviewStep>(p => p
            .Add(x => x.Upload, Upload(("E-mail", Email)))
            .Add(x => x.Preview, Preview(create: 0, errors: 0, errorList: []))
            .Add(x => x.Settings, new ImportSettings([Email]))
            .Add(x => x.OnStart, () => started++));

        Assert.NotNull(step.Find("#import-start").GetAttribute("disabled"));
        Assert.Empty(step.FindAll("#import-errors"));
        Assert.Equal(0, started);
    }

    [Fact]
    public void The_mapping_step_marks_a_field_chosen_twice_and_previews_with_the_chosen_targets()
    {
        ImportSettings? asked = null;
        var step = ctx.Render<ImportMappingStep>(p => p
            .Add(x => x.Upload, Upload(("E-mail", Email), ("Mail", Email), ("Notes", "")))
            .Add(x => x.OnPreview, s => asked = s));

        Assert.NotNull(step.Find("[data-testid=mapping-double-0]"));
        Assert.NotNull(step.Find("[data-testid=mapping-double-1]"));
        Assert.Empty(step.FindAll("[data-testid=mapping-double-2]"));

        step.Find("#import-preview").Click();

        step.WaitForAssertion(() => Assert.NotNull(asked));
        Assert.Equal([Email, Email, ""], asked!.ColumnTargets);
        Assert.Equal((DateOrder.DayFirst, DuplicatePolicy.Skip), (asked.DateOrder, asked.Policy));
    }

    [Fact]
    public void For_an_operator_status_creation_is_disabled_with_the_reason_and_never_asked_for()
    {
        ImportSettings? asked = null;
        var step = ctx.Render<ImportMappingStep>(p => p
            .Add(x => x.Upload, Upload(("E-mail", Email)))
            .Add(x => x.MayCreateStatuses, false)
            .Add(x => x.OnPreview, s => asked = s));

        Assert.True(step.Find("#import-create-statuses").HasAttribute("disabled"));
        Assert.NotNull(step.Find("#import-create-statuses-admin-only"));

        step.Find("#import-preview").Click();

        step.WaitForAssertion(() => Assert.NotNull(asked));
        Assert.False(asked!.CreateMissingStatuses);
    }

    [Fact]
    public void The_upload_step_says_why_a_file_was_refused_and_hands_no_upload_on()
    {
        var uploads = new List<UploadSummary?>();
        var step = ctx.Render<ImportUploadStep>(p => p.Add(x => x.UploadChanged, u => uploads.Add(u)));

        step.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not a spreadsheet", "leads.xlsx"));

        step.WaitForAssertion(() => Assert.NotNull(step.Find("#import-upload-error")));
        Assert.Equal([null], uploads);
    }

    [Fact]
    public void The_upload_step_hands_an_accepted_file_with_its_matched_columns_on()
    {
        var uploads = new List<UploadSummary?>();
        var step = ctx.Render<ImportUploadStep>(p => p.Add(x => x.UploadChanged, u => uploads.Add(u)));

        step.FindComponent<InputFile>().UploadFiles(Csv("leads.csv"));

        step.WaitForAssertion(() => Assert.Equal(2, uploads.Count));
        Assert.Empty(step.FindAll("#import-upload-error"));
        var upload = uploads[1]!;
        Assert.Equal(("leads.csv", 1), (upload.FileName, upload.DataRows));
        Assert.Equal([FirstName, Email], upload.Columns.Select(c => c.TargetKey));
    }

    [Fact]
    public async Task The_page_lets_go_of_its_file_when_another_is_chosen_and_when_it_is_left()
    {
        var temp = ctx.Services.GetRequiredService<TempFiles>();
        var before = TempFilesNow(temp);
        var page = ctx.Render<LeadImportPage>();

        page.FindComponent<InputFile>().UploadFiles(Csv("first.csv"));
        page.WaitForAssertion(() => Assert.Contains("first.csv", page.Find("#import-mapping").ParentElement!.TextContent, StringComparison.Ordinal));
        var first = Assert.Single(TempFilesNow(temp).Except(before));

        page.FindComponent<InputFile>().UploadFiles(Csv("second.csv"));
        page.WaitForAssertion(() => Assert.Contains("second.csv", page.Find("#import-mapping").ParentElement!.TextContent, StringComparison.Ordinal));
        var second = Assert.Single(TempFilesNow(temp).Except(before));
        Assert.NotEqual(first, second);

        await ctx.DisposeComponentsAsync();

        Assert.Empty(TempFilesNow(temp).Except(before));
    }

    [Fact]
    public void The_history_step_lists_each_import_and_offers_undo_only_where_allowed()
    {
        var now = new DateTime(2026, 3, 4, 10, 0, 0, DateTimeKind.Unspecified);
        var step = ctx.Render<ImportHistoryStep>(p => p.Add(x => x.History,
        [
            History(1, "archive.xlsx", canUndo: true, now),
            History(2, "old.csv", canUndo: false, now),
        ]));

        var rows = step.FindAll("[data-testid=import-history-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("archive.xlsx", rows[0].TextContent, StringComparison.Ordinal);
        Assert.NotNull(step.Find("#import-undo-1"));
        Assert.Empty(step.FindAll("#import-undo-2"));
    }

    [Fact]
    public void The_history_step_says_so_when_nothing_was_imported()
    {
        var step = ctx.Render<ImportHistoryStep>(p => p.Add(x => x.History, []));

        Assert.NotNull(step.Find("#import-history-empty"));
        Assert.Empty(step.FindAll("#import-history"));
    }

    private static InputFileContent Csv(string name) =>
        InputFileContent.CreateFromBinary(Encoding.UTF8.GetBytes("First name;E-mail\nAnna;anna@example.it\n"), name);

    private static string[] TempFilesNow(TempFiles temp) => Directory.Exists(temp.Folder) ? Directory.GetFiles(temp.Folder) : [];

    private ImportProgress Enqueue(int importId, int totalRows)
    {
        var upload = new ImportUpload
        {
            Id = Guid.NewGuid(),
            Path = "unused.xlsx",
            FileName = "leads.xlsx",
            UserId = AdminId,
            Info = new SpreadsheetInfo(SpreadsheetKind.Xlsx, "Leads", ',', totalRows + 1),
            HeaderRowNumber = 1,
            Headers = ["E-mail"],
            UploadedAt = DateTime.UtcNow,
        };
        return Jobs.Enqueue(new ImportRequest(importId, AdminId, upload, new ImportSettings([Email])), totalRows);
    }

    private static UploadSummary Upload(params (string Header, string Target)[] columns) => new(
        Guid.NewGuid(),
        "leads.xlsx",
        10,
        [.. columns.Select((c, i) => new ImportColumn(i, c.Header, c.Target, c.Target.Length == 0 ? ColumnMatchKind.Unknown : ColumnMatchKind.Matched))],
        [new ImportFieldChoice(Email, "E-mail"), new ImportFieldChoice(DateOfBirth, "Date of birth")]);

    private static ImportPreview Preview(int create, int errors, IReadOnlyList<ImportRowError> errorList) =>
        new(create + errors, create, 0, 0, 0, errors, errorList, [], null, false, []);

    private static ImportHistoryItem History(int id, string fileName, bool canUndo, DateTime at) =>
        new(id, fileName, "Admin", at, LeadImportState.Completed, 3, 3, 0, 0, 0, null, null, 0, canUndo);
}
