using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// The one place where the lead list's filters, search and sort become SQL. The list, the Excel export
/// ("what the list shows now") and the saved-filter builder compose their queries from here, so a lead that
/// is in the list is in the export and vice versa. Everything stays an <see cref="IQueryable{Lead}"/>:
/// nothing is evaluated on the client.
/// </summary>
public static class LeadQueries
{
    /// <summary>Leads still in the CRM: a converted lead belongs to the students list.</summary>
    public static IQueryable<Lead> InCrm(this IQueryable<Lead> leads) => leads.Where(l => l.ConvertedAt == null);

    /// <summary>
    /// Leads in the CRM that match the query's status, assignee and search (page, sort and columns are ignored).
    /// <paramref name="currentUserId"/> is who "me" is.
    /// </summary>
    public static IQueryable<Lead> Apply(IQueryable<Lead> leads, LeadListQuery query, string currentUserId)
    {
        leads = leads.InCrm();

        if (query.StatusId is { } statusId)
        {
            leads = leads.Where(l => l.StatusId == statusId);
        }

        leads = query.Assignee.Kind switch
        {
            AssigneeFilterKind.Me => leads.Where(l => l.AssignedToUserId == currentUserId),
            AssigneeFilterKind.Nobody => leads.Where(l => l.AssignedToUserId == null),
            AssigneeFilterKind.User => leads.Where(l => l.AssignedToUserId == query.Assignee.UserId),
            _ => leads,
        };

        return Search(leads, query.Search);
    }

    /// <summary>The quick search, the same as the student list's (<see cref="PersonSearch"/>).</summary>
    public static IQueryable<Lead> Search(IQueryable<Lead> leads, string? text) => PersonSearch.Apply(leads, text);

    /// <summary>
    /// Sorts by an offered column, then by id so pages never overlap or skip rows (for status, assignee and custom
    /// fields ties stay in ascending id order in both directions, see <c>By</c>). Status sorts by the
    /// configured status order, the assignee by display name, a single-choice field by its options' order;
    /// leads without a value come first ascending (SQLite's NULL order). A column that cannot be sorted
    /// (multiple choice, or null) sorts by name. Names and other texts sort by their folded keys
    /// (<see cref="PersonRecord.LastNameKey"/> and the like), so "Ömer" comes with O and case does not matter;
    /// phone, mobile, ZIP and tax code hold digits and upper-case letters and sort as stored.
    /// </summary>
    /// <param name="ranks">The status order and the users by name (<see cref="SortRanks.LoadAsync"/>); when given,
    /// status and assignee sort by a CASE over these few values instead of a lookup per lead, which is much faster.</param>
    public static IOrderedQueryable<Lead> Sort(IQueryable<Lead> leads, CrmDbContext db, LeadColumn? column, bool descending, SortRanks? ranks = null)
    {
        if (column is { CustomFieldId: { } fieldId, FieldType: { } type } && column.IsSortable)
        {
            var values = db.CustomFieldValues;
            var options = db.CustomFieldOptions;
            return type switch
            {
                CustomFieldType.Number => By(leads, l => values.Where(v => v.LeadId == l.Id && v.CustomFieldId == fieldId).Select(v => v.NumberValue).FirstOrDefault(), descending, Computed),
                CustomFieldType.Date => By(leads, l => values.Where(v => v.LeadId == l.Id && v.CustomFieldId == fieldId).Select(v => v.DateValue).FirstOrDefault(), descending, Computed),
                CustomFieldType.Checkbox => By(leads, l => values.Where(v => v.LeadId == l.Id && v.CustomFieldId == fieldId).Select(v => v.BoolValue).FirstOrDefault(), descending, Computed),
                CustomFieldType.SingleChoice => By(leads, l => values.Where(v => v.LeadId == l.Id && v.CustomFieldId == fieldId)
                    .Join(options, v => v.OptionId, o => o.Id, (v, o) => (int?)o.SortOrder).FirstOrDefault(), descending, Computed),
                _ => By(leads, l => values.Where(v => v.LeadId == l.Id && v.CustomFieldId == fieldId).Select(v => v.TextValue).FirstOrDefault(), descending, Computed),
            };
        }

        var statuses = db.LeadStatuses;
        var users = db.Users;
        return column?.Key switch
        {
            LeadColumns.Company => By(leads, l => l.CompanyNameKey, descending),
            LeadColumns.Email => By(leads, l => l.EmailKey, descending),
            LeadColumns.Phone => By(leads, l => l.Phone, descending),
            LeadColumns.Mobile => By(leads, l => l.Mobile, descending),
            LeadColumns.TaxCode => By(leads, l => l.TaxCode, descending),
            LeadColumns.Address => By(leads, l => l.AddressKey, descending),
            LeadColumns.City => By(leads, l => l.CityKey, descending),
            LeadColumns.Zip => By(leads, l => l.Zip, descending),
            LeadColumns.Province => By(leads, l => l.ProvinceKey, descending),
            LeadColumns.Status when ranks is not null => By(leads, RankOf(l => l.StatusId, ranks.StatusIds), descending, Computed),
            LeadColumns.Status => By(leads, l => statuses.Where(s => s.Id == l.StatusId).Select(s => s.SortOrder).FirstOrDefault(), descending, Computed),
            LeadColumns.Assignee when ranks?.UserIds.Count <= SortRanks.MaxUsers => By(leads, RankOf(l => l.AssignedToUserId, ranks.UserIds), descending, Computed),
            LeadColumns.Assignee => By(leads, l => users.Where(u => u.Id == l.AssignedToUserId).Select(u => u.DisplayName).FirstOrDefault(), descending, Computed),
            LeadColumns.CaptureDate => By(leads, l => l.CaptureDate, descending),
            LeadColumns.DateOfBirth => By(leads, l => l.DateOfBirth, descending),
            LeadColumns.Gender => By(leads, l => l.Gender, descending),
            LeadColumns.Privacy => By(leads, l => l.PrivacyConsent, descending),
            LeadColumns.CreatedAt => By(leads, l => l.CreatedAt, descending),
            LeadColumns.UpdatedAt => By(leads, l => l.UpdatedAt, descending),
            _ => ByName(leads, descending),
        };
    }

