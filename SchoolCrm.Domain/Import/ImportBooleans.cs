namespace SchoolCrm.Domain.Import;

/// <summary>
/// Reads yes/no cells written in German, Italian or English.
/// </summary>
public static class ImportBooleans
{
    // Compared after TextFolding.Fold, so "Sì", "SI" and "si" are the same. "x" is a ticked box.
    private static readonly HashSet<string> TrueWords =
        new(["yes", "y", "ja", "j", "si", "x", "true", "wahr", "vero", "1"], StringComparer.Ordinal);

    private static readonly HashSet<string> FalseWords =
        new(["no", "n", "nein", "false", "falsch", "falso", "0"], StringComparer.Ordinal);

    /// <summary>
    /// A blank cell is null, not false: the archive did not say.
    /// </summary>
    public static ParseResult<bool?> Parse(object? cell)
    {
        if (Cells.IsBlank(cell))
        {
            return ParseResult<bool?>.Success(null);
        }

        if (cell is bool value)
        {
            return ParseResult<bool?>.Success(value);
        }

        double? number = Cells.AsNumber(cell);
        if (number == 1)
        {
            return ParseResult<bool?>.Success(true);
        }

        if (number == 0)
        {
            return ParseResult<bool?>.Success(false);
        }

        if (cell is string text)
        {
            string word = TextFolding.Fold(text);
            if (TrueWords.Contains(word))
            {
                return ParseResult<bool?>.Success(true);
            }

            if (FalseWords.Contains(word))
            {
                return ParseResult<bool?>.Success(false);
            }
        }

        return ParseResult<bool?>.Failure(ValueErrorCodes.BooleanInvalid, Cells.Format(cell));
    }
}
