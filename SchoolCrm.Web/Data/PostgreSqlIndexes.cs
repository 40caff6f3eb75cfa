using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Web.Data;

/// <summary>
/// The lead list's indexes as PostgreSQL needs them (issue 12; measured in docs/benchmarks.md, "On PostgreSQL and
/// two nodes"). SQLite takes <c>"ConvertedAt" IS NULL</c> as an equality on an index's first column and reads the
/// rest of the index in order; PostgreSQL's planner does not (IS NULL makes no equality with a constant), so no index
/// led by ConvertedAt ever gave it the list's order: it read every lead and sorted them, about 200 ms at 100k for
/// the first page by name. Here the same indexes are partial, over the leads in the CRM (<c>WHERE "ConvertedAt" IS
/// NULL</c>, which every list query has), and end in the id the sorts tie by. And since PostgreSQL cannot stop early
/// for a count, a trigram index (pg_trgm, shipped with PostgreSQL) answers the quick search's <c>LIKE '%word%'</c>.
/// SQLite's model keeps its own indexes (CrmDbContext); this applies to <see cref="PostgreSqlCrmDbContext"/> only.
/// </summary>
internal static class PostgreSqlIndexes
{
    private const string InCrm = "\"ConvertedAt\" IS NULL";

    public static void Apply(ModelBuilder builder)
    {
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Lead>(b =>
        {
            // The list by name: not in this model, because it is an expression index, which EF Core cannot describe;
            // the migration PostgreSqlFewerLeadIndexes creates it (ListIndexSql).
            Drop(b, "IX_Leads_List");

            // "Newest first".
            Replace(b, "IX_Leads_ConvertedAt_CaptureDate", l => new { l.CaptureDate, l.Id }).HasDatabaseName("IX_Leads_CaptureDate");

            // The count of a quick search: the leads whose search text holds every trigram of the word, then checked.
            // A GIN index costs more per inserted lead than a b-tree (the import pays it); a search over 100k leads
            // without it reads every entry of the status (about 50 ms of CPU) where this reads a few hundred.
            b.HasIndex(l => l.SearchText, "IX_Leads_SearchText_Trigrams").HasMethod("gin").HasOperators("gin_trgm_ops").HasFilter(InCrm);
        });
    }

    /// <summary>
    /// The list's index. A lead may have no last name (a company), so the sort by name is, on PostgreSQL, "has a last
    /// name" first (leads without one come first, as on SQLite; see ProviderDifferences.SortsNullsFirst), then the
    /// name keys, then the id: the index holds exactly these keys, the CASE written as EF Core writes it, so the first
    /// page in either direction is the index's first or last entries. The status and the folded search text ride
    /// along (INCLUDE), so a status or a search checks each entry without reading its row. One index for the list
    /// with and without a status, as on SQLite (LeadConfiguration says why). A migration that recreates it must run
    /// this SQL.
    /// </summary>
    public const string ListIndexSql = """
        CREATE INDEX "IX_Leads_List" ON "Leads"
            ((CASE WHEN "LastNameKey" IS NULL THEN 0 ELSE 1 END), "LastNameKey", "FirstNameKey", "Id")
            INCLUDE ("StatusId", "SearchText") WHERE "ConvertedAt" IS NULL;
        """;

    /// <summary>Drops the shared index <paramref name="name"/> from this model.</summary>
    private static void Drop(EntityTypeBuilder<Lead> b, string name) =>
        b.Metadata.RemoveIndex(b.Metadata.GetIndexes().Single(i => i.GetDatabaseName() == name));

    /// <summary>Drops the shared index <paramref name="name"/> from this model and declares its partial form.</summary>
    private static IndexBuilder<Lead> Replace(EntityTypeBuilder<Lead> b, string name, Expression<Func<Lead, object?>> columns)
    {
        Drop(b, name);
        return b.HasIndex(columns).HasDatabaseName(name).HasFilter(InCrm);
    }
}
