using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using SchoolCrm.Domain.Import;

namespace SchoolCrm.Web.Features.Leads.Import;

public enum SpreadsheetKind
{
    Xlsx,
    Csv,
}

/// <summary>What the inspection found out about a file that may be read.</summary>
/// <param name="SheetName">The first worksheet of an xlsx, the one that is read.</param>
/// <param name="LastRowNumber">The last row (xlsx) or line (CSV) with data: the denominator of progress.</param>
public sealed record SpreadsheetInfo(SpreadsheetKind Kind, string? SheetName, char CsvDelimiter, int LastRowNumber);

/// <summary>Why a file is refused; <see cref="Detail"/> names the limit or the place, for the message.</summary>
public sealed class SpreadsheetRefusedException(string code, string detail = "") : Exception(code)
{
    public string Code { get; } = code;

    public string Detail { get; } = detail;
}

/// <summary>
/// Looks at an uploaded file before anything parses it for real, so that hostile files are refused early and
/// with bounded memory: the content decides the type (a zip with workbook parts, or UTF-8 text), never the
/// extension; every zip part's declared size and compression ratio are judged from the central directory
/// before it is inflated, and while inflating, a part that yields more than it declared is stopped; every XML
/// part MiniExcel will read is parsed once with DTDs prohibited (no external entities, no entity expansion);
/// rows beyond the limit, columns beyond the limit and cells over Excel's 32,767 characters stop the scan at
/// once. MiniExcel then reads exactly the bytes that passed.
/// </summary>
public static class SpreadsheetInspector
{
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    // The signature of the old binary .xls (and other OLE compound files).
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0];

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersFromEntities = 0,
    };

    public static SpreadsheetInfo Inspect(string path, string fileName, ImportLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var head = new byte[4];
        int read;
        using (var probe = File.OpenRead(path))
        {
            read = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read == 0)
        {
            throw new SpreadsheetRefusedException("file.empty");
        }

        if (read == 4 && head.AsSpan().SequenceEqual(ZipSignature))
        {
            return InspectXlsx(path, limits);
        }

        if (read == 4 && head.AsSpan().SequenceEqual(OleSignature))
        {
            throw new SpreadsheetRefusedException("file.old_xls");
        }

        if (string.Equals(Path.GetExtension(fileName), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return InspectCsv(path, limits);
        }

        throw new SpreadsheetRefusedException("file.not_spreadsheet");
    }

    /// <summary>A strict UTF-8 reader: invalid bytes throw instead of turning into replacement characters.</summary>
    public static StreamReader OpenCsv(string path) =>
        new(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);

    private static SpreadsheetInfo InspectCsv(string path, ImportLimits limits)
    {
        try
        {
            char delimiter;
            using (var firstLine = OpenCsv(path))
            {
                var header = firstLine.ReadLine() ?? "";
                if (header.Contains('\0', StringComparison.Ordinal))
                {
                    throw new SpreadsheetRefusedException("file.not_spreadsheet");
                }

                delimiter = CsvRecords.DetectDelimiter(header);
            }

            using var reader = OpenCsv(path);
            int records = 0;
            int lastLine = 0;
            foreach (var record in CsvRecords.Read(reader, delimiter, ImportLimits.MaxCellLength))
            {
                if (++records > limits.MaxRows + 1)
                {
                    throw new SpreadsheetRefusedException("file.too_many_rows", limits.MaxRows.ToString(CultureInfo.InvariantCulture));
                }

                if (record.Fields.Length > limits.MaxColumns)
                {
                    throw new SpreadsheetRefusedException("file.too_many_columns", limits.MaxColumns.ToString(CultureInfo.InvariantCulture));
                }

                if (record.Fields.Any(f => f.Contains('\0', StringComparison.Ordinal)))
                {
                    throw new SpreadsheetRefusedException("file.not_spreadsheet");
                }

                lastLine = record.LineNumber;
            }

            return new SpreadsheetInfo(SpreadsheetKind.Csv, null, delimiter, lastLine);
        }
        catch (DecoderFallbackException)
        {
            throw new SpreadsheetRefusedException("file.not_utf8");
        }
        catch (CsvFieldTooLongException e)
        {
            throw new SpreadsheetRefusedException("file.cell_too_long", e.LineNumber.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static SpreadsheetInfo InspectXlsx(string path, ImportLimits limits)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw new SpreadsheetRefusedException("file.not_spreadsheet");
        }

        using (zip)
        {
            // The central directory is read by now; nothing has been inflated yet.
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > limits.MaxPartBytes)
                {
                    throw new SpreadsheetRefusedException("file.part_too_large", entry.FullName);
                }

                if (entry.Length >= ImportLimits.RatioCheckFromBytes
                    && entry.Length > entry.CompressedLength * ImportLimits.MaxCompressionRatio)
                {
                    throw new SpreadsheetRefusedException("file.compression_ratio", entry.FullName);
                }
            }

            var workbook = zip.GetEntry("xl/workbook.xml");
            var relations = zip.GetEntry("xl/_rels/workbook.xml.rels");
            if (zip.GetEntry("[Content_Types].xml") is not { } contentTypes || workbook is null || relations is null)
            {
                throw new SpreadsheetRefusedException("file.not_spreadsheet");
            }

            ScanPlain(contentTypes);
            var (sheetName, relationId) = FirstSheet(workbook);
            var sheetPath = SheetPath(relations, relationId);
            var sheet = zip.GetEntry(sheetPath) ?? throw new SpreadsheetRefusedException("file.not_spreadsheet");
            if (zip.GetEntry("xl/styles.xml") is { } styles)
            {
                ScanPlain(styles);
            }

            if (zip.GetEntry("xl/sharedStrings.xml") is { } sharedStrings)
            {
                ScanSharedStrings(sharedStrings);
            }

            int lastRow = ScanSheet(sheet, limits);
            return new SpreadsheetInfo(SpreadsheetKind.Xlsx, sheetName, ',', lastRow);
        }
    }

    private static (string Name, string RelationId) FirstSheet(ZipArchiveEntry workbook)
    {
        string? name = null;
        string? relationId = null;
        Scan(workbook, reader =>
        {
            if (name is null && reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
            {
                name = reader.GetAttribute("name");
                for (int i = 0; i < reader.AttributeCount; i++)
                {
                    reader.MoveToAttribute(i);
                    if (reader.LocalName == "id" && reader.Prefix.Length > 0)
                    {
                        relationId = reader.Value;
                    }
                }

                reader.MoveToElement();
            }
        });
        return name is null || relationId is null
            ? throw new SpreadsheetRefusedException("file.not_spreadsheet")
            : (name, relationId);
    }

    private static string SheetPath(ZipArchiveEntry relations, string relationId)
    {
        string? target = null;
        Scan(relations, reader =>
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") == relationId)
            {
                target = reader.GetAttribute("Target");
            }
        });
        if (string.IsNullOrEmpty(target))
        {
            throw new SpreadsheetRefusedException("file.not_spreadsheet");
        }

        // Targets are relative to xl/ ("worksheets/sheet1.xml") or absolute in the package ("/xl/worksheets/sheet1.xml").
        return target.StartsWith('/') ? target[1..] : "xl/" + target;
    }

    private const int TextChunk = 4096;

    private static void ScanPlain(ZipArchiveEntry entry) => Scan(entry, _ => { });

    private static void ScanSharedStrings(ZipArchiveEntry entry)
    {
        int index = -1;
        long length = 0;
        var buffer = new char[TextChunk];
        Scan(entry, reader =>
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                index++;
                length = 0;
            }
            else if (IsText(reader))
            {
                length += TextLength(reader, buffer);
                if (length > ImportLimits.MaxCellLength)
                {
                    throw new SpreadsheetRefusedException("file.cell_too_long", "#" + index.ToString(CultureInfo.InvariantCulture));
                }
            }
        });
    }

    private static int ScanSheet(ZipArchiveEntry entry, ImportLimits limits)
    {
        int rowNumber = 0;
        int lastRowWithCells = 0;
        int column = 0;
        string cell = "";
        var buffer = new char[TextChunk];
        Scan(entry, reader =>
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "dimension":
                        var reference = reader.GetAttribute("ref") ?? "";
                        var last = reference.Contains(':', StringComparison.Ordinal) ? reference[(reference.IndexOf(':', StringComparison.Ordinal) + 1)..] : reference;
                        CheckColumn(ColumnNumber(last, limits), limits);
                        break;
                    case "row":
                        rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                        if (rowNumber > limits.MaxRows + 1)
                        {
                            throw new SpreadsheetRefusedException("file.too_many_rows", limits.MaxRows.ToString(CultureInfo.InvariantCulture));
                        }

                        column = 0;
                        break;
                    case "c":
                        // The r attribute is optional: a cell without it is the one after the previous cell, as
                        // readers (MiniExcel too) place it, so a row of r-less cells is counted by position.
                        cell = reader.GetAttribute("r") ?? "";
                        var named = ColumnNumber(cell, limits);
                        column = named > 0 ? named : column + 1;
                        CheckColumn(column, limits);
                        lastRowWithCells = rowNumber;
                        break;
                }
            }
            else if (IsText(reader) && TextLength(reader, buffer) > ImportLimits.MaxCellLength)
            {
                throw new SpreadsheetRefusedException("file.cell_too_long", cell.Length > 0 ? cell : "#" + column.ToString(CultureInfo.InvariantCulture));
            }
        });
        return lastRowWithCells;
    }

    /// <summary>The column of a cell reference ("AB12" is 28), 0 when it names none; stops counting past the limit.</summary>
    private static int ColumnNumber(string reference, ImportLimits limits)
    {
        int column = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
            CheckColumn(column, limits);
        }

        return column;
    }

    private static void CheckColumn(int column, ImportLimits limits)
    {
        if (column > limits.MaxColumns)
        {
            throw new SpreadsheetRefusedException("file.too_many_columns", limits.MaxColumns.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static bool IsText(XmlReader reader) =>
        reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace;

    // Reads the text in chunks, so a huge cell is measured without being held as one string. The buffer is one per
    // scan: a new one per cell made the upload check of 100k rows allocate gigabytes and take twice as long.
    private static long TextLength(XmlReader reader, char[] buffer)
    {
        long total = 0;
        int count;
        while ((count = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
        {
            total += count;
            if (total > ImportLimits.MaxCellLength)
            {
                return total;
            }
        }

        return total;
    }

    private static void Scan(ZipArchiveEntry entry, Action<XmlReader> visit)
    {
        try
        {
            using var stream = new DeclaredLengthStream(entry.Open(), entry.Length, entry.FullName);
            using var reader = XmlReader.Create(stream, XmlSettings);
            while (reader.Read())
            {
                visit(reader);
            }
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new SpreadsheetRefusedException("file.dtd", entry.FullName);
        }
        catch (XmlException)
        {
            throw new SpreadsheetRefusedException("file.corrupt", entry.FullName);
        }
        catch (InvalidDataException)
        {
            throw new SpreadsheetRefusedException("file.corrupt", entry.FullName);
        }
    }

    /// <summary>Stops a part that inflates to more than its central-directory entry declared.</summary>
    private sealed class DeclaredLengthStream(Stream inner, long declaredLength, string name) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => declaredLength;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            position += read;
            if (position > declaredLength)
            {
                throw new SpreadsheetRefusedException("file.compression_ratio", name);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
