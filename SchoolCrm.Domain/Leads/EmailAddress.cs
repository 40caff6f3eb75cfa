namespace SchoolCrm.Domain.Leads;

/// <summary>
/// A pragmatic e-mail format check for data entry and imports, not an RFC 5322 parser:
/// it rejects obvious junk and lets unusual but real addresses through.
/// </summary>
public static class EmailAddress
{
    // The longest address that fits in an SMTP forward path (RFC 5321 errata 1690).
    private const int MaxLength = 254;

    /// <summary>
    /// Expects an already trimmed value: any whitespace makes the address invalid.
    /// </summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > MaxLength)
        {
            return false;
        }

        if (email.Any(char.IsWhiteSpace))
        {
            return false;
        }

        int at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@'))
        {
            return false;
        }

        string domain = email[(at + 1)..];
        string[] labels = domain.Split('.');

        // "a@b" has no dot; "a@.de", "a@b..de" and "a@b.de." have empty labels.
        return labels.Length >= 2 && labels.All(label => label.Length > 0);
    }
}
