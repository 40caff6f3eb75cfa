using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>The settings of tasks (section <c>Tasks</c> in appsettings.json).</summary>
public sealed class TaskOptions
{
    public const string Section = "Tasks";

    /// <summary>The reminder a new task starts with: None, AtDeadline, FifteenMinutesBefore, OneHourBefore or OneDayBefore.</summary>
    public TaskReminder DefaultReminder { get; set; } = TaskReminder.OneHourBefore;
}

public sealed record TaskTypeOption(int Id, string Name);

/// <summary>What the task form offers: configured types, active operators (the current one is the default), the default reminder.</summary>
public sealed record TaskFormOptions(
    IReadOnlyList<TaskTypeOption> TaskTypes,
    IReadOnlyList<AssignableUser> Assignees,
    string CurrentUserId,
    TaskReminder DefaultReminder,
    DateOnly Today);

/// <summary>
/// The task form as entered: the deadline is a date and a time at the school, turned into an instant by
/// <see cref="SchoolTime.ToUtc"/> (a time the clocks skip is refused on the field "Deadline").
/// </summary>
public sealed record TaskInput(
    int? LeadId,
    string AssigneeUserId,
    int TaskTypeId,
    string Title,
    string? Description,
    DateOnly DeadlineDate,
    TimeOnly DeadlineTime,
    bool NotifyAssignee,
    TaskReminder Reminder);

/// <summary>
/// A task as lists show it. <see cref="AssigneeDisabled"/> marks an operator who was disabled ("(disabled)");
/// <see cref="CanEdit"/> and <see cref="CanDelete"/> are the current user's rights on it.
/// </summary>
public sealed record TaskItem(
    int Id,
    string Title,
    int TaskTypeId,
    string TaskTypeName,
    DateTime DeadlineUtc,
    string AssignedToUserId,
    string AssignedToName,
    bool AssigneeDisabled,
    int? LeadId,
    int? StudentId,
    string? LeadFirstName,
    string? LeadLastName,
    DateTime? CompletedAt,
    string? CompletedByName,
    bool CanEdit,
    bool CanDelete,
    Guid Version)
{
    public bool IsDone => CompletedAt is not null;

    /// <summary>The lead's name only: lists and the calendar feed show no other personal data.</summary>
    public string? LeadName =>
        PlannedItems.LeadName(LeadId, LeadFirstName, LeadLastName);
}

/// <summary>One task for its edit form.</summary>
public sealed record TaskDetails(
    TaskItem Item,
    string? Description,
    bool NotifyAssignee,
    TaskReminder Reminder,
    DateTime CreatedAt,
    string CreatedByName,
    DateOnly DeadlineDate,
    TimeOnly DeadlineTime);

/// <summary>How many tasks each section of "My tasks" holds. Done counts up to <see cref="TaskService.DoneCountLimit"/>.</summary>
public sealed record TaskBucketCounts(int Overdue, int Today, int ThisWeek, int Later, int Done)
{
    public int this[TaskBucket bucket] => bucket switch
    {
        TaskBucket.Overdue => Overdue,
        TaskBucket.Today => Today,
        TaskBucket.ThisWeek => ThisWeek,
        TaskBucket.Later => Later,
        _ => Done,
    };
}

/// <summary>One page of a "My tasks" section. <see cref="UserId"/> null means the current user (others: admins only).</summary>
public sealed record TaskListQuery(TaskBucket Bucket, string? UserId = null, int? TaskTypeId = null, int Skip = 0, int Take = 50);
