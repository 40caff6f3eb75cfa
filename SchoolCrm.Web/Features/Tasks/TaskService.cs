using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>
/// Tasks: create (with or without a lead), edit, reassign, complete, reopen, delete, and the lists of "My tasks",
/// a lead's or student's page and the calendar. Anyone signed in creates; the assignee, the creator and admins edit
/// and complete; the creator and admins delete; only admins look at another operator's tasks. Every change to a
/// task of a lead (or student) writes a line into that record's history.
/// </summary>
public sealed class TaskService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    SchoolClock clock,
    IOptions<TaskOptions> options,
    NotificationSender notifications,
    ReminderWakeUp reminders,
    ILogger<TaskService> logger)
{
    /// <summary>The Done section counts up to this many; the page shows "1000+" beyond.</summary>
    public const int DoneCountLimit = 1000;

    /// <summary>The prefix of this service's error codes ("task.not_found", "task.conflict").</summary>
    private const string Kind = "task";

    public async Task<TaskFormOptions> GetFormOptionsAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var types = await db.TaskTypes.AsNoTracking()
            .OrderBy(t => t.SortOrder).ThenBy(t => t.Id)
            .Select(t => new TaskTypeOption(t.Id, t.Name))
            .ToListAsync(ct);
        var assignees = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled)
            .OrderBy(u => u.DisplayName)
            .Select(u => new AssignableUser(u.Id, u.DisplayName))
            .ToListAsync(ct);
        return new TaskFormOptions(types, assignees, actor.UserId, options.Value.DefaultReminder, clock.Today);
    }

    public async Task<int> CreateAsync(TaskInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actor = await currentUser.GetAsync();
        var content = Content(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (input.LeadId is { } leadId)
        {
            await PlannedItems.EnsureOpenLeadAsync(db, leadId, ct);
        }

        await EnsureTaskTypeAsync(db, content.TaskTypeId, ct);
        await PlannedItems.EnsureAssignableAsync(db, input.AssigneeUserId, ct);
        var now = clock.UtcNow;
        var task = CrmTask.Create(input.LeadId, content, input.AssigneeUserId, actor.UserId, now, clock.Zone);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Tasks.Add(task);
        AddHistory(db, task, TaskHistory.TaskCreated, null, actor, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The task type was deleted since the check above (the database's foreign key refused the task).
            await transaction.RollbackAsync(ct);
            await ThrowIfTaskTypeGoneAsync(db, task.TaskTypeId, ct);
            throw;
        }

        var signal = task.NotifyAssignee && task.AssignedToUserId != actor.UserId
            ? await notifications.AddAboutTaskAsync(db, task.AssignedToUserId, NotificationKind.TaskAssigned, task, ct: ct)
            : null;
        var scheduled = await ReminderSchedule.SyncAsync(db, task, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        WakeRemindersIf(scheduled);
        await notifications.SignalAsync(signal, ct);
        logger.LogInformation("Task {TaskId} created by {UserId} for {AssigneeId}", task.Id, actor.UserId, task.AssignedToUserId);
        return task.Id;
    }

    /// <summary>
    /// Saves the edit form, reassignment included. <paramref name="version"/> is the one the form was loaded with:
    /// when someone saved in between, nothing is written and "task.conflict" is thrown. Returns the new version.
    /// </summary>
    public async Task<Guid> UpdateAsync(int id, Guid version, TaskInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actor = await currentUser.GetAsync();
        var content = Content(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await LoadAsync(db, id, version, ct);
        if (content.TaskTypeId != task.TaskTypeId)
        {
            await EnsureTaskTypeAsync(db, content.TaskTypeId, ct);
        }

        // Keeping a task with an operator who was disabled meanwhile is fine; choosing one is not.
        if (input.AssigneeUserId != task.AssignedToUserId)
        {
            await PlannedItems.EnsureAssignableAsync(db, input.AssigneeUserId, ct);
        }

        var now = clock.UtcNow;
        var oldTitle = task.Title;
        if (task.Edit(content, actor.UserId, actor.IsAdmin, now, clock.Zone))
        {
            AddHistory(db, task, TaskHistory.TaskChanged, oldTitle == task.Title ? null : oldTitle, actor, now);
        }

        var previousAssignee = task.AssignedToUserId;
        var signals = new List<PendingSignal?>();
        if (task.AssignTo(input.AssigneeUserId, actor.UserId, actor.IsAdmin, now))
        {
            AddHistory(db, task, TaskHistory.TaskReassigned, null, actor, now);
            signals = await AddReassignmentNotificationsAsync(db, task, previousAssignee, actor, ct);
        }

        await SaveAsync(db, task, ct);
        await SignalAsync(signals, ct);
        return task.Version;
    }

    /// <summary>Hands the task to another active operator (the admin's "open tasks of disabled users").</summary>
    public async Task AssignAsync(int id, string assigneeUserId, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await LoadAsync(db, id, expectedVersion: null, ct);
        if (assigneeUserId != task.AssignedToUserId)
        {
            await PlannedItems.EnsureAssignableAsync(db, assigneeUserId, ct);
        }

        var now = clock.UtcNow;
        var previousAssignee = task.AssignedToUserId;
        if (task.AssignTo(assigneeUserId, actor.UserId, actor.IsAdmin, now))
        {
            AddHistory(db, task, TaskHistory.TaskReassigned, null, actor, now);
            var signals = await AddReassignmentNotificationsAsync(db, task, previousAssignee, actor, ct);
            await SaveAsync(db, task, ct);
            await SignalAsync(signals, ct);
        }
    }

    /// <summary>
    /// With "immediate notification" a reassignment tells the new assignee (a popup) and the previous one (listed
    /// only); nobody is notified of their own action.
    /// </summary>
    private async Task<List<PendingSignal?>> AddReassignmentNotificationsAsync(CrmDbContext db, CrmTask task, string previousAssignee, Actor actor, CancellationToken ct)
    {
        var signals = new List<PendingSignal?>();
        if (!task.NotifyAssignee)
        {
            return signals;
        }

        if (task.AssignedToUserId != actor.UserId)
        {
            signals.Add(await notifications.AddAboutTaskAsync(db, task.AssignedToUserId, NotificationKind.TaskAssigned, task, ct: ct));
        }

        if (previousAssignee != actor.UserId)
        {
            signals.Add(await notifications.AddAboutTaskAsync(db, previousAssignee, NotificationKind.TaskUnassigned, task, ct: ct));
        }

        return signals;
    }

    private async Task SignalAsync(List<PendingSignal?> signals, CancellationToken ct)
    {
        foreach (var signal in signals)
        {
            await notifications.SignalAsync(signal, ct);
        }
    }

    /// <summary>Marks the task done by the current user, now. Done already: nothing changes.</summary>
    public Task CompleteAsync(int id, CancellationToken ct = default) =>
        ChangeStateAsync(id, (task, actor, now) => task.Complete(actor.UserId, actor.IsAdmin, now), TaskHistory.TaskCompleted, ct);

    /// <summary>Opens a done task again (also the undo of a quick "done").</summary>
    public Task ReopenAsync(int id, CancellationToken ct = default) =>
        ChangeStateAsync(id, (task, actor, now) => task.Reopen(actor.UserId, actor.IsAdmin, now), TaskHistory.TaskReopened, ct);

    /// <summary>Deletes the task; its lead's history keeps a line that it was deleted.</summary>
    public async Task DeleteAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await PlannedItems.DeleteAsync<CrmTask>(db, id, actor, clock.UtcNow, Kind, TaskHistory.TaskDeleted, logger, ct);
    }

    public async Task<TaskDetails?> GetAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await Items(db, db.Tasks.Where(t => t.Id == id), actor).FirstOrDefaultAsync(ct);
        if (item is null)
        {
            return null;
        }

        var rest = await db.Tasks.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new
            {
                t.Description,
                t.NotifyAssignee,
                t.Reminder,
                t.CreatedAt,
                CreatedByName = db.Users.Where(u => u.Id == t.CreatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstAsync(ct);
        var local = clock.ToSchoolTime(item.DeadlineUtc);
        return new TaskDetails(item, rest.Description, rest.NotifyAssignee, rest.Reminder, rest.CreatedAt, rest.CreatedByName ?? "",
            DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    /// <summary>The sections' sizes for "My tasks" of the user (null: me; another operator: admins only).</summary>
    public async Task<TaskBucketCounts> CountBucketsAsync(string? userId = null, int? taskTypeId = null, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var owner = PlannedItems.OwnerFor(actor, userId);
        var bounds = Bounds();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = Filtered(db, owner, taskTypeId);
        async Task<int> OpenCount(TaskBucket bucket) => await InBucket(mine, bounds, bucket).CountAsync(ct);
        var overdue = await OpenCount(TaskBucket.Overdue);
        var today = await OpenCount(TaskBucket.Today);
        var week = await OpenCount(TaskBucket.ThisWeek);
        var later = await OpenCount(TaskBucket.Later);
        var done = await mine.Where(t => t.CompletedAt != null).Take(DoneCountLimit).CountAsync(ct);
        return new TaskBucketCounts(overdue, today, week, later, done);
    }

    /// <summary>One page of a section: open ones by deadline (earliest first), done ones by completion (latest first).</summary>
    public async Task<IReadOnlyList<TaskItem>> ListBucketAsync(TaskListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var actor = await currentUser.GetAsync();
        var owner = PlannedItems.OwnerFor(actor, query.UserId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ordered = Ordered(InBucket(Filtered(db, owner, query.TaskTypeId), Bounds(), query.Bucket), query.Bucket);
        return await Items(db, ordered.Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 500)), actor).ToListAsync(ct);
    }

    /// <summary>A section's order: open ones by deadline (earliest first), done ones by completion (latest first).</summary>
    internal static IOrderedQueryable<CrmTask> Ordered(IQueryable<CrmTask> tasks, TaskBucket bucket) =>
        bucket == TaskBucket.Done
            ? tasks.OrderByDescending(t => t.CompletedAt).ThenByDescending(t => t.Id)
            : tasks.OrderBy(t => t.DeadlineUtc).ThenBy(t => t.Id);

    /// <summary>Which section a task is in now, for the current user's culture (its first day of the week).</summary>
    public TaskBucket BucketOf(TaskItem task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Bounds().Of(task.DeadlineUtc, task.IsDone);
    }

    /// <summary>A lead's tasks: open ones by deadline first, then done ones.</summary>
    public async Task<IReadOnlyList<TaskItem>> ListForLeadAsync(int leadId, CancellationToken ct = default) =>
        await ListForRecordAsync(db => db.Tasks.Where(t => t.LeadId == leadId), ct);

    /// <summary>A student's tasks (those of the lead it was converted from included).</summary>
    public async Task<IReadOnlyList<TaskItem>> ListForStudentAsync(int studentId, CancellationToken ct = default) =>
        await ListForRecordAsync(db => db.Tasks.Where(t => t.StudentId == studentId), ct);

    /// <summary>The user's tasks, done or not, with a deadline in [from, to): the calendar's tasks.</summary>
    public async Task<IReadOnlyList<TaskItem>> ListInRangeAsync(string? userId, DateTime fromUtc, DateTime toUtc, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var owner = PlannedItems.OwnerFor(actor, userId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db, InRange(db, owner, fromUtc, toUtc), actor).ToListAsync(ct);
    }

    /// <summary>The calendar's tasks of <paramref name="owner"/>: one range of IX_Tasks_Calendar, in deadline order.</summary>
    internal static IOrderedQueryable<CrmTask> InRange(CrmDbContext db, string owner, DateTime fromUtc, DateTime toUtc) =>
        db.Tasks.Where(t => t.AssignedToUserId == owner && t.DeadlineUtc >= fromUtc && t.DeadlineUtc < toUtc)
            .OrderBy(t => t.DeadlineUtc).ThenBy(t => t.Id);

    /// <summary>Admins: the open tasks of disabled operators, to hand them to someone active.</summary>
    public async Task<IReadOnlyList<TaskItem>> ListOpenOfDisabledUsersAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db, OpenOfDisabledUsers(db), actor).ToListAsync(ct);
    }

    /// <summary>
    /// Each disabled operator's open tasks from IX_Tasks_MyTasks. Written as IN, not EXISTS: with EXISTS SQLite read
    /// every task of the CRM to check its assignee (about 50 ms of CPU at 1M tasks, docs/benchmarks.md).
    /// </summary>
    internal static IOrderedQueryable<CrmTask> OpenOfDisabledUsers(CrmDbContext db) =>
        db.Tasks
            .Where(t => t.CompletedAt == null && db.Users.Where(u => u.IsDisabled).Select(u => u.Id).Contains(t.AssignedToUserId))
            .OrderBy(t => t.DeadlineUtc).ThenBy(t => t.Id);

    private async Task<IReadOnlyList<TaskItem>> ListForRecordAsync(Func<CrmDbContext, IQueryable<CrmTask>> pick, CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db, RecordOrder(pick(db)), actor).ToListAsync(ct);
    }

    /// <summary>A lead's or student's tasks: open ones by deadline first, then done ones.</summary>
    internal static IOrderedQueryable<CrmTask> RecordOrder(IQueryable<CrmTask> tasks) =>
        tasks.OrderBy(t => t.CompletedAt != null).ThenBy(t => t.DeadlineUtc).ThenBy(t => t.Id);

    private async Task ChangeStateAsync(int id, Func<CrmTask, Actor, DateTime, bool> change, string historyField, CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await LoadAsync(db, id, expectedVersion: null, ct);
        var now = clock.UtcNow;
        if (change(task, actor, now))
        {
            AddHistory(db, task, historyField, null, actor, now);
            await SaveAsync(db, task, ct);
        }
    }

    private TaskContent Content(TaskInput input) =>
        new TaskContent(
            input.TaskTypeId,
            input.Title,
            input.Description,
            clock.ToUtc(input.DeadlineDate, input.DeadlineTime, "Deadline"),
            input.NotifyAssignee,
            input.Reminder).Cleaned();

    private TaskBucketBounds Bounds() =>
        TaskBucketBounds.At(clock.UtcNow, clock.Zone, CultureInfo.CurrentCulture.DateTimeFormat.FirstDayOfWeek);

    internal static IQueryable<CrmTask> Filtered(CrmDbContext db, string owner, int? taskTypeId)
    {
        var tasks = db.Tasks.Where(t => t.AssignedToUserId == owner);
        // "+ 0" keeps SQLite off IX_Tasks_TaskTypeId (all tasks of the type, of everyone): a database whose tasks were
        // written after its last ANALYZE has no statistics for them, and then SQLite chose that index over the
        // operator's few open tasks in IX_Tasks_MyTasks (QueryPlanTests, docs/benchmarks.md "Tasks and events").
        return taskTypeId is { } typeId ? tasks.Where(t => t.TaskTypeId + 0 == typeId) : tasks;
    }

    internal static IQueryable<CrmTask> InBucket(IQueryable<CrmTask> tasks, TaskBucketBounds bounds, TaskBucket bucket)
    {
        if (bucket == TaskBucket.Done)
        {
            return tasks.Where(t => t.CompletedAt != null);
        }

        var (from, to) = bounds.Range(bucket);
        var open = tasks.Where(t => t.CompletedAt == null);
        if (from is { } start)
        {
            open = open.Where(t => t.DeadlineUtc >= start);
        }

        return to is { } end ? open.Where(t => t.DeadlineUtc < end) : open;
    }

    /// <summary>The list projection: names read in the same statement, rights worked out for <paramref name="actor"/>.</summary>
    internal static IQueryable<TaskItem> Items(CrmDbContext db, IQueryable<CrmTask> tasks, Actor actor) =>
        tasks.AsNoTracking().Select(t => new TaskItem(
            t.Id,
            t.Title,
            t.TaskTypeId,
            db.TaskTypes.Where(y => y.Id == t.TaskTypeId).Select(y => y.Name).FirstOrDefault() ?? "",
            t.DeadlineUtc,
            t.AssignedToUserId,
            db.Users.Where(u => u.Id == t.AssignedToUserId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
            db.Users.Any(u => u.Id == t.AssignedToUserId && u.IsDisabled),
            t.LeadId,
            t.StudentId,
            db.Leads.Where(l => l.Id == t.LeadId).Select(l => l.FirstName).FirstOrDefault(),
            db.Leads.Where(l => l.Id == t.LeadId).Select(l => l.LastName).FirstOrDefault(),
            t.CompletedAt,
            db.Users.Where(u => u.Id == t.CompletedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            actor.IsAdmin || t.AssignedToUserId == actor.UserId || t.CreatedByUserId == actor.UserId,
            actor.IsAdmin || t.CreatedByUserId == actor.UserId,
            t.Version));

    private static void AddHistory(CrmDbContext db, CrmTask task, string field, string? oldValue, Actor actor, DateTime now) =>
        PlannedItems.AddHistory(db, task, field, oldValue, actor, now);

    private static Task<CrmTask> LoadAsync(CrmDbContext db, int id, Guid? expectedVersion, CancellationToken ct) =>
        PlannedItems.LoadAsync(db.Tasks, id, expectedVersion, Kind, ct);

    /// <summary>Saves the task's change with its reminder's schedule row kept in step.</summary>
    private async Task SaveAsync(CrmDbContext db, CrmTask task, CancellationToken ct)
    {
        var rescheduled = await ReminderSchedule.SyncAsync(db, task, clock.UtcNow, ct);
        try
        {
            await PlannedItems.SaveAsync(db, logger, Kind, task.Id, ct);
        }
        catch (DbUpdateException)
        {
            await ThrowIfTaskTypeGoneAsync(db, task.TaskTypeId, ct);
            throw;
        }

        WakeRemindersIf(rescheduled);
    }

    private void WakeRemindersIf(bool scheduleChanged)
    {
        if (scheduleChanged)
        {
            reminders.Poke();
        }
    }

    /// <summary>
    /// After the database refused a save: when the task's type was deleted after the service checked it (an admin
    /// deleted it at the same moment), the user reads the same message as if it had been gone before.
    /// </summary>
    private static async Task ThrowIfTaskTypeGoneAsync(CrmDbContext db, int taskTypeId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await EnsureTaskTypeAsync(db, taskTypeId, ct);
    }

    private static async Task EnsureTaskTypeAsync(CrmDbContext db, int taskTypeId, CancellationToken ct)
    {
        if (!await db.TaskTypes.AnyAsync(t => t.Id == taskTypeId, ct))
        {
            throw new DomainException("task.type_missing", nameof(TaskInput.TaskTypeId));
        }
    }
}
