using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// The quick search of leads and students, one implementation for both. Each whitespace-separated word must occur
/// in the record's <see cref="PersonRecord.SearchText"/> (first name, last name, company, e-mail, phone, mobile and
/// tax code, folded by <see cref="TextFolding"/>), so "mario rossi" finds Mario Rossi and "muller", "müller" and
/// "MÜLLER" all find Müller.
/// </summary>
/// <remarks>
/// Why a stored folded column and LIKE: SQLite's LIKE, LOWER and UPPER fold ASCII letters only, and a custom SQL
/// function or collation would exist only on connections that register it (not in the sqlite3 tool, not in a
/// backup check). Both sides folded in C#, a plain LIKE '%word%' means the same on SQLite and PostgreSQL. On
/// SQLite it reads the list index that holds the column (no table row per record); on PostgreSQL a pg_trgm GIN
/// index on the column serves the same LIKE.
/// </remarks>
public static class PersonSearch
{
    /// <summary>More words than this are ignored: each one is another LIKE over every record.</summary>
    public const int MaxWords = 5;

    private const char LikeEscape = '\\';

    public static IQueryable<T> Apply<T>(IQueryable<T> people, string? text)
        where T : PersonRecord
    {
        foreach (var word in Words(text))
        {
            var pattern = "%" + EscapeLike(word) + "%";
            people = people.Where(p => EF.Functions.Like(p.SearchText, pattern, LikeEscape.ToString()));
        }

        return people;
    }

    /// <summary>The folded, distinct words of a search, at most <see cref="MaxWords"/>.</summary>
    public static IReadOnlyList<string> Words(string? text) =>
        (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(TextFolding.Fold)
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxWords)
            .ToList();

    /// <summary>What the user typed, matched literally: % and _ are not wildcards.</summary>
    public static string EscapeLike(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text
            .Replace(LikeEscape.ToString(), new string(LikeEscape, 2), StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal);
    }
}
