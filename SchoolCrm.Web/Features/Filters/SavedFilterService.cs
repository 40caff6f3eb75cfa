using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads;
using StatusOption = SchoolCrm.Web.Features.Leads.List.StatusOption;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Filters;

/// <summary>
/// Saved filters: everyone may save private ones and use the shared ones; admins share, unshare and edit shared
/// filters; anyone may copy a filter they can see into a private one. A filter someone else keeps private does not
/// exist for anybody else, admins included ("stale", as if it had been deleted). Every save checks the tree
/// against the catalogue: a filter with a condition that cannot run is refused, never saved.
/// </summary>
public sealed class SavedFilterService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    SchoolClock clock,
    ILogger<SavedFilterService> logger)
{
    public const string NotFoundCode = "stale";

    /// <summary>A filter with a condition that cannot run (the builder marks which and why).</summary>
    public const string ConditionsInvalidCode = "filter.conditions_invalid";

    /// <summary>The user's own filters and the shared ones, by name.</summary>
    public async Task<IReadOnlyList<SavedFilterSummary>> ListAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ListAsync(db, actor, ct);
    }

    /// <summary><see cref="ListAsync(CancellationToken)"/> for <paramref name="actor"/> on a context the caller holds (the lead list's chips).</summary>
    public static async Task<IReadOnlyList<SavedFilterSummary>> ListAsync(CrmDbContext db, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var users = db.Users;
        var rows = await VisibleTo(db, actor)
            .Select(f => new
            {
                f.Id,
                f.Name,
                OwnerName = users.Where(u => u.Id == f.OwnerUserId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
                f.IsShared,
                f.UpdatedAt,
                f.OwnerUserId,
            })
            .ToListAsync(ct);
        return
        [
            .. rows
                .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Id)
                .Select(r => new SavedFilterSummary(r.Id, r.Name, r.OwnerName, r.IsShared, r.UpdatedAt, r.OwnerUserId == actor.UserId, CanEdit(actor, r.IsShared, r.OwnerUserId))),
        ];
    }

    public async Task<SavedFilterDetails> GetAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await VisibleTo(db, actor).AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct)
            ?? throw new DomainException(NotFoundCode);
        var ownerName = await db.Users.Where(u => u.Id == saved.OwnerUserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var catalogue = await LoadCatalogueAsync(db, ct);
        var filter = ReadSaved(saved);
        return new SavedFilterDetails(
            saved.Id,
            saved.Name,
            ownerName,
            saved.IsShared,
            saved.OwnerUserId == actor.UserId,
            CanEdit(actor, saved.IsShared, saved.OwnerUserId),
            saved.UpdatedAt,
            saved.Version,
            filter,
            FilterCheck.Check(filter, catalogue));
    }

    public async Task<FilterBuilderOptions> GetBuilderOptionsAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customFields = await CustomValueStore.LoadFieldsAsync(db, ct);
        var statuses = await db.LeadStatuses.AsNoTracking()
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Name)
            .Select(s => new StatusOption(s.Id, s.Name, s.Color))
            .ToListAsync(ct);
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Select(u => new AssigneeOption(u.Id, u.DisplayName, u.IsDisabled))
            .ToListAsync(ct);
        var imports = await OfferedImportsAsync(db, ct);
        var taskTypes = await db.TaskTypes.AsNoTracking()
            .OrderBy(t => t.SortOrder).ThenBy(t => t.Name)
            .Select(t => new TaskTypeOption(t.Id, t.Name))
            .ToListAsync(ct);
        var catalogue = new FilterCatalogue(customFields, statuses.Select(s => s.Id), users.Select(u => u.UserId), imports.Select(i => i.Id), taskTypes.Select(t => t.Id));
        return new FilterBuilderOptions(catalogue, statuses, users, customFields, actor.UserId, actor.IsAdmin, imports, taskTypes);
    }

    /// <summary>Saves a new filter, private to whoever saves it; an admin may save it shared at once.</summary>
    public async Task<int> CreateAsync(string name, Filter filter, bool shared = false, CancellationToken ct = default)
    {
        var actor = shared ? await currentUser.RequireAdminAsync() : await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await CheckedJsonAsync(db, filter, ct);
        var saved = new SavedFilter(name, actor.UserId, json, clock.UtcNow);
        if (shared)
        {
            saved.SetShared(true, actor.UserId, clock.UtcNow);
        }

        await EnsureUniqueNameAsync(db, saved, ct);
        db.SavedFilters.Add(saved);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Saved filter {FilterId} created by {UserId} (shared: {Shared})", saved.Id, actor.UserId, shared);
        return saved.Id;
    }

    /// <summary>Saves the builder's name and tree over the filter opened at <paramref name="version"/>; returns the
    /// new version. Someone else's save in between is refused as "stale", so nobody overwrites unseen changes.</summary>
    public async Task<Guid> UpdateAsync(int id, string name, Filter filter, Guid version, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await EditableAsync(db, actor, id, ct);
        if (saved.Version != version)
        {
            throw new DomainException(NotFoundCode);
        }

        saved.Change(name, await CheckedJsonAsync(db, filter, ct), actor.UserId, clock.UtcNow);
        await EnsureUniqueNameAsync(db, saved, ct);
        await SaveAsync(db, ct);
        return saved.Version;
    }

    public async Task RenameAsync(int id, string name, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await EditableAsync(db, actor, id, ct);
        saved.Rename(name);
        saved.Touch(actor.UserId, clock.UtcNow);
        await EnsureUniqueNameAsync(db, saved, ct);
        await SaveAsync(db, ct);
    }

    /// <summary>
    /// "Duplicate", and an operator's way to change a shared filter: a private copy for whoever asks, named
    /// <paramref name="name"/> or, without one, the original's name with the first free " (2)", " (3)", ...
    /// The tree is copied as saved, broken conditions included, so the copy can be repaired in the builder.
    /// </summary>
    public async Task<int> CopyAsync(int id, string? name = null, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var original = await VisibleTo(db, actor).AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct)
            ?? throw new DomainException(NotFoundCode);
        var copy = new SavedFilter(name ?? await FreeCopyNameAsync(db, actor.UserId, original.Name, ct), actor.UserId, original.Json, clock.UtcNow);
        await EnsureUniqueNameAsync(db, copy, ct);
        db.SavedFilters.Add(copy);
        await db.SaveChangesAsync(ct);
        return copy.Id;
    }

    public async Task DeleteAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await EditableAsync(db, actor, id, ct);
        db.SavedFilters.Remove(saved);
        await SaveAsync(db, ct);
        logger.LogInformation("Saved filter {FilterId} deleted by {UserId}", id, actor.UserId);
    }

    /// <summary>
    /// Shares an admin's own filter with everyone, or takes a shared filter back to its owner's private filters.
    /// Admins only. Names of shared filters are unique among shared filters, so the chips can be told apart.
    /// </summary>
    public async Task SetSharedAsync(int id, bool shared, CancellationToken ct = default)
    {
        var actor = await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await VisibleTo(db, actor).SingleOrDefaultAsync(f => f.Id == id, ct) ?? throw new DomainException(NotFoundCode);
        if (saved.IsShared == shared)
        {
            return;
        }

        saved.SetShared(shared, actor.UserId, clock.UtcNow);
        await EnsureUniqueNameAsync(db, saved, ct);
        await SaveAsync(db, ct);
        logger.LogInformation("Saved filter {FilterId} {Change} by {UserId}", id, shared ? "shared" : "unshared", actor.UserId);
    }

    /// <summary>The builder's live preview: count and first ten by name of the leads in the CRM the tree matches
    /// now, for whoever edits it ("me" is them). Broken conditions are left out, as in the list.</summary>
    public async Task<FilterPreview> PreviewAsync(Filter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var catalogue = await LoadCatalogueAsync(db, ct);
        var checkedFilter = FilterCheck.Check(filter, catalogue);
        var leads = db.Leads.AsNoTracking().InCrm().Where(FilterExpressions.ToExpression(checkedFilter, ContextFor(actor.UserId)));
        var count = await leads.CountAsync(ct);
        var first = count == 0
            ? []
            : await LeadListService.PageRowsAsync(db, LeadQueries.Sort(leads, db, LeadFields.Name, descending: false), 0, 10, ct);
        return new FilterPreview(
            count,
            [.. first.Select(r => new FilterPreviewLead(r.Id, r.FullName, r.StatusName, r.StatusColor))],
            checkedFilter.Broken);
    }

    /// <summary>
    /// The saved filter <paramref name="id"/> as the lead list and the export apply it for <paramref name="actor"/>,
    /// or null when it does not exist for them (deleted, or someone else's private filter).
    /// </summary>
    public static async Task<AppliedFilter?> ApplyAsync(CrmDbContext db, SchoolClock clock, Actor actor, int id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(actor);
        var saved = await VisibleTo(db, actor).AsNoTracking().Select(f => new { f.Id, f.Name, f.Json, f.Version }).SingleOrDefaultAsync(f => f.Id == id, ct);
        if (saved is null)
        {
            return null;
        }

        var read = FilterJson.Read(saved.Json);
        var checkedFilter = FilterCheck.Check(read.Filter ?? Filter.Empty, await LoadCatalogueAsync(db, ct));
        var context = new FilterContext(actor.UserId, clock.UtcNow, clock.Zone);
        return new AppliedFilter(saved.Id, saved.Name, FilterExpressions.ToExpression(checkedFilter, context), checkedFilter.Broken);
    }

    /// <summary>What conditions are checked against: every custom field (archived ones too), the statuses, users,
    /// imports and task types now.</summary>
    public static async Task<FilterCatalogue> LoadCatalogueAsync(CrmDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var customFields = await CustomValueStore.LoadFieldsAsync(db, ct);
        var statusIds = await db.LeadStatuses.AsNoTracking().Select(s => s.Id).ToListAsync(ct);
        var userIds = await db.Users.AsNoTracking().Select(u => u.Id).ToListAsync(ct);
        var importIds = await db.Set<LeadImport>().AsNoTracking().Where(FilterCatalogue.OfferedImports).Select(i => i.Id).ToListAsync(ct);
        var taskTypeIds = await db.TaskTypes.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        return new FilterCatalogue(customFields, statusIds, userIds, importIds, taskTypeIds);
    }

    // The imports "imported by" may name, newest first, as the builder lists them.
    private static async Task<List<FilterImportOption>> OfferedImportsAsync(CrmDbContext db, CancellationToken ct) =>
        await db.Set<LeadImport>().AsNoTracking().Where(FilterCatalogue.OfferedImports)
            .OrderByDescending(i => i.QueuedAt).ThenByDescending(i => i.Id)
            .Select(i => new FilterImportOption(i.Id, i.FileName, i.QueuedAt, i.Created))
            .ToListAsync(ct);

    private FilterContext ContextFor(string userId) => new(userId, clock.UtcNow, clock.Zone);

    private static IQueryable<SavedFilter> VisibleTo(CrmDbContext db, Actor actor) =>
        db.SavedFilters.Where(f => f.IsShared || f.OwnerUserId == actor.UserId);

    private static bool CanEdit(Actor actor, bool isShared, string ownerUserId) =>
        isShared ? actor.IsAdmin : ownerUserId == actor.UserId;

    private static async Task<SavedFilter> EditableAsync(CrmDbContext db, Actor actor, int id, CancellationToken ct)
    {
        var saved = await VisibleTo(db, actor).SingleOrDefaultAsync(f => f.Id == id, ct) ?? throw new DomainException(NotFoundCode);
        if (!CanEdit(actor, saved.IsShared, saved.OwnerUserId))
        {
            throw new DomainException("auth.admin_only");
        }

        return saved;
    }

    // A saved text that no longer reads (written by a newer version, or damaged) opens as an empty filter rather
    // than failing the page; the list then shows every lead of the other filters, and the builder starts afresh.
    private static Filter ReadSaved(SavedFilter saved) => FilterJson.Read(saved.Json).Filter ?? Filter.Empty;

    // The JSON limits (depth, number of conditions) are checked by reading the written text back.
    private static async Task<string> CheckedJsonAsync(CrmDbContext db, Filter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = FilterJson.Write(filter);
        var read = FilterJson.Read(json);
        if (read.Error is { } problem)
        {
            throw new DomainException(problem);
        }

        if (FilterCheck.Check(filter, await LoadCatalogueAsync(db, ct)).Broken.Count > 0)
        {
            throw new DomainException(ConditionsInvalidCode);
        }

        return json;
    }

    // Unique among the owner's own filters and, for a shared filter, among the shared ones: every chip a user sees
    // of their own, and every shared chip, has a name of its own.
    private static async Task EnsureUniqueNameAsync(CrmDbContext db, SavedFilter saved, CancellationToken ct)
    {
        var taken = await db.SavedFilters.AnyAsync(
            f => f.Id != saved.Id && f.NormalizedName == saved.NormalizedName && (f.OwnerUserId == saved.OwnerUserId || (saved.IsShared && f.IsShared)),
            ct);
        if (taken)
        {
            throw new DomainException("name.duplicate", nameof(SavedFilter.Name));
        }
    }

    private static async Task<string> FreeCopyNameAsync(CrmDbContext db, string ownerUserId, string name, CancellationToken ct)
    {
        var taken = (await db.SavedFilters.Where(f => f.OwnerUserId == ownerUserId).Select(f => f.NormalizedName).ToListAsync(ct)).ToHashSet();
        for (var n = 2; ; n++)
        {
            var suffix = $" ({n})";
            var candidate = (name.Length + suffix.Length > SavedFilter.NameMaxLength ? name[..(SavedFilter.NameMaxLength - suffix.Length)].TrimEnd() : name) + suffix;
            if (!taken.Contains(SavedFilter.Normalize(candidate)))
            {
                return candidate;
            }
        }
    }

    private static async Task SaveAsync(CrmDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(NotFoundCode);
        }
    }
}
