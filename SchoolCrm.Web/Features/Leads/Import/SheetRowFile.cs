using System.Text;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// The rows of an upload as its first full read gave them (row number and cell values), in a compact binary temp
/// file next to the upload, so that later previews, the error-rows file and the import job read them back instead
/// of parsing the spreadsheet again: MiniExcel's read of a 100k-row sheet costs about 3 s of processor time,
/// reading this file back a small part of it (docs/benchmarks-import.md). The cells are exactly what the reader
/// gave, so whatever is planned from them is planned as from the file. Only the cell types the readers produce are
/// written (text, number, date, yes/no); a row with any other type stops the copy, and the file is read again.
/// </summary>
public static class SheetRowFile
{
    private const byte Null = 0;
    private const byte Text = 1;
    private const byte Number = 2;
    private const byte Date = 3;
    private const byte True = 4;
    private const byte False = 5;

    /// <summary>
    /// Passes <paramref name="rows"/> through while copying them to <paramref name="path"/>; once the last row is
    /// copied it calls <paramref name="completed"/>. A read that stops early (a cancel, an error) or meets a cell it
    /// cannot copy leaves no file behind.
    /// </summary>
    public static IEnumerable<SheetRow> Copying(IEnumerable<SheetRow> rows, string path, Action completed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(completed);
        var writer = new BinaryWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536), Encoding.UTF8);
        var copying = true;
        var complete = false;
        try
        {
            foreach (var row in rows)
            {
                copying = copying && TryWrite(writer, row);
                yield return row;
            }

            complete = copying;
        }
        finally
        {
            writer.Dispose();
            if (complete)
            {
                completed();
            }
            else
            {
                Common.TempFiles.TryDelete(path);
            }
        }
    }

    public static IEnumerable<SheetRow> Read(string path)
    {
        // FileShare.Delete: the sweeper or the end of the upload may delete the file while an import still reads it.
        using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 65536, FileOptions.SequentialScan), Encoding.UTF8);
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var rowNumber = reader.Read7BitEncodedInt();
            var cells = new object?[reader.Read7BitEncodedInt()];
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.ReadByte() switch
                {
                    Null => null,
                    Text => reader.ReadString(),
                    Number => reader.ReadDouble(),
                    Date => DateTime.FromBinary(reader.ReadInt64()),
                    True => true,
                    False => false,
                    var tag => throw new InvalidDataException("Unknown cell tag " + tag),
                };
            }

            yield return new SheetRow(rowNumber, cells);
        }
    }

    private static bool TryWrite(BinaryWriter writer, SheetRow row)
    {
        if (!row.Cells.All(c => c is null or string or double or DateTime or bool))
        {
            return false;
        }

        writer.Write7BitEncodedInt(row.RowNumber);
        writer.Write7BitEncodedInt(row.Cells.Length);
        foreach (var cell in row.Cells)
        {
            switch (cell)
            {
                case null:
                    writer.Write(Null);
                    break;
                case string text:
                    writer.Write(Text);
                    writer.Write(text);
                    break;
                case double number:
                    writer.Write(Number);
                    writer.Write(number);
                    break;
                case DateTime date:
                    writer.Write(Date);
                    writer.Write(date.ToBinary());
                    break;
                case bool yes:
                    writer.Write(yes ? True : False);
                    break;
            }
        }

        return true;
    }
}
