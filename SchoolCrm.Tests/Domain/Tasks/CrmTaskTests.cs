using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Tests.Domain.Tasks;

/// <summary>The rules a task and an event guard themselves: input, who may change them, reminders.</summary>
public sealed class CrmTaskTests
{
    private static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Deadline = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);

    private static TaskContent Content(string title = "Call back", TaskReminder reminder = TaskReminder.None) =>
        new(1, title, null, Deadline, false, reminder);

    private static CrmTask NewTask() => CrmTask.Create(7, Content(), "assignee", "creator", Now, Rome);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_task_needs_a_title(string title)
    {
        var error = Assert.Throws<DomainException>(() => CrmTask.Create(null, Content(title), "a", "c", Now, Rome));

        Assert.Equal(("required", "Title"), (error.Code, error.Field));
    }

    [Fact]
    public void A_title_may_have_200_characters_but_not_201_and_is_trimmed()
    {
        var task = CrmTask.Create(null, Content("  " + new string('t', 200) + " "), "a", "c", Now, Rome);
        var error = Assert.Throws<DomainException>(() => CrmTask.Create(null, Content(new string('t', 201)), "a", "c", Now, Rome));

        Assert.Equal(200, task.Title.Length);
        Assert.Equal(("text.too_long", "Title"), (error.Code, error.Field));
    }

    [Theory]
    [InlineData("assignee", false, true, false)]
    [InlineData("creator", false, true, true)]
    [InlineData("someone", true, true, true)]
    [InlineData("someone", false, false, false)]
    public void The_assignee_the_creator_and_admins_may_edit_and_only_the_creator_and_admins_may_delete(
        string userId, bool isAdmin, bool mayEdit, bool mayDelete)
    {
        var task = NewTask();

        Assert.Equal(mayEdit, task.MayEdit(userId, isAdmin));
        Assert.Equal(mayDelete, task.MayDelete(userId, isAdmin));
    }

    [Fact]
    public void Someone_else_cannot_complete_reassign_or_edit_a_task()
    {
        var task = NewTask();

        Assert.Equal("task.not_allowed", Assert.Throws<DomainException>(() => task.Complete("someone", false, Now)).Code);
        Assert.Equal("task.not_allowed", Assert.Throws<DomainException>(() => task.AssignTo("someone", "someone", false, Now)).Code);
        Assert.Equal("task.not_allowed", Assert.Throws<DomainException>(() => task.Edit(Content("Mine now"), "someone", false, Now, Rome)).Code);
        Assert.False(task.IsDone);
    }

    [Fact]
    public void Completing_records_who_and_when_and_reopening_clears_it_each_with_a_new_version()
    {
        var task = NewTask();
        var created = task.Version;

        Assert.True(task.Complete("assignee", false, Now.AddHours(1)));
        var done = task.Version;
        Assert.False(task.Complete("assignee", false, Now.AddHours(2)));
        Assert.Equal((Now.AddHours(1), "assignee"), (task.CompletedAt!.Value, task.CompletedByUserId!));

        Assert.True(task.Reopen("creator", false, Now.AddHours(3)));
        Assert.Null(task.CompletedAt);
        Assert.Null(task.CompletedByUserId);
        Assert.Equal(3, new[] { created, done, task.Version }.Distinct().Count());
    }

    [Fact]
    public void An_edit_that_changes_nothing_keeps_the_version()
    {
        var task = NewTask();
        var version = task.Version;

        Assert.False(task.Edit(Content(), "assignee", false, Now, Rome));
        Assert.Equal(version, task.Version);
        Assert.True(task.Edit(Content("Call back twice"), "assignee", false, Now, Rome));
        Assert.NotEqual(version, task.Version);
    }

    [Theory]
    [InlineData(TaskReminder.AtDeadline, 0)]
    [InlineData(TaskReminder.FifteenMinutesBefore, 15)]
    [InlineData(TaskReminder.OneHourBefore, 60)]
    [InlineData(TaskReminder.OneDayBefore, 24 * 60)]
    public void The_reminder_is_due_that_long_before_the_deadline(TaskReminder reminder, int minutes)
    {
        var task = CrmTask.Create(null, Content(reminder: reminder), "a", "c", Now, Rome);

        Assert.Equal(Deadline.AddMinutes(-minutes), task.ReminderDueUtc);
    }

    [Fact]
    public void Without_a_reminder_nothing_is_due()
    {
        Assert.Null(NewTask().ReminderDueUtc);
    }

    [Fact]
    public void One_day_before_a_deadline_on_the_spring_forward_day_is_the_same_wall_clock_time_the_day_before()
    {
        // Sunday 29 March 2026 10:00 in Rome (summer time) -> Saturday 28 March 10:00 (winter time): 23 hours earlier.
        var deadline = SchoolTime.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(10, 0), Rome);

        var due = TaskReminders.DueAt(TaskReminder.OneDayBefore, deadline, Rome);

        Assert.Equal(new DateTime(2026, 3, 28, 10, 0, 0), SchoolTime.ToLocal(due!.Value, Rome));
        Assert.Equal(TimeSpan.FromHours(23), deadline - due.Value);
    }

    [Fact]
    public void One_day_before_a_time_the_day_before_skipped_is_24_hours_before()
    {
        // 02:30 on Monday 30 March exists; on Sunday 29 March it does not.
        var deadline = SchoolTime.ToUtc(new DateOnly(2026, 3, 30), new TimeOnly(2, 30), Rome);

        Assert.Equal(deadline.AddHours(-24), TaskReminders.DueAt(TaskReminder.OneDayBefore, deadline, Rome));
    }

    [Fact]
    public void An_event_needs_a_participant_and_its_participants_may_edit_it_but_only_the_creator_or_an_admin_deletes_it()
    {
        var content = EventContent.Timed("Open day", "Hall", null, new DateOnly(2026, 12, 5), new TimeOnly(9, 0), new DateOnly(2026, 12, 5), new TimeOnly(12, 0), Rome);
        var item = CrmEvent.Create(null, content, "creator", Now);

        Assert.Equal("event.participants_required", Assert.Throws<DomainException>(() => item.SetParticipants([], "creator", Now)).Code);
        item.SetParticipants(["guest", "creator"], "creator", Now);

        Assert.True(item.MayEdit("guest", false));
        Assert.False(item.MayDelete("guest", false));
        Assert.False(item.MayEdit("stranger", false));
        Assert.True(item.MayDelete("stranger", true));
        Assert.False(item.SetParticipants(["creator", "guest"], "creator", Now));
    }

    [Fact]
    public void A_timed_event_that_ends_before_it_starts_is_refused()
    {
        var content = EventContent.Timed("Backwards", null, null, new DateOnly(2026, 12, 5), new TimeOnly(12, 0), new DateOnly(2026, 12, 5), new TimeOnly(9, 0), Rome);

        Assert.Equal("time.end_before_start", Assert.Throws<DomainException>(() => content.Cleaned()).Code);
    }
}
