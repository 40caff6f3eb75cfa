using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>The signed-in user's own notifications: the bell's count and list, reading one, marking read.</summary>
public sealed class NotificationService(IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser, SchoolClock clock)
{
    public const int PageSize = 20;

    /// <summary>Newest first; <paramref name="beforeId"/> pages on from the last one shown.</summary>
    public async Task<NotificationPage> ListAsync(long? beforeId = null, int take = PageSize, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        take = Math.Clamp(take, 1, 100);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = db.Notifications.Where(n => n.UserId == actor.UserId);
        if (beforeId is { } before)
        {
            mine = mine.Where(n => n.Id < before);
        }

        var items = await Items(mine.OrderByDescending(n => n.Id).Take(take + 1)).ToListAsync(ct);
        var unread = await CountUnreadAsync(db, actor.UserId, ct);
        return new NotificationPage(items.Take(take).ToList(), unread, items.Count > take);
    }

    /// <summary>What came after <paramref name="afterId"/> (a tab catching up after a reconnect), oldest first.</summary>
    public async Task<IReadOnlyList<NotificationItem>> ListAfterAsync(long afterId, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db.Notifications.Where(n => n.UserId == actor.UserId && n.Id > afterId).OrderBy(n => n.Id).Take(100)).ToListAsync(ct);
    }

    /// <summary>One of the user's notifications; null when it is someone else's or gone.</summary>
    public async Task<NotificationItem?> GetAsync(long id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db.Notifications.Where(n => n.Id == id && n.UserId == actor.UserId)).FirstOrDefaultAsync(ct);
    }

    public async Task<int> CountUnreadAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CountUnreadAsync(db, actor.UserId, ct);
    }

    public async Task MarkReadAsync(long id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Notifications.Where(n => n.Id == id && n.UserId == actor.UserId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    public async Task MarkAllReadAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Notifications.Where(n => n.UserId == actor.UserId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    /// <summary>How the user hears of assignments and of reminders (the profile's choices).</summary>
    public async Task<NotificationDeliveryChoice> GetDeliveryAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
            .Select(u => new NotificationDeliveryChoice(u.AssignmentDelivery, u.ReminderDelivery))
            .FirstAsync(ct);
    }

    /// <summary>Saves the user's own choices; every notification is stored and listed under the bell whatever they are.</summary>
    public async Task SetDeliveryAsync(NotificationDeliveryChoice choice, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (!Enum.IsDefined(choice.Assignment) || !Enum.IsDefined(choice.Reminder))
        {
            throw new DomainException("notification.delivery_unknown");
        }

        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == actor.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AssignmentDelivery, choice.Assignment).SetProperty(u => u.ReminderDelivery, choice.Reminder), ct);
    }

    private static Task<int> CountUnreadAsync(CrmDbContext db, string userId, CancellationToken ct) =>
        db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);

    private static IQueryable<NotificationItem> Items(IQueryable<Notification> notifications) =>
        notifications.AsNoTracking().Select(n => new NotificationItem(
            n.Id, n.Kind, n.TaskId, n.TaskTitle, n.TaskTypeName, n.LeadName, n.DeadlineUtc, n.DueUtc, n.CreatedAt, n.ReadAt != null));
}