    // CASE key WHEN first THEN 0 WHEN second THEN 1 ... ELSE n END; a null key ranks before everything.
    private static Expression<Func<Lead, int>> RankOf<TKey>(Expression<Func<Lead, TKey>> key, IReadOnlyList<TKey> order)
    {
        Expression rank = Expression.Constant(order.Count);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(key.Body, Expression.Constant(order[i], typeof(TKey))), Expression.Constant(i), rank);
        }

        if (!typeof(TKey).IsValueType)
        {
            rank = Expression.Condition(Expression.Equal(key.Body, Expression.Constant(null, typeof(TKey))), Expression.Constant(-1), rank);
        }

        return Expression.Lambda<Func<Lead, int>>(rank, key.Parameters);
    }

    private static IOrderedQueryable<Lead> ByName(IQueryable<Lead> leads, bool descending) => descending
        ? leads.OrderByDescending(l => l.LastNameKey).ThenByDescending(l => l.FirstNameKey).ThenByDescending(l => l.Id)
        : leads.OrderBy(l => l.LastNameKey).ThenBy(l => l.FirstNameKey).ThenBy(l => l.Id);

    private const bool Computed = true;

    // For a column, the id follows the key in the same direction, so the key's index (which ends in the row id)
    // serves both. A computed key (status rank, custom value) has no index: SQLite reads every lead and keeps the
    // best page, and ties in ascending id let later rows lose at once instead of displacing the kept ones.
    private static IOrderedQueryable<Lead> By<TKey>(IQueryable<Lead> leads, Expression<Func<Lead, TKey>> key, bool descending, bool computed = false) =>
        (descending, computed) switch
        {
            (true, false) => leads.OrderByDescending(key).ThenByDescending(l => l.Id),
            (true, true) => leads.OrderByDescending(key).ThenBy(l => l.Id),
            _ => leads.OrderBy(key).ThenBy(l => l.Id),
        };
}

/// <summary>The few values status and assignee sorts rank by: statuses in their configured order, users by name.</summary>
public sealed record SortRanks(IReadOnlyList<int> StatusIds, IReadOnlyList<string?> UserIds)
{
    /// <summary>Beyond this many users the assignee sort looks names up per lead instead (a CASE that long helps no one).</summary>
    public const int MaxUsers = 200;

    public static async Task<SortRanks> LoadAsync(CrmDbContext db, CancellationToken ct)
    {
        var statuses = await db.LeadStatuses.AsNoTracking().OrderBy(s => s.SortOrder).ThenBy(s => s.Name).Select(s => s.Id).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Select(u => (string?)u.Id).Take(MaxUsers + 1).ToListAsync(ct);
        return new SortRanks(statuses, users);
    }

    /// <summary>Only the status and assignee sorts need ranks.</summary>
    public static bool AreNeededFor(LeadColumn? column) => column?.Key is LeadColumns.Status or LeadColumns.Assignee;
}
