namespace SchoolCrm.Domain.Import;

/// <summary>
/// Canonical forms used to find the same person twice (in one file, or already in the CRM).
/// Each returns null when there is nothing to compare, so blanks never match each other.
/// </summary>
public static class DuplicateKeys
{
    /// <summary>
    /// The e-mail folded like every searched text (<see cref="TextFolding"/>): "Anna.MÜLLER@Example.de" and
    /// "anna.muller@example.de" are the same person. It is the stored <see cref="Leads.PersonRecord.EmailKey"/>, so
    /// the import compares a file's e-mails with the database's keys as they are.
    /// </summary>
    /// <remarks>Strictly the local part is case-sensitive, but no real mail provider treats it so; an address that
    /// differs from another only by an accent is far more often the same address typed twice.</remarks>
    public static string? NormalizeEmail(string? email) => TextFolding.FoldOrNull(email);

    /// <summary>
    /// Digits only, with an international prefix written as "+": "+39 347 123 4567", "0039 347 1234567"
    /// and "00393471234567" all give "+393471234567". A number without prefix stays national
    /// ("3471234567") and does not match its international form: we do not know the country.
    /// </summary>
    public static string? NormalizeMobile(string? mobile)
    {
        if (string.IsNullOrWhiteSpace(mobile))
        {
            return null;
        }

        string digits = string.Concat(mobile.Where(char.IsAsciiDigit));
        if (digits.Length == 0)
        {
            return null;
        }

        // A "+" before the first digit, as in "+39 347..." or "(+39) 347...".
        int firstDigit = mobile.AsSpan().IndexOfAnyInRange('0', '9');
        int plus = mobile.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0 && plus < firstDigit)
        {
            return "+" + digits;
        }

        // "00" is the international call prefix in Italy, Germany and most of Europe.
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return digits.Length > 2 ? "+" + digits[2..] : null;
        }

        return digits;
    }

    public static string? NormalizeTaxCode(string? taxCode)
    {
        if (string.IsNullOrWhiteSpace(taxCode))
        {
            return null;
        }

        return string.Concat(taxCode.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
    }
}
