namespace SchoolCrm.Domain.Import;

/// <summary>
/// Turns a column header into a key for matching it to a lead field, whatever its case,
/// accents, spacing or punctuation: "E-Mail" -> "email", "Data di nascita" -> "datadinascita".
/// </summary>
public static class HeaderKey
{
    public static string Normalize(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        string folded = TextFolding.Fold(header);
        return string.Concat(folded.Where(char.IsLetterOrDigit));
    }
}
