using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// The page of the lead list sorted by a custom field, read from the value indexes in value order instead of
/// looking up a value for every lead and sorting them all (about 100–200 ms at 100,000 leads, growing with the list).
/// </summary>
/// <remarks>
/// <para>
/// The order is that of <see cref="LeadQueries.Sort"/> (which the export uses): ascending, first the leads without a
/// value, then the others by value (a single-choice field by its options' order), ties by id; descending is exactly
/// the reverse. The list is read in parts in that order: the leads without a value (by id), then the leads with a
/// value, each part a query that walks an index in order and stops at the page (the values' partial indexes per type,
/// see CustomFieldValueConfiguration; a choice field reads the covering value index option by option). A part
/// entirely before the page is counted, so deep pages cost a count; the first pages never do.
/// </para>
/// <para>
/// Every part is the filtered leads joined with the field's values, so filters, search and saved filters apply as in
/// any other sort, and each lead is in exactly one part (a field other than multiple choice, which is not sortable,
/// has at most one value per lead): ids never repeat or go missing across pages.
/// </para>
/// </remarks>
public static class LeadValueSort
{
    /// <summary>Whether the list pages this field through <see cref="PageIdsAsync"/>.</summary>
    public static bool Handles(LeadField? field) => field is { IsCustom: true, IsSortable: true };

    /// <summary>The ids of one page of <paramref name="filtered"/> sorted by the custom <paramref name="field"/>, and of
    /// <paramref name="lookAhead"/> more leads past it.</summary>
    public static async Task<List<int>> PageIdsAsync(
        CrmDbContext db, IQueryable<Lead> filtered, LeadField field, bool descending, int page, int pageSize, CancellationToken ct, int lookAhead = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(field);
        var parts = await PartsAsync(db, filtered, field, ct);
        if (descending)
        {
            parts.Reverse();
        }

        var wanted = pageSize + lookAhead;
        var ids = new List<int>(wanted);
        var skip = page * pageSize;
        foreach (var part in parts)
        {
            var taken = await part.InOrder(descending).Skip(skip).Take(wanted - ids.Count).ToListAsync(ct);
            ids.AddRange(taken);
            if (ids.Count == wanted)
            {
                break;
            }

            // A part that gave rows has been read to its end; one that gave none lies entirely before the page.
            skip = taken.Count > 0 || skip == 0 ? 0 : skip - await part.Ids.CountAsync(ct);
        }

        return ids;
    }

    /// <summary>The parts in ascending order: leads without a value first.</summary>
    internal static async Task<List<Part>> PartsAsync(CrmDbContext db, IQueryable<Lead> filtered, LeadField field, CancellationToken ct)
    {
        var id = field.CustomFieldId ?? throw new ArgumentException("Not a custom field.", nameof(field));
        var values = db.CustomFieldValues.Where(v => v.CustomFieldId == id);
        switch (field.Type)
        {
            case LeadFieldType.Number:
                return ByValue(filtered, values, values.Where(v => v.NumberValue != null), v => v.NumberValue);
            case LeadFieldType.Date:
                return ByValue(filtered, values, values.Where(v => v.DateValue != null), v => v.DateValue);
            case LeadFieldType.Checkbox:
                return ByValue(filtered, values, values.Where(v => v.BoolValue != null), v => v.BoolValue);
            case LeadFieldType.Text:
            case LeadFieldType.LongText:
                return ByValue(filtered, values, values.Where(v => v.TextKey != null), v => v.TextKey);
            case LeadFieldType.SingleChoice:
                // Options that share a sort order are one part, ordered by lead as LeadQueries.Sort ties them.
                var options = await db.CustomFieldOptions.AsNoTracking()
                    .Where(o => o.CustomFieldId == id)
                    .Select(o => new { o.Id, o.SortOrder })
                    .ToListAsync(ct);
                List<Part> parts = [Without(filtered, values)];
                foreach (var group in options.GroupBy(o => o.SortOrder).OrderBy(g => g.Key))
                {
                    var ids = group.Select(o => (int?)o.Id).ToList();
                    var leads = WithValue(filtered, values.Where(v => ids.Contains(v.OptionId)));
                    parts.Add(new Part(descending => descending ? leads.OrderByDescending(i => i) : leads.OrderBy(i => i), leads));
                }

                return parts;
            default:
                throw new ArgumentException($"A {field.Type} field is not sorted by value.", nameof(field));
        }
    }

    // withValue: the rows with the key set, which the type's partial index holds (its condition must be in the query
    // for SQLite to use it); they are all the field's rows, since a row always holds its type's value (the factories
    // set it, and the key of older text rows is filled in before the app serves anyone).
    private static List<Part> ByValue<TKey>(
        IQueryable<Lead> filtered, IQueryable<CustomFieldValue> values, IQueryable<CustomFieldValue> withValue, Expression<Func<CustomFieldValue, TKey>> key)
    {
        var rows = Filtered(filtered, withValue);
        return
        [
            Without(filtered, values),
            new Part(
                descending => (descending ? rows.OrderByDescending(key).ThenByDescending(v => v.LeadId) : rows.OrderBy(key).ThenBy(v => v.LeadId))
                    .Select(v => v.LeadId!.Value),
                rows.Select(v => v.LeadId!.Value)),
        ];
    }

    // The leads without a row of the field, read in id order from the (ConvertedAt) index and looked up in the
    // covering value index until the page is full.
    private static Part Without(IQueryable<Lead> filtered, IQueryable<CustomFieldValue> values)
    {
        var leads = filtered.Where(l => !values.Any(v => v.LeadId == l.Id)).Select(l => l.Id);
        return new Part(descending => descending ? leads.OrderByDescending(i => i) : leads.OrderBy(i => i), leads);
    }

    private static IQueryable<int> WithValue(IQueryable<Lead> filtered, IQueryable<CustomFieldValue> withValue) =>
        Filtered(filtered, withValue).Select(v => v.LeadId!.Value);

    // The values of the filtered leads, as a semi-join (EXISTS) rather than a join: the values are then the outer
    // loop, read from their index in the order asked for, and the page stops after its rows. With a join SQLite may
    // read the leads first and sort all their values (it does on small lists), which at 100k costs what the per-lead
    // lookup did. The price: a filter that matches few leads is tested on many values before the page is full.
    private static IQueryable<CustomFieldValue> Filtered(IQueryable<Lead> filtered, IQueryable<CustomFieldValue> withValue) =>
        withValue.Where(v => filtered.Any(l => l.Id == v.LeadId));

    /// <summary>One part of the order: its lead ids in either direction, and unordered (to count them).</summary>
    internal sealed record Part(Func<bool, IQueryable<int>> InOrder, IQueryable<int> Ids);
}
