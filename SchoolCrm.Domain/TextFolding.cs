using System.Globalization;
using System.Text;

namespace SchoolCrm.Domain;

/// <summary>
/// Makes spellings comparable across keyboards and languages: lower case, no accents, ß as ss, single spaces.
/// "  Männlich " -> "mannlich", "Sì" -> "si", "NICOLÒ" -> "nicolo", "Keine   Angabe" -> "keine angabe".
/// </summary>
/// <remarks>
/// The one folding of the CRM: the search and sort keys that <see cref="Leads.PersonRecord"/> stores, the words a
/// user searches for, e-mail duplicates in the import, and the import's header and value matching. The keys are
/// computed here in C# rather than in SQL because SQLite's LOWER/UPPER/LIKE fold ASCII letters only, and the same
/// stored key then compares the same way on PostgreSQL, in any SQL tool, and with an ordinary (binary) index.
/// Accent-free order is right for German, Italian and English ("Ömer" with O, "Élodie" with E); a Swedish or
/// Danish school, whose alphabets put Ö and Å after Z, would want a collation per language instead.
/// </remarks>
public static class TextFolding
{
    /// <summary>The folded text; "" for blank input.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return FoldAscii(text);
        }

        string lower = text.ToLowerInvariant();
        string decomposed = lower.Normalize(NormalizationForm.FormD);
        StringBuilder builder = new(decomposed.Length);
        foreach (char c in decomposed)
        {
            switch (c)
            {
                // Letters that Unicode does not decompose into a base letter and a mark.
                case 'ß':
                    builder.Append("ss");
                    break;
                case 'æ':
                    builder.Append("ae");
                    break;
                case 'œ':
                    builder.Append("oe");
                    break;
                case 'ø':
                    builder.Append('o');
                    break;
                case 'ł':
                    builder.Append('l');
                    break;
                case 'đ':
                    builder.Append('d');
                    break;
                case 'ı':
                    builder.Append('i');
                    break;
                default:
                    if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        string withoutAccents = builder.ToString().Normalize(NormalizationForm.FormC);
        return string.Join(' ', withoutAccents.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The same folding for text without a letter beyond ASCII (most names, every e-mail address and phone number),
    /// in one pass and one string: there is no accent to remove, so what is left is lower case and single spaces.
    /// The import folds a dozen fields of every row (docs/benchmarks.md).
    /// </summary>
    private static string FoldAscii(string text)
    {
        Span<char> folded = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        int length = 0;
        bool spaceDue = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                spaceDue = length > 0;
                continue;
            }

            if (spaceDue)
            {
                folded[length++] = ' ';
                spaceDue = false;
            }

            folded[length++] = char.ToLowerInvariant(c);
        }

        var result = folded[..length];
        return result.SequenceEqual(text) ? text : new string(result);
    }

    /// <summary>The folded text, or null when there is nothing to compare (null or blank).</summary>
    public static string? FoldOrNull(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Fold(text);
    }
}
