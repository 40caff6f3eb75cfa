namespace SchoolCrm.Domain.Tasks;

/// <summary>
/// A to-do for one operator with a deadline, optionally about a lead. Like a comment it carries the lead and, once
/// the lead is converted, the student too, so the task stays with the person. Named so that it never clashes with
/// <see cref="System.Threading.Tasks.Task"/>.
/// </summary>
public sealed class CrmTask : IPlannedItem
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 4000;

    private CrmTask()
    {
        AssignedToUserId = "";
        CreatedByUserId = "";
        UpdatedByUserId = "";
        Title = "";
    }

    public int Id { get; private set; }

    public int? LeadId { get; private set; }

    public int? StudentId { get; private set; }

    public string AssignedToUserId { get; private set; }

    public string CreatedByUserId { get; private set; }

    public int TaskTypeId { get; private set; }

    public string Title { get; private set; }

    public string? Description { get; private set; }

    public DateTime DeadlineUtc { get; private set; }

    /// <summary>"Send an immediate notification to the assigned operator": the live-notification work delivers it.</summary>
    public bool NotifyAssignee { get; private set; }

    public TaskReminder Reminder { get; private set; }

    /// <summary>When the reminder is due (UTC), kept in step with the deadline; null without a reminder.</summary>
    public DateTime? ReminderDueUtc { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public string? CompletedByUserId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedByUserId { get; private set; }

    /// <summary>Changes with every save; the concurrency token that stops one edit overwriting another.</summary>
    public Guid Version { get; private set; }

    public bool IsDone => CompletedAt is not null;

    public static CrmTask Create(int? leadId, TaskContent content, string assigneeUserId, string byUserId, DateTime nowUtc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(content);
        var task = new CrmTask
        {
            LeadId = leadId,
            AssignedToUserId = Required(assigneeUserId, nameof(AssignedToUserId)),
            CreatedByUserId = byUserId,
            CreatedAt = nowUtc,
        };
        task.Apply(content.Cleaned(), zone);
        task.Touch(byUserId, nowUtc);
        return task;
    }

    /// <summary>The assignee, the creator and admins may edit, reassign, complete and reopen.</summary>
    public bool MayEdit(string userId, bool isAdmin) => isAdmin || userId == AssignedToUserId || userId == CreatedByUserId;

    /// <summary>The creator and admins may delete.</summary>
    public bool MayDelete(string userId, bool isAdmin) => isAdmin || userId == CreatedByUserId;

    /// <summary>Applies the form; returns whether anything changed (nothing changed writes nothing).</summary>
    public bool Edit(TaskContent content, string byUserId, bool byAdmin, DateTime nowUtc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(content);
        RequireEditor(byUserId, byAdmin);
        var cleaned = content.Cleaned();
        var before = (TaskTypeId, Title, Description, DeadlineUtc, NotifyAssignee, Reminder);
        Apply(cleaned, zone);
        if (before == (TaskTypeId, Title, Description, DeadlineUtc, NotifyAssignee, Reminder))
        {
            return false;
        }

        Touch(byUserId, nowUtc);
        return true;
    }

    /// <summary>Hands the task to another operator; returns whether it changed hands.</summary>
    public bool AssignTo(string assigneeUserId, string byUserId, bool byAdmin, DateTime nowUtc)
    {
        RequireEditor(byUserId, byAdmin);
        var assignee = Required(assigneeUserId, nameof(AssignedToUserId));
        if (assignee == AssignedToUserId)
        {
            return false;
        }

        AssignedToUserId = assignee;
        Touch(byUserId, nowUtc);
        return true;
    }

    public bool Complete(string byUserId, bool byAdmin, DateTime nowUtc)
    {
        RequireEditor(byUserId, byAdmin);
        if (IsDone)
        {
            return false;
        }

        CompletedAt = nowUtc;
        CompletedByUserId = byUserId;
        Touch(byUserId, nowUtc);
        return true;
    }

    public bool Reopen(string byUserId, bool byAdmin, DateTime nowUtc)
    {
        RequireEditor(byUserId, byAdmin);
        if (!IsDone)
        {
            return false;
        }

        CompletedAt = null;
        CompletedByUserId = null;
        Touch(byUserId, nowUtc);
        return true;
    }

    public void RequireDeleter(string byUserId, bool byAdmin)
    {
        if (!MayDelete(byUserId, byAdmin))
        {
            throw new DomainException("task.not_allowed");
        }
    }

    private void RequireEditor(string byUserId, bool byAdmin)
    {
        if (!MayEdit(byUserId, byAdmin))
        {
            throw new DomainException("task.not_allowed");
        }
    }

    private void Apply(TaskContent cleaned, TimeZoneInfo zone)
    {
        TaskTypeId = cleaned.TaskTypeId;
        Title = cleaned.Title;
        Description = cleaned.Description;
        DeadlineUtc = cleaned.DeadlineUtc;
        NotifyAssignee = cleaned.NotifyAssignee;
        Reminder = cleaned.Reminder;
        ReminderDueUtc = TaskReminders.DueAt(cleaned.Reminder, cleaned.DeadlineUtc, zone);
    }

    private void Touch(string byUserId, DateTime nowUtc)
    {
        UpdatedAt = nowUtc;
        UpdatedByUserId = byUserId;
        Version = Guid.NewGuid();
    }

    private static string Required(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new DomainException("required", field) : value;
}

/// <summary>What the task form edits. The deadline is already an instant: <see cref="SchoolTime.ToUtc"/> made it.</summary>
public sealed record TaskContent(int TaskTypeId, string Title, string? Description, DateTime DeadlineUtc, bool NotifyAssignee, TaskReminder Reminder)
{
    /// <summary>Trimmed; title 1–200 characters, description up to 4000 (empty means none).</summary>
    public TaskContent Cleaned()
    {
        var title = Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            throw new DomainException("required", nameof(Title));
        }

        if (title.Length > CrmTask.TitleMaxLength)
        {
            throw new DomainException("text.too_long", nameof(Title));
        }

        var description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        if (description?.Length > CrmTask.DescriptionMaxLength)
        {
            throw new DomainException("text.too_long", nameof(Description));
        }

        if (!Enum.IsDefined(Reminder))
        {
            throw new DomainException("task.reminder_unknown", nameof(Reminder));
        }

        return this with { Title = title, Description = description, DeadlineUtc = DateTime.SpecifyKind(DeadlineUtc, DateTimeKind.Utc) };
    }
}
