using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>The history keys of tasks and events on their lead's (and student's) history; the value is the title.</summary>
public static class TaskHistory
{
    public const string TaskCreated = "TaskCreated";
    public const string TaskChanged = "TaskChanged";
    public const string TaskReassigned = "TaskReassigned";
    public const string TaskCompleted = "TaskCompleted";
    public const string TaskReopened = "TaskReopened";
    public const string TaskDeleted = "TaskDeleted";
    public const string EventCreated = "EventCreated";
    public const string EventChanged = "EventChanged";
    public const string EventDeleted = "EventDeleted";

    public static readonly IReadOnlyList<string> Events =
        [TaskCreated, TaskChanged, TaskReassigned, TaskCompleted, TaskReopened, TaskDeleted, EventCreated, EventChanged, EventDeleted];

    /// <summary>A line on the history of the task's or event's lead (and student); nothing for one without a record.</summary>
    public static void Add(CrmDbContext db, int? leadId, int? studentId, string field, string? oldTitle, string title, string userId, DateTime nowUtc)
    {
        if (leadId is not null || studentId is not null)
        {
            db.History.Add(HistoryEntry.ForRecord(leadId, studentId, new FieldChange(field, oldTitle, title), userId, nowUtc));
        }
    }
}
