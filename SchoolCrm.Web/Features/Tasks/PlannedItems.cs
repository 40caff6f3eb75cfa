using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>
/// The rules <see cref="TaskService"/> and <see cref="EventService"/> share, written once: whose items may be read,
/// who may be chosen, which lead takes new items, and loading, saving and deleting one item with its record's
/// history. <c>kind</c> ("task" or "event") prefixes the error codes: "task.not_found", "event.conflict".
/// </summary>
internal static class PlannedItems
{
    /// <summary>The operator whose items are read: the current one, or (admins only) another.</summary>
    public static string OwnerFor(Actor actor, string? userId)
    {
        if (userId is null || userId == actor.UserId)
        {
            return actor.UserId;
        }

        return actor.IsAdmin ? userId : throw new DomainException("auth.admin_only");
    }

    /// <summary>A converted lead takes no new tasks or events (its existing ones moved to the student).</summary>
    public static async Task EnsureOpenLeadAsync(CrmDbContext db, int leadId, CancellationToken ct)
    {
        var state = await db.Leads.Where(l => l.Id == leadId).Select(l => new { l.ConvertedAt }).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("lead.not_found");
        if (state.ConvertedAt is not null)
        {
            throw new DomainException("lead.already_converted");
        }
    }

    /// <summary>Only an active operator may be chosen as assignee (or participant).</summary>
    public static async Task EnsureAssignableAsync(CrmDbContext db, string userId, CancellationToken ct, string field = nameof(TaskInput.AssigneeUserId))
    {
        if (string.IsNullOrWhiteSpace(userId) || !await db.Users.AnyAsync(u => u.Id == userId && !u.IsDisabled, ct))
        {
            throw new DomainException("task.assignee_missing", field);
        }
    }

    /// <summary>The item to change, tracked; with <paramref name="expectedVersion"/>, a form loaded before someone else saved is refused.</summary>
    public static async Task<T> LoadAsync<T>(IQueryable<T> items, int id, Guid? expectedVersion, string kind, CancellationToken ct)
        where T : class, IPlannedItem
    {
        var item = await items.FirstOrDefaultAsync(i => i.Id == id, ct) ?? throw new DomainException(kind + ".not_found");
        if (expectedVersion is { } version && item.Version != version)
        {
            throw new DomainException(kind + ".conflict");
        }

        return item;
    }

    /// <summary>Saves; a save that lost the race against another one (the version moved on) becomes "kind.conflict".</summary>
    public static async Task SaveAsync(CrmDbContext db, ILogger logger, string kind, int id, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("{Kind} {Id}: a save lost the race against another one", kind, id);
            throw new DomainException(kind + ".conflict");
        }
    }

    /// <summary>Deletes the item if <paramref name="actor"/> may; its record's history keeps a line that it was deleted.</summary>
    public static async Task DeleteAsync<T>(CrmDbContext db, int id, Actor actor, DateTime nowUtc, string kind, string historyField, ILogger logger, CancellationToken ct)
        where T : class, IPlannedItem
    {
        var item = await LoadAsync(db.Set<T>(), id, expectedVersion: null, kind, ct);
        item.RequireDeleter(actor.UserId, actor.IsAdmin);
        AddHistory(db, item, historyField, null, actor, nowUtc);
        db.Remove(item);
        await SaveAsync(db, logger, kind, id, ct);
        logger.LogInformation("{Kind} {Id} deleted by {UserId}", kind, id, actor.UserId);
    }

    public static void AddHistory(CrmDbContext db, IPlannedItem item, string field, string? oldValue, Actor actor, DateTime nowUtc) =>
        TaskHistory.Add(db, item.LeadId, item.StudentId, field, oldValue, item.Title, actor.UserId, nowUtc);

    /// <summary>The lead's name only: lists and the calendar feed show no other personal data.</summary>
    public static string? LeadName(int? leadId, string? firstName, string? lastName) =>
        leadId is null ? null : string.Join(" ", new[] { firstName, lastName }.Where(n => !string.IsNullOrEmpty(n)));
}
