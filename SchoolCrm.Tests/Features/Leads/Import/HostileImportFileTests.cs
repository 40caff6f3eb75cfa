using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Import;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>Files made to hurt get a clear refusal before they are parsed for real, and leave nothing behind.</summary>
public sealed class HostileImportFileTests
{
    private const string Header = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>First name</t></is></c></row>";

    [Fact]
    public async Task An_external_entity_XXE_is_refused_as_a_DTD()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var sheet = """<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"""
            + Header + """<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>""";

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet), "file.dtd");
    }

    [Fact]
    public async Task Entity_expansion_in_the_shared_strings_is_refused_as_a_DTD()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var laughs = new StringBuilder("<!DOCTYPE sst [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++)
        {
            laughs.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};\">");
        }

        laughs.Append("]>");
        var sharedStrings = "<?xml version=\"1.0\"?>" + laughs + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>First name</t></si><si><t>&lol9;</t></si></sst>";
        var sheet = ImportTestKit.Sheet("<c r=\"A1\" t=\"s\"><v>0</v></c>", "<c r=\"A2\" t=\"s\"><v>1</v></c>");

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet, sharedStrings), "file.dtd");
    }

    [Fact]
    public async Task A_shared_string_over_32767_characters_is_refused()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var sharedStrings = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>First name</t></si><si><r><t>"
            + new string('x', 20_000) + "</t></r><r><t>" + new string('y', 20_000) + "</t></r></si></sst>";
        var sheet = ImportTestKit.Sheet("<c r=\"A1\" t=\"s\"><v>0</v></c>", "<c r=\"A2\" t=\"s\"><v>1</v></c>");

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet, sharedStrings), "file.cell_too_long");
    }

    [Fact]
    public async Task An_inline_cell_over_32767_characters_is_refused()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var sheet = ImportTestKit.Sheet(ImportTestKit.Text("A1", "First name"), ImportTestKit.Text("A2", new string('x', 40_000)));

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet), "file.cell_too_long");
    }

    [Fact]
    public async Task A_huge_row_number_stops_at_the_row_limit()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        // One row far down would make a reader produce a million empty rows before it.
        var sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + Header + "<row r=\"1048576\"><c r=\"A1048576\" t=\"inlineStr\"><is><t>Far</t></is></c></row></sheetData></worksheet>";

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet), "file.too_many_rows");
    }

    [Fact]
    public async Task The_configured_row_limit_refuses_a_larger_file()
    {
        await using var app = new CrmAppFactory().WithSetting("Import:MaxRows", "5");
        var kit = await ImportTestKit.CreateAsync(app);
        var rows = Enumerable.Range(1, 6).Select(i => new object?[] { "Lead " + i }).ToArray();

        await AssertRefusedAsync(kit, kit.Xlsx(["First name"], rows), "file.too_many_rows");
        var fits = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name"], rows[..5]));
        Assert.Equal(5, fits.DataRows);
    }

    [Fact]
    public async Task A_dimension_or_cell_beyond_the_column_limit_is_refused()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:XFD2\"/><sheetData>"
            + Header + "</sheetData></worksheet>";

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet), "file.too_many_columns");
    }

    [Fact]
    public async Task Cells_without_a_reference_are_counted_by_position_against_the_column_limit()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        // The r attribute of a cell is optional: a reader places such a cell after the previous one.
        var wide = string.Concat(Enumerable.Repeat("<c t=\"inlineStr\"><is><t>x</t></is></c>", 501));
        var sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + Header + "<row>" + wide + "</row></sheetData></worksheet>";

        await AssertRefusedAsync(kit, kit.RawXlsx(sheet), "file.too_many_columns");
    }

    [Fact]
    public async Task Cells_without_a_reference_continue_after_a_named_cell()
    {
        await using var app = new CrmAppFactory().WithSetting("Import:MaxColumns", "3");
        var kit = await ImportTestKit.CreateAsync(app);
        string Cells(int count) => string.Concat(Enumerable.Repeat("<c t=\"inlineStr\"><is><t>x</t></is></c>", count));
        string SheetWith(string secondRow) =>
            "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + Header + "<row r=\"2\">" + secondRow + "</row></sheetData></worksheet>";

        await AssertRefusedAsync(kit, kit.RawXlsx(SheetWith(ImportTestKit.Text("B2", "x") + Cells(2))), "file.too_many_columns");
        var fits = await kit.UploadAsync(kit.Operator, kit.RawXlsx(SheetWith(ImportTestKit.Text("A2", "x") + Cells(2))));
        Assert.Equal(1, fits.DataRows);
    }

    [Fact]
    public async Task A_zip_part_compressed_over_100_to_1_is_refused_before_it_is_inflated()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        // 30 MB of whitespace inside a valid sheet deflates to a few tens of kilobytes.
        var sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + new string(' ', 30_000_000) + "<sheetData>" + Header + "</sheetData></worksheet>";
        var path = kit.RawXlsx(sheet, level: CompressionLevel.SmallestSize);
        using (var zip = ZipFile.OpenRead(path))
        {
            var part = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            Assert.True(part.Length > 100 * part.CompressedLength);
        }

        await AssertRefusedAsync(kit, path, "file.compression_ratio");
    }

    [Fact]
    public async Task A_renamed_text_file_is_refused()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.NewPath(".xlsx");
        await File.WriteAllTextAsync(path, "First name,E-mail\nAnna,anna@example.it\n");

        await AssertRefusedAsync(kit, path, "file.not_spreadsheet", "leads.xlsx");
    }

    [Fact]
    public async Task An_old_xls_and_a_binary_renamed_to_csv_are_refused()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var xls = kit.NewPath(".xls");
        await File.WriteAllBytesAsync(xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]);
        var binary = kit.NewPath(".csv");
        await File.WriteAllBytesAsync(binary, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFE, 0x00, 0x01]);

        await AssertRefusedAsync(kit, xls, "file.old_xls", "archive.xlsx");
        await AssertRefusedAsync(kit, binary, "file.not_utf8", "leads.csv");
    }

    [Fact]
    public async Task A_zip_without_workbook_parts_is_refused()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.NewPath(".xlsx");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            await writer.WriteAsync("not a workbook");
        }

        await AssertRefusedAsync(kit, path, "file.not_spreadsheet");
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_while_it_arrives()
    {
        await using var app = new CrmAppFactory().WithSetting("Import:MaxFileMegabytes", "1");
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.NewPath(".csv");
        await File.WriteAllTextAsync(path, "First name\n" + string.Concat(Enumerable.Repeat(new string('a', 99) + "\n", 20_000)));

        await AssertRefusedAsync(kit, path, "file.too_large");
    }

    private static async Task AssertRefusedAsync(ImportTestKit kit, string path, string code, string? fileName = null)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => kit.UploadAsync(kit.Operator, path, fileName));

        Assert.Equal(code, error.Code);
        var temp = kit.App.Services.GetRequiredService<TempFiles>();
        Assert.True(!Directory.Exists(temp.Folder) || Directory.GetFiles(temp.Folder).Length == 0, "The refused upload was kept on disk.");
        await using var db = await kit.DbAsync();
        Assert.Equal(0, await db.Leads.CountAsync());
    }
}
