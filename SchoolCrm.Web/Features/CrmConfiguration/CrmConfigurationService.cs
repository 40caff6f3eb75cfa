using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.CrmConfiguration;

/// <summary>
/// A status or task type as the configuration page lists it. <see cref="UsageCount"/> counts the records using it
/// (leads, converted ones included; tasks); <see cref="Color"/> and <see cref="IsDefault"/> are for statuses only.
/// </summary>
public sealed record ConfigurationItem(int Id, string Name, int UsageCount, string? Color = null, bool IsDefault = false);

/// <summary>
/// The admins' lists of lead statuses and task types. Nothing is ever left pointing at a deleted entry:
/// deleting one in use moves its records to another entry in the same transaction.
/// </summary>
public sealed class CrmConfigurationService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    SchoolClock clock,
    ILogger<CrmConfigurationService> logger)
{
    /// <summary>The colours the page offers; any #RRGGBB is accepted.</summary>
    public static readonly IReadOnlyList<string> Palette =
    [
        "#1E88E5", "#00ACC1", "#43A047", "#7CB342", "#FDD835",
        "#FB8C00", "#E53935", "#D81B60", "#8E24AA", "#757575",
    ];

    public async Task<IReadOnlyList<ConfigurationItem>> ListStatusesAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeadStatuses.AsNoTracking()
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Id)
            .Select(s => new ConfigurationItem(s.Id, s.Name, db.Leads.Count(l => l.StatusId == s.Id), s.Color, s.IsDefault))
            .ToListAsync(ct);
    }

    public async Task<int> AddStatusAsync(string name, string? color = null)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var status = new LeadStatus(name, await NextSortOrderAsync(db.LeadStatuses.Select(s => s.SortOrder)), color);

        // Leads always need a default status; a list that somehow has none gets its first one.
        if (!await db.LeadStatuses.AnyAsync(s => s.IsDefault))
        {
            status.SetDefault(true);
        }

        db.LeadStatuses.Add(status);
        await SaveUniquelyNamedAsync(db, () => EnsureUniqueStatusNameAsync(db, status.NormalizedName, exceptId: null));
        return status.Id;
    }

    public async Task RenameStatusAsync(int statusId, string name)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var status = await FindStatusAsync(db, statusId);
        status.Rename(name);
        await SaveUniquelyNamedAsync(db, () => EnsureUniqueStatusNameAsync(db, status.NormalizedName, statusId));
    }

    public async Task ChangeStatusColorAsync(int statusId, string color)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var status = await FindStatusAsync(db, statusId);
        status.ChangeColor(color);
        await db.SaveChangesAsync();
    }

    /// <summary>Makes this status the one new leads get; the previous default stops being one.</summary>
    public async Task SetDefaultStatusAsync(int statusId)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var statuses = await db.LeadStatuses.ToListAsync();
        if (statuses.All(s => s.Id != statusId))
        {
            throw new DomainException("stale");
        }

        foreach (var status in statuses)
        {
            status.SetDefault(status.Id == statusId);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Moves the status one place up (-1) or down (+1); at either end nothing changes.</summary>
    public async Task MoveStatusAsync(int statusId, int direction)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var statuses = await db.LeadStatuses.OrderBy(s => s.SortOrder).ThenBy(s => s.Id).ToListAsync();
        Reorder(statuses, s => s.Id, (s, position) => s.MoveTo(position), statusId, direction);
        await db.SaveChangesAsync();
    }

    /// <summary>How many leads (converted ones included) have the status.</summary>
    public async Task<int> CountLeadsWithStatusAsync(int statusId, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leads.CountAsync(l => l.StatusId == statusId, ct);
    }

    /// <summary>
    /// Deletes a status. Its leads move to <paramref name="moveToStatusId"/> in the same transaction, each with a
    /// history entry; a deleted default hands the default over to that status. The last status cannot go
    /// (leads need one), and a status in use or the default cannot go without a replacement.
    /// </summary>
    public async Task DeleteStatusAsync(int statusId, int? moveToStatusId)
    {
        var actor = await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await LockEntriesAsync<LeadStatus>(db, statusId, moveToStatusId);
        var status = await FindStatusAsync(db, statusId);
        if (!await db.LeadStatuses.AnyAsync(s => s.Id != statusId))
        {
            throw new DomainException("status.last");
        }

        LeadStatus? target = null;
        if (moveToStatusId is { } targetId)
        {
            if (targetId == statusId)
            {
                throw new DomainException("configuration.move_to_self", "MoveTo");
            }

            target = await db.LeadStatuses.SingleOrDefaultAsync(s => s.Id == targetId)
                ?? throw new DomainException("stale", "MoveTo");
        }

        var leadIds = await db.Leads.Where(l => l.StatusId == statusId).Select(l => l.Id).ToListAsync();
        if (target is null && leadIds.Count > 0)
        {
            throw new DomainException("configuration.in_use", "MoveTo");
        }

        if (target is null && status.IsDefault)
        {
            throw new DomainException("status.default_needs_replacement", "MoveTo");
        }

        if (target is not null)
        {
            var now = clock.UtcNow;
            var newVersion = Guid.NewGuid();
            // StatusId == id rather than the ids read above: even a lead added meanwhile must not keep the status.
            await db.Leads.Where(l => l.StatusId == statusId).ExecuteUpdateAsync(set => set
                .SetProperty(l => l.StatusId, target.Id)
                .SetProperty(l => l.UpdatedAt, now)
                .SetProperty(l => l.UpdatedByUserId, actor.UserId)
                .SetProperty(l => l.Version, newVersion));
            var change = new FieldChange(nameof(Lead.StatusId), FieldChange.Format(statusId), FieldChange.Format(target.Id));
            db.History.AddRange(leadIds.Select(id => HistoryEntry.ForLead(id, change, actor.UserId, now)));
            if (status.IsDefault)
            {
                target.SetDefault(true);
            }
        }

        db.LeadStatuses.Remove(status);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        logger.LogInformation("Lead status {StatusId} deleted; {LeadCount} leads moved to {TargetId}", statusId, leadIds.Count, target?.Id);
    }

    public async Task<IReadOnlyList<ConfigurationItem>> ListTaskTypesAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TaskTypes.AsNoTracking()
            .OrderBy(t => t.SortOrder).ThenBy(t => t.Id)
            .Select(t => new ConfigurationItem(t.Id, t.Name, db.Tasks.Count(task => task.TaskTypeId == t.Id)))
            .ToListAsync(ct);
    }

    public async Task<int> AddTaskTypeAsync(string name)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var type = new TaskType(name, await NextSortOrderAsync(db.TaskTypes.Select(t => t.SortOrder)));
        db.TaskTypes.Add(type);
        await SaveUniquelyNamedAsync(db, () => EnsureUniqueTaskTypeNameAsync(db, type.NormalizedName, exceptId: null));
        return type.Id;
    }

    public async Task RenameTaskTypeAsync(int taskTypeId, string name)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var type = await FindTaskTypeAsync(db, taskTypeId);
        type.Rename(name);
        await SaveUniquelyNamedAsync(db, () => EnsureUniqueTaskTypeNameAsync(db, type.NormalizedName, taskTypeId));
    }

    /// <summary>Moves the task type one place up (-1) or down (+1); at either end nothing changes.</summary>
    public async Task MoveTaskTypeAsync(int taskTypeId, int direction)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var types = await db.TaskTypes.OrderBy(t => t.SortOrder).ThenBy(t => t.Id).ToListAsync();
        Reorder(types, t => t.Id, (t, position) => t.MoveTo(position), taskTypeId, direction);
        await db.SaveChangesAsync();
    }

    /// <summary>How many tasks have the type.</summary>
    public async Task<int> CountTasksWithTypeAsync(int taskTypeId, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await FindTaskTypeAsync(db, taskTypeId, ct);
        return await db.Tasks.CountAsync(t => t.TaskTypeId == taskTypeId, ct);
    }

    /// <summary>
    /// Deletes a task type; its tasks move to <paramref name="moveToTaskTypeId"/> in the same transaction, those of
    /// a lead or student with a line in its history. The last task type cannot go (a task needs one), and one in use
    /// cannot go without a replacement.
    /// </summary>
    public async Task DeleteTaskTypeAsync(int taskTypeId, int? moveToTaskTypeId)
    {
        var actor = await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await LockEntriesAsync<TaskType>(db, taskTypeId, moveToTaskTypeId);
        var type = await FindTaskTypeAsync(db, taskTypeId);
        if (!await db.TaskTypes.AnyAsync(t => t.Id != taskTypeId))
        {
            throw new DomainException("tasktype.last");
        }

        if (moveToTaskTypeId is { } targetId)
        {
            if (targetId == taskTypeId)
            {
                throw new DomainException("configuration.move_to_self", "MoveTo");
            }

            if (!await db.TaskTypes.AnyAsync(t => t.Id == targetId))
            {
                throw new DomainException("stale", "MoveTo");
            }
        }

        var tasks = await db.Tasks.Where(t => t.TaskTypeId == taskTypeId)
            .Select(t => new { t.LeadId, t.StudentId, t.Title })
            .ToListAsync();
        if (moveToTaskTypeId is null && tasks.Count > 0)
        {
            throw new DomainException("configuration.in_use", "MoveTo");
        }

        if (moveToTaskTypeId is { } moveTo)
        {
            var now = clock.UtcNow;
            var newVersion = Guid.NewGuid();
            // TaskTypeId == id rather than the rows read above: even a task added meanwhile must not keep the type.
            await db.Tasks.Where(t => t.TaskTypeId == taskTypeId).ExecuteUpdateAsync(set => set
                .SetProperty(t => t.TaskTypeId, moveTo)
                .SetProperty(t => t.UpdatedAt, now)
                .SetProperty(t => t.UpdatedByUserId, actor.UserId)
                .SetProperty(t => t.Version, newVersion));
            foreach (var task in tasks)
            {
                TaskHistory.Add(db, task.LeadId, task.StudentId, TaskHistory.TaskChanged, null, task.Title, actor.UserId, now);
            }
        }

        db.TaskTypes.Remove(type);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        logger.LogInformation("Task type {TaskTypeId} deleted; {TaskCount} tasks moved to {TargetId}", taskTypeId, tasks.Count, moveToTaskTypeId);
    }

    /// <summary>
    /// Holds the entry being deleted and the one its records move to until the delete commits, so a lead or task
    /// that takes either of them meanwhile (on another connection) is either seen by the delete's reads and moved
    /// or counted as "in use", or waits and is then refused because the entry is gone; never left pointing at a
    /// deleted row. In id order, so two deletes moving records to each other's entry wait instead of deadlocking.
    /// </summary>
    private static async Task LockEntriesAsync<TEntry>(CrmDbContext db, int deletedId, int? moveToId)
        where TEntry : class
    {
        foreach (var id in new[] { deletedId, moveToId ?? deletedId }.Distinct().Order())
        {
            await db.LockForUpdateAsync<TEntry>(id, CancellationToken.None);
        }
    }

    private static async Task<int> NextSortOrderAsync(IQueryable<int> sortOrders) =>
        await sortOrders.AnyAsync() ? await sortOrders.MaxAsync() + 1 : 0;

    /// <summary>Swaps the chosen entry with its neighbour and numbers them all 0..n-1 (no gaps, no ties).</summary>
    private static void Reorder<T>(List<T> ordered, Func<T, int> id, Action<T, int> moveTo, int movedId, int direction)
    {
        var index = ordered.FindIndex(e => id(e) == movedId);
        if (index < 0)
        {
            throw new DomainException("stale");
        }

        var other = index + Math.Sign(direction);
        if (other >= 0 && other < ordered.Count)
        {
            (ordered[index], ordered[other]) = (ordered[other], ordered[index]);
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            moveTo(ordered[i], i);
        }
    }

    private static async Task<LeadStatus> FindStatusAsync(CrmDbContext db, int statusId) =>
        await db.LeadStatuses.SingleOrDefaultAsync(s => s.Id == statusId) ?? throw new DomainException("stale");

    private static async Task<TaskType> FindTaskTypeAsync(CrmDbContext db, int taskTypeId, CancellationToken ct = default) =>
        await db.TaskTypes.SingleOrDefaultAsync(t => t.Id == taskTypeId, ct) ?? throw new DomainException("stale");

    private static async Task EnsureUniqueStatusNameAsync(CrmDbContext db, string normalizedName, int? exceptId)
    {
        if (await db.LeadStatuses.AnyAsync(s => s.NormalizedName == normalizedName && s.Id != exceptId))
        {
            throw new DomainException("name.duplicate", "Name");
        }
    }

    private static async Task EnsureUniqueTaskTypeNameAsync(CrmDbContext db, string normalizedName, int? exceptId)
    {
        if (await db.TaskTypes.AnyAsync(t => t.NormalizedName == normalizedName && t.Id != exceptId))
        {
            throw new DomainException("name.duplicate", "Name");
        }
    }

    /// <summary>
    /// Checks the name is free, then saves. When the unique index refuses it anyway (another admin saved the same
    /// name a moment ago) the check runs again, so the user reads "name.duplicate" instead of an unexpected error.
    /// </summary>
    private static async Task SaveUniquelyNamedAsync(CrmDbContext db, Func<Task> ensureUnique)
    {
        await ensureUnique();
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            await ensureUnique();
            throw;
        }
    }
}
