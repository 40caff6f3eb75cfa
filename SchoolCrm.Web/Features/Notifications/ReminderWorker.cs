using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>Settings of the reminder worker (section <c>Reminders</c>).</summary>
public sealed class ReminderOptions
{
    /// <summary>
    /// How often the worker looks at the schedule when nothing in this process woke it: the bound on how late a
    /// reminder is that another app instance scheduled while this one sleeps. Also the wait after a failed round.
    /// </summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>How many reminders one transaction claims and delivers.</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Delivers every due reminder exactly once: at start (what fell due while the app was down goes out then, marked
/// late with its original time), at each reminder's time, and whenever a save in this process changes the schedule.
/// Each reminder is claimed with a conditional update (<c>DeliveredAt IS NULL</c>) in the same transaction that
/// stores its notification, so with several app instances on one database only the one whose update changed the row
/// delivers it, and a failure rolls back both the claim and the notification. The popup is signalled after the commit.
/// </summary>
public sealed class ReminderWorker(
    IServiceScopeFactory scopes,
    ReminderWakeUp wakeUp,
    TimeProvider time,
    IOptions<ReminderOptions> options,
    ILogger<ReminderWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var wakeAt = time.GetUtcNow() + poll;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var delivery = scope.ServiceProvider.GetRequiredService<ReminderDelivery>();
                while (await delivery.DeliverDueAsync(options.Value.BatchSize, stoppingToken) > 0)
                {
                }

                if (await delivery.NextDueAsync(stoppingToken) is { } next && new DateTimeOffset(next, TimeSpan.Zero) < wakeAt)
                {
                    wakeAt = new DateTimeOffset(next, TimeSpan.Zero);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A busy or failing database: nothing was claimed that did not commit; try again at the next poll.
                logger.LogError(ex, "Delivering due reminders failed; trying again in {Seconds} s", poll.TotalSeconds);
            }

            try
            {
                await wakeUp.WaitAsync(wakeAt, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>One round of the <see cref="ReminderWorker"/>: claims and delivers a batch of due reminders.</summary>
public sealed class ReminderDelivery(IDbContextFactory<CrmDbContext> dbFactory, NotificationSender sender, SchoolClock clock, ILogger<ReminderDelivery> logger)
{
    /// <summary>Delivers up to <paramref name="batchSize"/> due reminders; returns how many were looked at (0: none due).</summary>
    public async Task<int> DeliverDueAsync(int batchSize, CancellationToken ct)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.ScheduledReminders.AsNoTracking()
            .Where(r => r.DeliveredAt == null && r.DueUtc <= now)
            // One order for every instance, ties included: two instances claiming the same rows then lock them in the
            // same order and one waits for the other, where on PostgreSQL different orders deadlocked.
            .OrderBy(r => r.DueUtc).ThenBy(r => r.TaskId)
            .Select(r => new { r.TaskId, r.DueUtc })
            .Take(batchSize)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var signals = new List<PendingSignal>();
        var claimed = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var reminder in due)
            {
                // The claim: only one caller, in any process, changes this row; the others see 0 and move on. The due
                // time is part of it, so a reminder rescheduled meanwhile waits for its new time.
                var won = await db.ScheduledReminders
                    .Where(r => r.TaskId == reminder.TaskId && r.DeliveredAt == null && r.DueUtc == reminder.DueUtc)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.DeliveredAt, now), ct);
                if (won == 0)
                {
                    continue;
                }

                claimed++;
                var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == reminder.TaskId && t.CompletedAt == null, ct);
                // A disabled assignee gets nothing: the sender returns null and the claim still stands.
                var signal = task is null
                    ? null
                    : await sender.AddAboutTaskAsync(db, task.AssignedToUserId, NotificationKind.TaskReminder, task, reminder.DueUtc, ct);
                if (signal is not null)
                {
                    signals.Add(signal);
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        foreach (var signal in signals)
        {
            await sender.SignalAsync(signal, ct);
        }

        if (claimed > 0)
        {
            var late = signals.Count(s => s.Notification.IsLate);
            logger.LogInformation("Delivered {Count} reminders ({Late} late), {Claimed} claimed", signals.Count, late, claimed);
        }

        return due.Count;
    }

    /// <summary>When the next waiting reminder falls due; null when none waits.</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScheduledReminders.AsNoTracking()
            .Where(r => r.DeliveredAt == null)
            .OrderBy(r => r.DueUtc)
            .Select(r => (DateTime?)r.DueUtc)
            .FirstOrDefaultAsync(ct);
    }
}
