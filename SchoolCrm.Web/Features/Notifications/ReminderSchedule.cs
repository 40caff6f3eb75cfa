using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>
/// Keeps a task's schedule row in step with the task, in the caller's context (saved with the task's change):
/// a new deadline or reminder choice reschedules, done cancels, reopening schedules again; a deleted task's row
/// goes with it (cascade). The assignee is read when the reminder goes out, so a reassignment needs no change here.
/// </summary>
public static class ReminderSchedule
{
    /// <summary>Returns true when the schedule changed (the worker should look again).</summary>
    public static async Task<bool> SyncAsync(CrmDbContext db, CrmTask task, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(task);
        var row = await db.ScheduledReminders.FirstOrDefaultAsync(r => r.TaskId == task.Id, ct);
        var due = task.IsDone ? null : task.ReminderDueUtc;
        if (row is not null && row.DueUtc == due)
        {
            // Same time: a waiting reminder keeps waiting (also one overdue while the app was down), a sent one stays sent.
            return false;
        }

        // A reminder time that has already passed when it is set (a deadline 10 minutes away with "1 hour before",
        // reopening an old task) is not sent: the user is looking at the task right now.
        if (due is null || due <= nowUtc)
        {
            if (row is null)
            {
                return false;
            }

            db.ScheduledReminders.Remove(row);
            return true;
        }

        if (row is null)
        {
            db.ScheduledReminders.Add(ScheduledReminder.For(task.Id, due.Value));
        }
        else
        {
            row.Reschedule(due.Value);
        }

        return true;
    }
}
