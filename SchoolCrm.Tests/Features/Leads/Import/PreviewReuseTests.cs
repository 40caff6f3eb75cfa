using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads.Import;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>The preview reads the file once; the import job and later previews reuse what it read.</summary>
public sealed class PreviewReuseTests
{
    [Fact]
    public async Task The_import_job_writes_the_rows_the_preview_read_without_reading_the_file_again()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "E-mail"], ["Anna", "anna@example.it"], ["Luca", "luca@example.it"]));
        var settings = ImportTestKit.SettingsFor(upload);
        await kit.PreviewAsync(kit.Operator, upload, settings);

        // Were the job to read the file again, it would find other rows now.
        var stored = (await app.Services.GetRequiredService<ImportUploads>().FindAsync(upload.UploadId, kit.Operator.Id))!;
        ImportTestKit.WriteXlsx(stored.Path, ["First name", "E-mail"], [["Other", "other@example.it"]]);
        var import = await kit.ImportAsync(kit.Operator, upload, settings);

        Assert.Equal(2, import.Created);
        await using var db = await kit.DbAsync();
        Assert.Equal(["Anna", "Luca"], await db.Leads.OrderBy(l => l.Id).Select(l => l.FirstName).ToListAsync());
    }

    [Fact]
    public async Task Discarding_an_upload_deletes_the_copy_of_its_rows_with_it()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], ["Anna"]));
        await kit.PreviewAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));
        var copy = (await app.Services.GetRequiredService<ImportUploads>().FindAsync(upload.UploadId, kit.Operator.Id))!.RowsPath!;
        var existedAfterPreview = File.Exists(copy);

        await using (var scope = kit.As(kit.Operator))
        {
            await scope.ServiceProvider.GetRequiredService<LeadImportService>().DiscardUploadAsync(upload.UploadId);
        }

        Assert.Equal((true, false), (existedAfterPreview, File.Exists(copy)));
    }

    [Fact]
    public void A_copied_row_reads_back_with_the_same_cells()
    {
        var path = NewPath();
        var born = new DateTime(2001, 12, 25, 0, 0, 0, DateTimeKind.Unspecified);
        var row = new SheetRow(7, ["Jürgen", 393331234567d, born, true, false, null, ""]);
        string? kept = null;

        var passed = SheetRowFile.Copying([row], path, () => kept = path).ToList();
        var back = SheetRowFile.Read(path).Single();

        Assert.Equal([row], passed);
        Assert.Equal(path, kept);
        Assert.Equal(7, back.RowNumber);
        Assert.Equal(row.Cells, back.Cells);
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)back.Cells[2]!).Kind);
        File.Delete(path);
    }

    [Fact]
    public void A_read_that_stops_early_leaves_no_copy()
    {
        var path = NewPath();
        var rows = Enumerable.Range(1, 10).Select(i => new SheetRow(i, ["Lead " + i]));
        var kept = false;

        var firstThree = SheetRowFile.Copying(rows, path, () => kept = true).Take(3).ToList();

        Assert.Equal(3, firstThree.Count);
        Assert.Equal((false, false), (kept, File.Exists(path)));
    }

    [Fact]
    public void A_cell_of_a_type_the_copy_does_not_know_passes_through_and_leaves_no_copy()
    {
        var path = NewPath();
        var rows = new[] { new SheetRow(1, ["Anna"]), new SheetRow(2, [TimeSpan.FromHours(9)]), new SheetRow(3, ["Luca"]) };
        var kept = false;

        var passed = SheetRowFile.Copying(rows, path, () => kept = true).ToList();

        Assert.Equal(rows, passed);
        Assert.Equal((false, false), (kept, File.Exists(path)));
    }

    private static string NewPath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "schoolcrm-tests");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, Guid.NewGuid().ToString("N") + ".rows");
    }
}
