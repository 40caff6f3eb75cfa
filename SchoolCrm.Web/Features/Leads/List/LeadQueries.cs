using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
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
    /// Leads in the CRM that match the query's status, assignee and search, and the saved filter's condition
    /// (page, sort and columns are ignored). <paramref name="currentUserId"/> is who "me" is.
    /// </summary>
    /// <param name="savedFilter">The condition of the query's <see cref="LeadListQuery.FilterId"/>
    /// (<see cref="Filters.SavedFilterService.ApplyAsync"/>); null when there is none or it no longer exists.</param>
    public static IQueryable<Lead> Apply(IQueryable<Lead> leads, LeadListQuery query, string currentUserId, Expression<Func<Lead, bool>>? savedFilter = null)
    {
        leads = leads.InCrm();
        if (savedFilter is not null)
        {
            leads = leads.Where(savedFilter);
        }

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
    /// Sorts by a sortable field of the catalogue (<see cref="LeadField.Sort"/>), then by id so pages never overlap or
    /// skip rows (for status and user ranks ties stay in ascending id order in both directions, see <c>By</c>). Status sorts
    /// by the configured status order, a user by display name, a single-choice field by its options' order; leads
    /// without a value come first ascending (SQLite's NULL order). A field that cannot be sorted (multiple choice,
    /// or null) sorts by name. Names and other texts sort by their folded keys (<see cref="PersonRecord.LastNameKey"/>
    /// and the like, named in the catalogue), so "Ömer" comes with O and case does not matter; phone, mobile, ZIP and
    /// tax code hold digits and upper-case letters and sort as stored.
    /// </summary>
    /// <param name="ranks">The status order and the users by name (<see cref="SortRanks.LoadAsync"/>); when given,
    /// status and assignee sort by a CASE over these few values instead of a lookup per lead, which is much faster.</param>
    public static IOrderedQueryable<Lead> Sort(IQueryable<Lead> leads, CrmDbContext db, LeadField? field, bool descending, SortRanks? ranks = null)
    {
        if (field is null || !field.IsSortable)
        {
            field = LeadFields.Name;
        }

        var statuses = db.LeadStatuses;
        var users = db.Users;
        var values = db.CustomFieldValues;
        var options = db.CustomFieldOptions;
        var fieldId = field.CustomFieldId;
        var nullsFirst = db.SortsNullsFirst();
        return field.Sort switch
        {
            // Custom values tie by id in the sort's direction, the order LeadValueSort reads the list's pages in.
            LeadFieldSort.Computed => By(leads, field.SortKeys, descending, nullsFirst),
            LeadFieldSort.StatusOrder when ranks is not null => By(leads, RankOf(Value<int>(field), ranks.StatusIds), descending, nullsFirst, Computed),
            LeadFieldSort.StatusOrder => By(leads, Lookup(Value<int>(field), id => statuses.Where(s => s.Id == id).Select(s => s.SortOrder).FirstOrDefault()), descending, nullsFirst, Computed),
            LeadFieldSort.UserName when ranks?.UserIds.Count <= SortRanks.MaxUsers => By(leads, RankOf(Value<string?>(field), ranks.UserIds), descending, nullsFirst, Computed),
            LeadFieldSort.UserName => By(leads, Lookup(Value<string?>(field), id => users.Where(u => u.Id == id).Select(u => u.DisplayName).FirstOrDefault()), descending, nullsFirst, Computed),
            LeadFieldSort.OptionOrder => By(leads, (Lead l) => values.Where(v => v.LeadId == l.Id && v.CustomFieldId == fieldId)
                .Join(options, v => v.OptionId, o => o.Id, (v, o) => (int?)o.SortOrder).FirstOrDefault(), descending, nullsFirst),
            _ => By(leads, field.SortKeys, descending, nullsFirst),
        };
    }

    private static Expression<Func<Lead, TValue>> Value<TValue>(LeadField field) => (Expression<Func<Lead, TValue>>)field.Value;

    // lead => lookup(value(lead)): the field's value fed into a subquery on another table.
    private static Expression<Func<Lead, TResult>> Lookup<TValue, TResult>(Expression<Func<Lead, TValue>> value, Expression<Func<TValue, TResult>> lookup) =>
        Expression.Lambda<Func<Lead, TResult>>(new ReplaceParameter(lookup.Parameters[0], value.Body).Visit(lookup.Body), value.Parameters);

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

    private const bool Computed = true;

    // For a column or a custom value, the id follows the keys in the same direction, so the keys' index (which ends
    // in the row id) serves both. A computed rank (status, user) has no index: SQLite reads every lead and keeps the
    // best page, and ties in ascending id let later rows lose at once instead of displacing the kept ones.
    private static IOrderedQueryable<Lead> By(IQueryable<Lead> leads, LambdaExpression key, bool descending, bool nullsFirst, bool computed = false) =>
        By(leads, [key], descending, nullsFirst, computed);

    // nullsFirst: the provider already puts NULLs first ascending and last descending (ProviderDifferences);
    // otherwise each key that can be NULL is preceded by "has a value" (0 without, 1 with) in the same direction.
    private static IOrderedQueryable<Lead> By(IQueryable<Lead> leads, IReadOnlyList<LambdaExpression> keys, bool descending, bool nullsFirst, bool computed = false)
    {
        if (!nullsFirst)
        {
            keys = [.. keys.SelectMany(k => CanBeNull(k.ReturnType) ? [HasValue(k), k] : new[] { k })];
        }

        var sorted = Order(leads, keys[0], descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy));
        foreach (var key in keys.Skip(1))
        {
            sorted = Order(sorted, key, descending ? nameof(Queryable.ThenByDescending) : nameof(Queryable.ThenBy));
        }

        return descending && !computed ? sorted.ThenByDescending(l => l.Id) : sorted.ThenBy(l => l.Id);
    }

    private static bool CanBeNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    // key => key == null ? 0 : 1
    private static Expression<Func<Lead, int>> HasValue(LambdaExpression key) =>
        Expression.Lambda<Func<Lead, int>>(
            Expression.Condition(Expression.Equal(key.Body, Expression.Constant(null, key.ReturnType)), Expression.Constant(0), Expression.Constant(1)),
            key.Parameters);

    // A catalogue key is a LambdaExpression of any result type: call Queryable's method with that type.
    private static IOrderedQueryable<Lead> Order(IQueryable<Lead> leads, LambdaExpression key, string method) =>
        (IOrderedQueryable<Lead>)leads.Provider.CreateQuery<Lead>(
            Expression.Call(typeof(Queryable), method, [typeof(Lead), key.ReturnType], leads.Expression, Expression.Quote(key)));
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
    public static bool AreNeededFor(LeadField? field) => field?.Sort is LeadFieldSort.StatusOrder or LeadFieldSort.UserName;
}

/// <summary>Puts an expression where a lambda's parameter was.</summary>
internal sealed class ReplaceParameter(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
{
    protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
}
