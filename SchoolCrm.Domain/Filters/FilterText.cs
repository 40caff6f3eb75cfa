using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// How text conditions compare, case- and accent-insensitively like the search: the typed value is folded with
/// <see cref="TextFolding"/> and compared with the stored folded key of the field (<see cref="Comparand"/>).
/// </summary>
/// <remarks>
/// <para>
/// Names, company, e-mail, address, city and province compare their folded key columns (<see cref="LeadField.FoldedKey"/>,
/// the ones the search and the sorts use), custom text values their <see cref="CustomFieldValue.TextKey"/>: plain
/// column comparisons, the same on SQLite and PostgreSQL.
/// </para>
/// <para>
/// Fields without a key: phone, mobile, ZIP and tax code hold digits, signs and upper-case letters, so
/// <see cref="LowerInSql"/> (SQL lower(), which folds ASCII letters on SQLite) makes "rssmra" find RSSMRA80...
/// without a key column per field. Notes are prose in any language, rarely filtered, up to 4000 characters: a
/// second copy of every note is not worth it, so <see cref="FoldInSql"/> folds them in the query with lower() and
/// one replace() per accented Latin-1 letter (slow, and blind to runs of spaces and letters outside Latin-1).
/// </para>
/// </remarks>
public static class FilterText
{
    private static readonly MethodInfo Replace = typeof(string).GetMethod(nameof(string.Replace), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    // Every Latin-1 letter beyond ASCII that folding changes, with what it folds to.
    private static readonly IReadOnlyList<(char Letter, string Folded)> Accented =
        [.. Enumerable.Range(0xC0, 0x40).Select(c => (char)c).Where(char.IsLetter)
            .Select(c => (Letter: c, Folded: TextFolding.Fold(c.ToString())))
            .Where(p => p.Folded != p.Letter.ToString())];

    private static readonly Dictionary<char, string> AccentedMap = Accented.ToDictionary(p => p.Letter, p => p.Folded);

    /// <summary>The typed value as every text condition compares it.</summary>
    public static string FoldValue(string text) => TextFolding.Fold(text);

    /// <summary>What a standard text field's condition compares in SQL: whether <paramref name="field"/> of the lead
    /// <paramref name="lead"/> has a text, and its folded text.</summary>
    internal static (Expression HasText, Expression Folded) Comparand(LeadField field, Expression lead)
    {
        if (field.FoldedKey is { } key)
        {
            return Present(FilterExpressions.Replace(key, lead));
        }

        var value = FilterExpressions.ValueOf(field, lead);
        return field.Type == LeadFieldType.LongText
            ? (Present(value).HasText, FoldInSql(value))
            : (Present(value).HasText, Expression.Call(value, ToLower));
    }

    /// <summary>The same for a custom value's folded text, <see cref="CustomFieldValue.TextKey"/>.</summary>
    internal static (Expression HasText, Expression Folded) OfCustomValue(Expression value) =>
        Present(Expression.Property(value, nameof(CustomFieldValue.TextKey)));

    /// <summary>The reference evaluator's side of <see cref="Comparand"/>: the same folding of a loaded lead's field,
    /// computed from its text (not read from the key, so the differential test also checks that keys are kept).</summary>
    internal static string? StoredComparand(LeadField field, Lead lead)
    {
        var text = (string?)field.ReadFrom(lead);
        return field.FoldedKey is not null ? TextFolding.FoldOrNull(text)
            : field.Type == LeadFieldType.LongText ? FoldStored(text)
            : LowerAscii(text);
    }

    /// <summary>The reference side of <see cref="OfCustomValue"/>.</summary>
    internal static string? StoredCustomComparand(string? text) => text is null ? null : TextFolding.Fold(text);

    private static (Expression HasText, Expression Folded) Present(Expression text) =>
        (Expression.NotEqual(text, Expression.Constant(null, typeof(string))), text);

    /// <summary>A text column folded in SQL (see the remarks).</summary>
    internal static Expression FoldInSql(Expression text)
    {
        Expression folded = Expression.Call(text, ToLower);
        foreach (var (letter, to) in Accented)
        {
            folded = Expression.Call(folded, Replace, Expression.Constant(letter.ToString()), Expression.Constant(to));
        }

        return folded;
    }

    /// <summary>What SQLite's lower() makes of a text: ASCII letters lowered, every other character kept.</summary>
    internal static string? LowerAscii(string? text) =>
        text is null ? null : string.Create(text.Length, text, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = t[i] is >= 'A' and <= 'Z' ? (char)(t[i] + ('a' - 'A')) : t[i];
            }
        });

    /// <summary>What <see cref="FoldInSql"/> makes of a text, in C#: ASCII letters lowered as SQL's lower() does,
    /// the accented Latin-1 letters replaced.</summary>
    internal static string? FoldStored(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= 'A' and <= 'Z')
            {
                builder.Append((char)(c + ('a' - 'A')));
            }
            else if (AccentedMap.TryGetValue(c, out var folded))
            {
                builder.Append(folded);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
