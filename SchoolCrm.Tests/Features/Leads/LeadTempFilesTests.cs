using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;

namespace SchoolCrm.Tests.Features.Leads;

/// <summary>Uploads, exports, templates and error rows: files with personal data that live briefly under the data folder.</summary>
public sealed class LeadTempFilesTests
{
    private const string OperatorPassword = "Test-Pass-1234!";

    [Fact]
    public async Task An_upload_lives_under_the_data_folder_and_goes_an_hour_after_its_last_use()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], ["Anna"]));
        var path = (await StoredUploadAsync(app, upload, kit.Operator.Id)).Path;
        Assert.Equal(TempFolder(app), Path.GetDirectoryName(path));

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TempFiles.KeepFor - TimeSpan.FromMinutes(1));
        Sweep(app);

        Assert.False(File.Exists(path));
        var gone = await Assert.ThrowsAsync<DomainException>(() => kit.PreviewAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload)));
        Assert.Equal("import.upload_gone", gone.Code);
    }

    [Fact]
    public async Task A_preview_counts_as_use_so_the_sweep_keeps_the_upload()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], ["Anna"]));
        var path = (await StoredUploadAsync(app, upload, kit.Operator.Id)).Path;
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TempFiles.KeepFor + TimeSpan.FromMinutes(1));

        await kit.PreviewAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path) - TimeSpan.FromMinutes(2));
        Sweep(app);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_user_holds_at_most_the_configured_number_of_uploads_and_is_told_so()
    {
        await using var app = new CrmAppFactory().WithSetting("Import:MaxPendingUploads", "2");
        var kit = await ImportTestKit.CreateAsync(app);
        var file = kit.Xlsx(["First name"], ["Anna"]);
        var first = await kit.UploadAsync(kit.Operator, file);
        await kit.UploadAsync(kit.Operator, file);

        var refused = await Assert.ThrowsAsync<DomainException>(() => kit.UploadAsync(kit.Operator, file));

        Assert.Equal("import.too_many_uploads", refused.Code);
        Assert.Equal(2, Directory.GetFiles(TempFolder(app)).Length);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var message = ImportMessages.Error(
                scope.ServiceProvider.GetRequiredService<ErrorMessages>(),
                scope.ServiceProvider.GetRequiredService<IStringLocalizer<ImportText>>(),
                scope.ServiceProvider.GetRequiredService<IOptions<ImportLimits>>().Value,
                refused.Code);
            Assert.Contains("2 uploaded files", message, StringComparison.Ordinal);
        }

        // Another user is not held back, and a discarded upload makes room again.
        await kit.UploadAsync(kit.Admin, file);
        await using (var scope = kit.As(kit.Operator))
        {
            await scope.ServiceProvider.GetRequiredService<LeadImportService>().DiscardUploadAsync(first.UploadId);
        }

        Assert.Null(await StoredUploadOrNullAsync(app, first, kit.Operator.Id));
        await kit.UploadAsync(kit.Operator, file);
    }

    [Fact]
    public async Task Discarding_an_upload_that_another_user_made_changes_nothing()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], ["Anna"]));

        await using (var scope = kit.As(kit.Admin))
        {
            await scope.ServiceProvider.GetRequiredService<LeadImportService>().DiscardUploadAsync(upload.UploadId);
        }

        Assert.True(File.Exists((await StoredUploadAsync(app, upload, kit.Operator.Id)).Path));
    }

    [Fact]
    public async Task An_export_lives_under_the_data_folder_and_is_gone_once_downloaded()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name"], ["Anna"]));
        var file = await kit.ExportAsync(kit.Operator, ["FirstName"]);
        Assert.Equal(TempFolder(app), Path.GetDirectoryName(file.Path));

        using var client = await SignedInClientAsync(app);
        using var response = await client.GetAsync($"/leads/export/{file.Token}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TempFiles.XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(bytes.Length > 0);
        Assert.False(File.Exists(file.Path));
        Assert.Empty(Directory.GetFiles(TempFolder(app)));
    }

    [Fact]
    public async Task An_export_nobody_downloads_is_deleted_after_an_hour()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var file = await kit.ExportAsync(kit.Operator, ["FirstName"]);
        File.SetLastWriteTimeUtc(file.Path, DateTime.UtcNow - TempFiles.KeepFor - TimeSpan.FromMinutes(1));

        Sweep(app);

        Assert.False(File.Exists(file.Path));
        Assert.Null(await app.Services.GetRequiredService<ExportFiles>().TakeAsync(file.Token, kit.Operator.Id));
    }

    [Fact]
    public Task A_failed_export_leaves_no_file_behind() =>
        AssertExportLeavesNoFileAsync<InvalidOperationException>(_ => throw new InvalidOperationException("the circuit went away"));

    // Cancelled from the export's own progress report: the file has been written by then.
    [Fact]
    public Task A_cancelled_export_leaves_no_file_behind() =>
        AssertExportLeavesNoFileAsync<OperationCanceledException>(cancel => cancel.Cancel());

    [Fact]
    public async Task The_template_is_written_under_the_data_folder_and_gone_once_downloaded()
    {
        await using var app = new CrmAppFactory();
        await ImportTestKit.CreateAsync(app);
        using var client = await SignedInClientAsync(app);

        using var response = await client.GetAsync(ImportEndpoints.TemplateUrl);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(bytes.Length > 0);
        Assert.True(Directory.Exists(TempFolder(app)), "The template was not written under the data folder.");
        Assert.Empty(Directory.GetFiles(TempFolder(app)));
    }

    [Fact]
    public async Task The_error_rows_are_written_under_the_data_folder_and_gone_once_downloaded()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Date of birth"], ["Anna", "31.02.2001"]));
        await kit.PreviewAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));
        var stored = (await StoredUploadAsync(app, upload, kit.Operator.Id));
        using var client = await SignedInClientAsync(app);

        using var response = await client.GetAsync(ImportEndpoints.ErrorRowsUrl(upload.UploadId));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        // What stays is the upload and the preview's copy of its rows, both kept for the import; the error rows are gone.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(bytes.Length > 0);
        Assert.NotNull(stored.RowsPath);
        Assert.Equal(new[] { stored.Path, stored.RowsPath }.Order(StringComparer.Ordinal), Directory.GetFiles(TempFolder(app)).Order(StringComparer.Ordinal));
    }

    private static async Task AssertExportLeavesNoFileAsync<TException>(Action<CancellationTokenSource> onReport)
        where TException : Exception
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail"], ["Anna", "anna@example.it"]));
        using var cancel = new CancellationTokenSource();
        var progress = new CallbackProgress(_ => onReport(cancel));

        await using (var scope = kit.As(kit.Operator))
        {
            await Assert.ThrowsAnyAsync<TException>(() => scope.ServiceProvider.GetRequiredService<LeadExportService>()
                .ExportAsync(["FirstName", "Email"], null, progress, cancel.Token));
        }

        Assert.Equal(1, progress.Calls);
        Assert.Empty(Directory.GetFiles(TempFolder(app)));
    }

    private static string TempFolder(CrmAppFactory app) => Path.Combine(app.DataFolder, "temp");

    private static void Sweep(CrmAppFactory app) => app.Services.GetRequiredService<TempFiles>().DeleteExpired();

    private static async Task<ImportUpload> StoredUploadAsync(CrmAppFactory app, UploadSummary upload, string userId) =>
        await StoredUploadOrNullAsync(app, upload, userId) ?? throw new InvalidOperationException("The upload is not stored.");

    private static Task<ImportUpload?> StoredUploadOrNullAsync(CrmAppFactory app, UploadSummary upload, string userId) =>
        app.Services.GetRequiredService<ImportUploads>().FindAsync(upload.UploadId, userId);

    private static async Task<HttpClient> SignedInClientAsync(CrmAppFactory app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await SignIn.PostLoginFormAsync(client, "olga@school.test", OperatorPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    /// <summary>An IProgress that runs on the reporting thread (Progress&lt;T&gt; would post and swallow the throw).</summary>
    private sealed class CallbackProgress(Action<(int Done, int Total)> onReport) : IProgress<(int Done, int Total)>
    {
        public int Calls { get; private set; }

        public void Report((int Done, int Total) value)
        {
            Calls++;
            onReport(value);
        }
    }
}
