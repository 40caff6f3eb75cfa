using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using SchoolCrm.Domain.Import;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>One row as the sheet has it: its number as the user sees it, and the cells by column index.</summary>
public sealed record SheetRow(int RowNumber, object?[] Cells);

/// <summary>
/// Streams the rows of an inspected file (see <see cref="SpreadsheetInspector"/>): xlsx through MiniExcel's lazy
/// Query, CSV through <see cref="CsvRecords"/>. One row is in memory at a time.
/// </summary>
public static class SpreadsheetRows
{
    private static readonly OpenXmlConfiguration ReadConfiguration = new()
    {
        // A text cell "@@@fileid@@@,<part>" would otherwise make MiniExcel load that zip part as a byte array.
        EnableConvertByteArray = false,
        FillMergedCells = false,

        // Empty rows are kept, so the position of a row is its row number in the sheet.
        IgnoreEmptyRows = false,

        // Shared strings up to this size stay in memory instead of a slow disk cache.
        SharedStringCacheSize = 64 * 1024 * 1024,
    };

    public static IEnumerable<SheetRow> Read(string path, SpreadsheetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.Kind == SpreadsheetKind.Csv ? ReadCsv(path, info.CsvDelimiter) : ReadXlsx(path, info.SheetName);
    }

    /// <summary>The first row with any content is the header row.</summary>
    public static (int RowNumber, string[] Headers) ReadHeader(string path, SpreadsheetInfo info)
    {
        foreach (var row in Read(path, info))
        {
            var headers = row.Cells.Select(c => Domain.Import.ImportText.Parse(c, ImportLimits.MaxCellLength).Value ?? "").ToArray();
            if (headers.Any(h => h.Length > 0))
            {
                int last = Array.FindLastIndex(headers, h => h.Length > 0);
                return (row.RowNumber, headers[..(last + 1)]);
            }
        }

        throw new SpreadsheetRefusedException("file.no_header");
    }

    private static IEnumerable<SheetRow> ReadXlsx(string path, string? sheetName)
    {
        using var stream = File.OpenRead(path);
        string[]? keys = null;
        int rowNumber = 0;
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: false, sheetName: sheetName, excelType: ExcelType.XLSX, configuration: ReadConfiguration))
        {
            rowNumber++;

            // Every row has the keys A, B, C... up to the sheet's last column, in order.
            keys ??= [.. row.Keys];
            var cells = new object?[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                row.TryGetValue(keys[i], out cells[i]);
            }

            yield return new SheetRow(rowNumber, cells);
        }
    }

    private static IEnumerable<SheetRow> ReadCsv(string path, char delimiter)
    {
        using var reader = SpreadsheetInspector.OpenCsv(path);
        foreach (var record in CsvRecords.Read(reader, delimiter, ImportLimits.MaxCellLength))
        {
            yield return new SheetRow(record.LineNumber, record.Fields);
        }
    }
}
