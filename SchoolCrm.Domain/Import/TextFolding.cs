using System.Globalization;
using System.Text;

namespace SchoolCrm.Domain.Import;

internal static class TextFolding
{
    /// <summary>
    /// Makes spellings comparable across keyboards and languages: lower case, no accents, ß as ss,
    /// single spaces. "  Männlich " -> "mannlich", "Sì" -> "si", "Keine   Angabe" -> "keine angabe".
    /// </summary>
    public static string Fold(string text)
    {
        string lower = text.ToLowerInvariant().Replace("ß", "ss", StringComparison.Ordinal);
        string decomposed = lower.Normalize(NormalizationForm.FormD);
        StringBuilder builder = new(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        string withoutAccents = builder.ToString().Normalize(NormalizationForm.FormC);
        return string.Join(' ', withoutAccents.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
