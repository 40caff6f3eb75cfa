namespace SchoolCrm.Domain.Leads;

/// <summary>
/// Checks for the Italian tax code of a natural person (16 characters).
/// Neither check proves the code was issued; they catch typos and wrong columns.
/// </summary>
public static class CodiceFiscale
{
    private const int Length = 16;

    // When two people would get the same code, digits are replaced from the right by these letters (0..9).
    private const string OmocodiaLetters = "LMNPQRSTUV";

    private const string MonthLetters = "ABCDEHLMPRST";

    // Values of '0'..'9' and then 'A'..'Z' on the odd (1st, 3rd, ...) positions, from the official table.
    private static readonly int[] OddDigitValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];

    private static readonly int[] OddLetterValues =
    [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18,
        20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
    ];

    public static bool LooksLikeCodiceFiscale(string? value)
    {
        if (value is null)
        {
            return false;
        }

        string code = value.Trim().ToUpperInvariant();
        if (code.Length != Length)
        {
            return false;
        }

        for (int i = 0; i < Length; i++)
        {
            if (!IsAllowedAt(i, code[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the 16th character matches the one computed from the first 15.
    /// Values that do not look like a codice fiscale are never valid.
    /// </summary>
    public static bool HasValidCheckCharacter(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!LooksLikeCodiceFiscale(value))
        {
            return false;
        }

        string code = value.Trim().ToUpperInvariant();
        return code[Length - 1] == ComputeCheckCharacter(code);
    }

    private static char ComputeCheckCharacter(string code)
    {
        int sum = 0;
        for (int i = 0; i < Length - 1; i++)
        {
            // The official positions count from 1, so index 0 is an odd position.
            bool isOddPosition = i % 2 == 0;
            sum += isOddPosition ? OddValue(code[i]) : EvenValue(code[i]);
        }

        return (char)('A' + (sum % 26));
    }

    private static int OddValue(char c)
    {
        return char.IsAsciiDigit(c) ? OddDigitValues[c - '0'] : OddLetterValues[c - 'A'];
    }

    private static int EvenValue(char c)
    {
        return char.IsAsciiDigit(c) ? c - '0' : c - 'A';
    }

    private static bool IsAllowedAt(int index, char c)
    {
        return index switch
        {
            // Surname and name consonants/vowels.
            < 6 => char.IsAsciiLetterUpper(c),

            // Year, day (+40 for women) and the number part of the birthplace code.
            6 or 7 or 9 or 10 or 12 or 13 or 14 => char.IsAsciiDigit(c) || OmocodiaLetters.Contains(c, StringComparison.Ordinal),

            8 => MonthLetters.Contains(c, StringComparison.Ordinal),

            // First letter of the birthplace code, and the check character.
            _ => char.IsAsciiLetterUpper(c),
        };
    }
}
