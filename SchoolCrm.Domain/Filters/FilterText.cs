using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// How text conditions compare, case- and accent-insensitively like the search: the typed value is folded with
/// <see cref="TextFolding"/>, and compared with the field's text folded in SQL (<see cref="Comparand"/>).
/// </summary>
/// <remarks>
/// <para>
/// THE place to switch to the stored folded keys. Until they exist, <see cref="FoldInSql"/> folds the column in
/// the query: lower() (ASCII), then one replace() per accented Latin-1 letter (both cases) to what
/// <see cref="TextFolding"/> makes of it (ä -> a, ß -> ss). That is identical on SQLite and PostgreSQL, agrees
/// with <see cref="TextFolding"/> for text written in German, Italian, English or French, but does not collapse
/// runs of spaces or fold letters outside Latin-1 (ł, ő), and no index can serve it.
/// </para>
/// <para>
/// With the search's folded columns (PersonRecord.CityKey and its like, computed by <see cref="TextFolding"/>),
/// <see cref="Comparand"/> returns <c>l.CityKey</c> for a field that has one and <see cref="StoredComparand"/>
/// returns the same key; fields without a key (custom text, notes, zip, phone) keep <see cref="FoldInSql"/>.
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
    internal static (Expression HasText, Expression Folded) Comparand(LeadField field, Expression lead) =>
        Of(FilterExpressions.ValueOf(field, lead));

    /// <summary>The same for a custom value's text column.</summary>
    internal static (Expression HasText, Expression Folded) Of(Expression text) =>
        (Expression.NotEqual(text, Expression.Constant(null, typeof(string))), FoldInSql(text));

    /// <summary>The reference evaluator's side of <see cref="Comparand"/>: the same folding of a loaded lead's field.</summary>
    internal static string? StoredComparand(LeadField field, Lead lead) => FoldStored((string?)field.ReadFrom(lead));

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
