namespace SchoolCrm.Domain.Import;

/// <summary>
/// Keeps exported text from ever running as a spreadsheet formula (OWASP ASVS 1.2.10, "CSV/formula
/// injection"). The export writes every value as a text cell, never a formula cell, so opening the file runs
/// nothing; this adds the second line of defence OWASP asks for, for when a person edits such a cell (F2,
/// Enter) or saves the sheet as CSV: text starting with = + - @ tab or carriage return gets a leading
/// apostrophe, which Excel and LibreOffice show and which makes the text inert.
/// Phone numbers such as "+39 347 1234567" stay as they are, so a person can read and dial them: text made
/// only of digits, spaces and ( ) . / - + cannot call a function or reach another cell or program.
/// The import reverses this, so an exported file imports back to the same values.
/// </summary>
public static class FormulaSafety
{
    private const char Guard = '\'';

    public static string Protect(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return NeedsGuard(value) ? Guard + value : value;
    }

    /// <summary>Removes one guard apostrophe that <see cref="Protect"/> would have added.</summary>
    public static string Unprotect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 1 && text[0] == Guard && NeedsGuard(text[1..]) ? text[1..] : text;
    }

    // Apostrophes already in front are looked through, so "'=1" becomes "''=1" and imports back as "'=1".
    private static bool NeedsGuard(string value)
    {
        var rest = value.AsSpan().TrimStart(Guard);
        return rest.Length > 0 && IsTrigger(rest[0]) && !(rest.Length == value.Length && IsPhoneLike(value));
    }

    private static bool IsTrigger(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool IsPhoneLike(string value)
    {
        bool hasDigit = false;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                hasDigit = true;
            }
            else if (c is not (' ' or '(' or ')' or '.' or '/' or '-' or '+'))
            {
                return false;
            }
        }

        return hasDigit;
    }
}
