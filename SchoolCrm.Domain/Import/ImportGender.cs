using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// Reads gender cells written in German, Italian or English.
/// </summary>
public static class ImportGender
{
    // Compared after TextFolding.Fold, so "Männlich" arrives as "mannlich". "w" is German "weiblich".
    private static readonly HashSet<string> MaleWords = new(
        ["m", "male", "man", "mann", "mannlich", "maennlich", "herr", "maschio", "maschile", "uomo"],
        StringComparer.Ordinal);

    private static readonly HashSet<string> FemaleWords = new(
        ["f", "w", "female", "woman", "weiblich", "frau", "femmina", "femminile", "donna"],
        StringComparer.Ordinal);

    private static readonly HashSet<string> NotGivenWords = new(
        ["-", "n/a", "not given", "keine angabe", "non specificato"],
        StringComparer.Ordinal);

    /// <summary>
    /// Anything else is an error, including German "d"/"divers": it is a real answer that
    /// <see cref="Gender"/> cannot hold, so the user decides instead of us turning it into NotGiven.
    /// </summary>
    public static ParseResult<Gender> Parse(object? cell)
    {
        if (Cells.IsBlank(cell))
        {
            return ParseResult<Gender>.Success(Gender.NotGiven);
        }

        if (cell is string text)
        {
            string word = TextFolding.Fold(text);
            if (MaleWords.Contains(word))
            {
                return ParseResult<Gender>.Success(Gender.Male);
            }

            if (FemaleWords.Contains(word))
            {
                return ParseResult<Gender>.Success(Gender.Female);
            }

            if (NotGivenWords.Contains(word))
            {
                return ParseResult<Gender>.Success(Gender.NotGiven);
            }
        }

        return ParseResult<Gender>.Failure(ValueErrorCodes.GenderInvalid, Cells.Format(cell));
    }
}
