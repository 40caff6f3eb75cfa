namespace SchoolCrm.Domain.Import;

/// <summary>
/// Reads any cell as text, the way a person would have typed it.
/// </summary>
public static class ImportText
{
    /// <summary>
    /// Trimmed text, or null for a blank cell. Whole numbers come out without ".0" or exponent
    /// (ZIP 80100, phone 393471234567), other numbers in invariant culture ("1.5"),
    /// booleans as "true"/"false", dates as yyyy-MM-dd plus " HH:mm:ss" when not midnight.
    /// </summary>
    public static ParseResult<string?> Parse(object? cell, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (Cells.IsBlank(cell))
        {
            return ParseResult<string?>.Success(null);
        }

        string text = Cells.Format(cell);
        if (text.Length == 0)
        {
            return ParseResult<string?>.Success(null);
        }

        if (text.Length > maxLength)
        {
            return ParseResult<string?>.Failure(ValueErrorCodes.TextTooLong, text);
        }

        return ParseResult<string?>.Success(text);
    }
}
