using System.Text;

namespace SchoolCrm.Domain.Import;

/// <summary>One record of a CSV file and the line it starts on (1-based), for error messages.</summary>
public sealed record CsvRecord(int LineNumber, string[] Fields);

/// <summary>
/// A small RFC 4180 reader: fields in double quotes may hold the delimiter, line breaks and doubled quotes.
/// Blank lines are skipped but still counted, so line numbers match what an editor shows. A field longer than
/// the limit stops the reading with <see cref="CsvFieldTooLongException"/> before it is held in memory whole.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<CsvRecord> Read(TextReader reader, char delimiter, int maxFieldLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        bool inQuotes = false;
        bool fieldStarted = false;
        bool recordHasContent = false;

        while (true)
        {
            int next = reader.Read();
            if (next == -1)
            {
                if (recordHasContent || fieldStarted || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, [.. fields]);
                }

                yield break;
            }

            char c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        Append(field, '"', maxFieldLength, recordLine);
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    Append(field, c, maxFieldLength, recordLine);
                }

                continue;
            }

            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
                recordHasContent = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                recordHasContent = true;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                if (recordHasContent || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, [.. fields]);
                }

                fields.Clear();
                field.Clear();
                fieldStarted = false;
                recordHasContent = false;
                line++;
                recordLine = line;
            }
            else
            {
                Append(field, c, maxFieldLength, recordLine);
                recordHasContent = true;
            }
        }
    }

    /// <summary>
    /// The delimiter of a header line: Excel writes ";" in German and Italian settings and "," in English ones.
    /// </summary>
    public static char DetectDelimiter(string firstLine)
    {
        ArgumentNullException.ThrowIfNull(firstLine);
        int semicolons = 0, commas = 0, tabs = 0;
        bool inQuotes = false;
        foreach (var c in firstLine)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                semicolons += c == ';' ? 1 : 0;
                commas += c == ',' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }

        if (semicolons > commas && semicolons >= tabs)
        {
            return ';';
        }

        return tabs > commas ? '\t' : ',';
    }

    private static void Append(StringBuilder field, char c, int maxFieldLength, int line)
    {
        if (field.Length >= maxFieldLength)
        {
            throw new CsvFieldTooLongException(line);
        }

        field.Append(c);
    }
}

public sealed class CsvFieldTooLongException : Exception
{
    public CsvFieldTooLongException(int lineNumber)
        : base("A field is too long.")
    {
        LineNumber = lineNumber;
    }

    public CsvFieldTooLongException()
    {
    }

    public CsvFieldTooLongException(string message)
        : base(message)
    {
    }

    public CsvFieldTooLongException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int LineNumber { get; }
}
