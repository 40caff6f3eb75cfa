using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// The lead list: one page of leads and the total count, both computed in SQL. Any signed-in user may read it.
/// The methods are virtual so component tests can hand the page a fake.
/// </summary>
public class LeadListService(IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser, SchoolClock clock)
{
    /// <summary>
    /// The list counts its leads up to this many and then reads "more than 10,000": with a million leads, counting
    /// every match of a broad filter would keep the page waiting several times longer than finding its rows.
    /// </summary>
    public const int CountLimit = 10_000;

    public virtual async Task<LeadListOptions> GetOptionsAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var statuses = await db.LeadStatuses.AsNoTracking()
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Name)
            .Select(s => new StatusOption(s.Id, s.Name, s.Color))
            .ToListAsync(ct);

        // Disabled users stay offered while leads in the CRM are still assigned to them, so those leads can be found.
        var assignees = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled || db.Leads.Any(l => l.ConvertedAt == null && l.AssignedToUserId == u.Id))
            .OrderBy(u => u.DisplayName)
            .Select(u => new AssigneeOption(u.Id, u.DisplayName, u.IsDisabled))
            .ToListAsync(ct);

        var columns = await GetColumnsAsync(db, ct);
        var savedFilters = await SavedFilterService.ListAsync(db, actor, ct);
        return new LeadListOptions(statuses, assignees, columns, actor.UserId, actor.IsAdmin, savedFilters);
    }

    /// <summary>The page and its count in one call (the count first). The list page itself reads
    /// <see cref="GetRowsAsync"/> and then <see cref="CountAsync"/>, so its rows never wait for the count.</summary>
    public virtual async Task<LeadListResult> GetPageAsync(LeadListQuery query, CancellationToken ct = default)
    {
        query = query.Normalized();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var (filtered, use) = await FilterAsync(db, query, ct);
        var columns = await GetColumnsAsync(db, ct);
        return await PageAsync(db, filtered, query, columns, ct) with { SavedFilter = use };
    }

    /// <summary>The page's rows without the count, and whether more leads follow it: one row past the page is read
    /// to know that, so the pager can offer the next page before the count is known.</summary>
    public virtual async Task<LeadListRows> GetRowsAsync(LeadListQuery query, CancellationToken ct = default)
    {
        query = query.Normalized();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var (filtered, use) = await FilterAsync(db, query, ct);
        var columns = await GetColumnsAsync(db, ct);
        var rows = await PageWithoutCountAsync(db, filtered, query, columns, ct, lookAhead: 1);
        var hasMore = rows.Count > query.PageSize;
        return new LeadListRows(hasMore ? rows[..query.PageSize] : rows, hasMore, use);
    }

    /// <summary>How many leads match the query's filters (page, sort and columns do not matter), counted up to
    /// <see cref="CountLimit"/> + 1 ("more than 10,000").</summary>
    public virtual async Task<int> CountAsync(LeadListQuery query, CancellationToken ct = default)
    {
        query = query.Normalized();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var (filtered, _) = await FilterAsync(db, query, ct);
        return await CountUpToAsync(filtered, CountLimit, ct);
    }

    // The query's status, assignee, search and saved filter applied to the leads in the CRM, and how the saved filter
    // was applied (null when the query names none).
    private async Task<(IQueryable<Lead> Filtered, SavedFilterUse? Use)> FilterAsync(CrmDbContext db, LeadListQuery query, CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        var saved = query.FilterId is { } filterId ? await SavedFilterService.ApplyAsync(db, clock, actor, filterId, ct) : null;
        var use = query.FilterId is { } id ? new SavedFilterUse(id, saved is not null, saved?.Name ?? "", saved?.Broken.Count ?? 0) : null;
        return (LeadQueries.Apply(db.Leads.AsNoTracking(), query, actor.UserId, saved?.Where), use);
    }

    /// <summary>The count (up to <see cref="CountLimit"/> + 1) and the page of <paramref name="filtered"/> (leads already
    /// filtered by the query's status, assignee and search, and by whatever else a caller composes in, such as a saved filter).</summary>
    public static async Task<LeadListResult> PageAsync(
        CrmDbContext db, IQueryable<Lead> filtered, LeadListQuery query, IReadOnlyList<LeadField> columns, CancellationToken ct)
    {
        var total = await CountUpToAsync(filtered, CountLimit, ct);
        if (total == 0)
        {
            return new LeadListResult([], 0);
        }

        return new LeadListResult(await PageWithoutCountAsync(db, filtered, query, columns, ct), total);
    }

    /// <summary>How many leads <paramref name="filtered"/> holds, counting no further than one past
    /// <paramref name="limit"/>: a result above the limit reads "more than {limit}". SQLite stops at that row, so on a
    /// large list the count of a broad filter costs what reading that many matches costs, not the whole table.</summary>
    public static Task<int> CountUpToAsync(IQueryable<Lead> filtered, int limit, CancellationToken ct) =>
        filtered.Take(limit + 1).CountAsync(ct);

    /// <summary>The page's rows in the query's sort, with the custom values of the visible columns, without the count
    /// (which can take much longer than the page on a large list). <paramref name="lookAhead"/> more rows past the
    /// page are read too (the caller then knows whether another page follows).</summary>
    public static async Task<List<LeadListRow>> PageWithoutCountAsync(
        CrmDbContext db, IQueryable<Lead> filtered, LeadListQuery query, IReadOnlyList<LeadField> columns, CancellationToken ct, int lookAhead = 0)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(columns);
        var sortColumn = columns.FirstOrDefault(c => c.Key == query.Sort);
        List<LeadListRow> rows;
        if (LeadValueSort.Handles(sortColumn))
        {
            rows = await RowsAsync(db, await LeadValueSort.PageIdsAsync(db, filtered, sortColumn!, query.Descending, query.Page, query.PageSize, ct, lookAhead), ct);
        }
        else
        {
            var ranks = SortRanks.AreNeededFor(sortColumn) ? await SortRanks.LoadAsync(db, ct) : null;
            var sorted = LeadQueries.Sort(filtered, db, sortColumn, query.Descending, ranks);
            rows = await PageRowsAsync(db, sorted, query.Page, query.PageSize, ct, lookAhead);
        }

        var visibleFieldIds = columns
            .Where(c => c.CustomFieldId is not null && query.Columns.Contains(c.Key))
            .Select(c => c.CustomFieldId!.Value)
            .ToList();
        if (visibleFieldIds.Count > 0 && rows.Count > 0)
        {
            rows = await AddCustomValuesAsync(db, rows, visibleFieldIds, ct);
        }

        return rows;
    }

    /// <summary>
    /// One page of rows in two steps: first the page's ids in sort order, then their rows. Finding the ids needs
    /// only the sort key and the id, which an index often holds; sorting whole rows would drag every lead's
    /// columns through the sort (four times slower for a status sort at 100k leads).
    /// </summary>
    public static async Task<List<LeadListRow>> PageRowsAsync(
        CrmDbContext db, IOrderedQueryable<Lead> sorted, int page, int pageSize, CancellationToken ct, int lookAhead = 0) =>
        await RowsAsync(db, await PageIds(sorted, page, pageSize, lookAhead).ToListAsync(ct), ct);

    /// <summary>The rows of the given leads, in the order of <paramref name="ids"/>.</summary>
    public static async Task<List<LeadListRow>> RowsAsync(CrmDbContext db, List<int> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await ToRows(db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)), db).ToListAsync(ct);
        return [.. rows.OrderBy(r => ids.IndexOf(r.Id))];
    }

    /// <summary>The first step of <see cref="PageRowsAsync"/>: the page's ids in sort order.</summary>
    public static IQueryable<int> PageIds(IOrderedQueryable<Lead> sorted, int page, int pageSize, int lookAhead = 0) =>
        sorted.Skip(page * pageSize).Take(pageSize + lookAhead).Select(l => l.Id);

    /// <summary>The list's row for each lead (custom values not included), as a query: status and assignee are looked up in SQL.</summary>
    public static IQueryable<LeadListRow> ToRows(IQueryable<Lead> leads, CrmDbContext db)
    {
        var statuses = db.LeadStatuses;
        var users = db.Users;
        return leads
            .Select(l => new LeadListRow
            {
                Id = l.Id,
                FirstName = l.FirstName,
                LastName = l.LastName,
                CompanyName = l.CompanyName,
                Email = l.Email,
                Phone = l.Phone,
                Mobile = l.Mobile,
                TaxCode = l.TaxCode,
                Address = l.Address,
                City = l.City,
                Zip = l.Zip,
                Province = l.Province,
                CaptureDate = l.CaptureDate,
                DateOfBirth = l.DateOfBirth,
                Gender = l.Gender,
                PrivacyConsent = l.PrivacyConsent,
                StatusId = l.StatusId,
                StatusName = statuses.Where(s => s.Id == l.StatusId).Select(s => s.Name).FirstOrDefault() ?? "",
                StatusColor = statuses.Where(s => s.Id == l.StatusId).Select(s => s.Color).FirstOrDefault() ?? "",
                AssignedToUserId = l.AssignedToUserId,
                AssignedToName = users.Where(u => u.Id == l.AssignedToUserId).Select(u => u.DisplayName).FirstOrDefault(),
                CreatedAt = l.CreatedAt,
                UpdatedAt = l.UpdatedAt,
            });
    }

    /// <summary>The catalogue's listed fields and the active custom fields in their configured order.</summary>
    public static async Task<IReadOnlyList<LeadField>> GetColumnsAsync(CrmDbContext db, CancellationToken ct)
    {
        var fields = await db.CustomFields.AsNoTracking()
            .Where(f => !f.IsArchived)
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Name)
            .Select(f => new { f.Id, f.Type, f.Name })
            .ToListAsync(ct);
        return
        [
            .. LeadFields.Listed,
            .. fields.Select(f => LeadFields.ForCustomField(f.Id, f.Name, f.Type)),
        ];
    }

    // Only the page's leads and the visible fields: at most 100 leads times a few fields.
    private static async Task<List<LeadListRow>> AddCustomValuesAsync(CrmDbContext db, List<LeadListRow> rows, List<int> fieldIds, CancellationToken ct)
    {
        var leadIds = rows.Select(r => (int?)r.Id).ToList();
        var values = await db.CustomFieldValues.AsNoTracking()
            .Where(v => leadIds.Contains(v.LeadId) && fieldIds.Contains(v.CustomFieldId))
            .Select(v => new
            {
                LeadId = v.LeadId!.Value,
                v.CustomFieldId,
                v.TextValue,
                v.NumberValue,
                v.DateValue,
                v.BoolValue,
                Option = db.CustomFieldOptions.Where(o => o.Id == v.OptionId).Select(o => new { o.Label, o.SortOrder }).FirstOrDefault(),
            })
            .ToListAsync(ct);

        var byLead = values
            .GroupBy(v => v.LeadId)
            .ToDictionary(
                lead => lead.Key,
                lead => (IReadOnlyDictionary<int, LeadCustomCell>)lead
                    .GroupBy(v => v.CustomFieldId)
                    .ToDictionary(field => field.Key, field =>
                    {
                        var first = field.First();
                        var options = field.Where(v => v.Option is not null)
                            .OrderBy(v => v.Option!.SortOrder)
                            .Select(v => v.Option!.Label)
                            .ToList();
                        return new LeadCustomCell(first.TextValue, first.NumberValue, first.DateValue, first.BoolValue, options);
                    }));

        return [.. rows.Select(r => byLead.TryGetValue(r.Id, out var cells) ? r with { CustomValues = cells } : r)];
    }
}
