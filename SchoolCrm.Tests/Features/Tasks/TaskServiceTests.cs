using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Features.Tasks;

/// <summary>
/// Tasks through the real TaskService and database, with the school's clock on Wednesday 2 December 2026 10:00.
/// Tests share one database, so each works on operators and leads it creates itself.
/// </summary>
public sealed class TaskServiceTests(TasksApp app) : IClassFixture<TasksApp>
{
    [Fact]
    public async Task An_operator_creates_a_task_on_a_lead_and_the_leads_history_says_so_with_its_title()
    {
        var olga = await app.NewOperatorAsync();
        var leadId = await app.NewLeadAsync(olga);

        var id = await app.NewTaskAsync(olga, olga, leadId, "Send the brochure");

        var task = await app.TasksAsync(olga, false, t => t.GetAsync(id));
        Assert.NotNull(task);
        Assert.Equal(("Send the brochure", leadId, olga.Id), (task.Item.Title, task.Item.LeadId, task.Item.AssignedToUserId));
        Assert.Equal(new DateTime(2026, 12, 3, 9, 0, 0), task.Item.DeadlineUtc);
        Assert.Equal((new DateOnly(2026, 12, 3), new TimeOnly(10, 0)), (task.DeadlineDate, task.DeadlineTime));
        await using var db = app.Db();
        var line = await db.History.Where(h => h.LeadId == leadId).OrderBy(h => h.Id).LastAsync();
        Assert.Equal((TaskHistory.TaskCreated, "Send the brochure", olga.Id), (line.Field, line.NewValue, line.UserId));
    }

    [Fact]
    public async Task A_task_without_a_lead_is_allowed_and_writes_no_history()
    {
        var olga = await app.NewOperatorAsync();
        await using var before = app.Db();
        var historyCount = await before.History.CountAsync();

        var id = await app.NewTaskAsync(olga, olga);

        var task = await app.TasksAsync(olga, false, t => t.GetAsync(id));
        Assert.Null(task!.Item.LeadId);
        await using var after = app.Db();
        Assert.Equal(historyCount, await after.History.CountAsync());
    }

    [Fact]
    public async Task A_deadline_at_a_time_the_clocks_skip_is_refused_on_the_deadline_field()
    {
        var olga = await app.NewOperatorAsync();

        var error = await Assert.ThrowsAsync<DomainException>(
            () => app.NewTaskAsync(olga, olga, date: new DateOnly(2027, 3, 28), time: new TimeOnly(2, 30)));

        Assert.Equal((SchoolTime.NonexistentTimeCode, "Deadline"), (error.Code, error.Field));
    }

    [Fact]
    public async Task Anyone_may_create_but_only_the_assignee_the_creator_and_admins_edit_or_complete_and_only_the_creator_and_admins_delete()
    {
        var creator = await app.NewOperatorAsync("Carla Creator");
        var assignee = await app.NewOperatorAsync("Anna Assignee");
        var stranger = await app.NewOperatorAsync("Sam Stranger");
        var admin = await app.AdminAsync();
        var typeId = await app.FirstTaskTypeIdAsync();
        var id = await app.NewTaskAsync(creator, assignee);

        async Task<string> Refusal(Func<TaskService, Task> action) =>
            (await Assert.ThrowsAsync<DomainException>(() => app.TasksAsync(stranger, false, action))).Code;

        Assert.Equal("task.not_allowed", await Refusal(t => t.CompleteAsync(id)));
        Assert.Equal("task.not_allowed", await Refusal(t => t.DeleteAsync(id)));
        Assert.Equal("task.not_allowed", await Refusal(t => t.AssignAsync(id, stranger.Id)));
        var version = (await app.TasksAsync(stranger, false, t => t.GetAsync(id)))!.Item.Version;
        Assert.Equal("task.not_allowed", await Refusal(t => t.UpdateAsync(id, version, TaskTestData.Input(assignee.Id, typeId, title: "Hijacked"))));

        await app.TasksAsync(assignee, false, t => t.CompleteAsync(id));
        await app.TasksAsync(creator, false, t => t.ReopenAsync(id));
        await app.TasksAsync(admin, true, t => t.CompleteAsync(id));
        var assigneeDelete = await Assert.ThrowsAsync<DomainException>(() => app.TasksAsync(assignee, false, t => t.DeleteAsync(id)));
        Assert.Equal("task.not_allowed", assigneeDelete.Code);
        await app.TasksAsync(creator, false, t => t.DeleteAsync(id));

        Assert.Null(await app.TasksAsync(admin, true, t => t.GetAsync(id)));
        var adminsOwn = await app.NewTaskAsync(creator, assignee);
        await app.TasksAsync(admin, true, t => t.DeleteAsync(adminsOwn));
    }

    [Fact]
    public async Task Lists_tell_the_current_user_what_they_may_do_with_each_task()
    {
        var creator = await app.NewOperatorAsync();
        var assignee = await app.NewOperatorAsync();
        var stranger = await app.NewOperatorAsync();
        var leadId = await app.NewLeadAsync(creator);
        await app.NewTaskAsync(creator, assignee, leadId);

        var asAssignee = Assert.Single(await app.TasksAsync(assignee, false, t => t.ListForLeadAsync(leadId)));
        var asStranger = Assert.Single(await app.TasksAsync(stranger, false, t => t.ListForLeadAsync(leadId)));

        Assert.Equal((true, false), (asAssignee.CanEdit, asAssignee.CanDelete));
        Assert.Equal((false, false), (asStranger.CanEdit, asStranger.CanDelete));
    }

    [Fact]
    public async Task Every_change_to_a_leads_task_writes_a_line_into_the_leads_history()
    {
        var olga = await app.NewOperatorAsync();
        var piet = await app.NewOperatorAsync();
        var typeId = await app.FirstTaskTypeIdAsync();
        var leadId = await app.NewLeadAsync(olga);
        var id = await app.NewTaskAsync(olga, olga, leadId, "Call");

        var version = (await app.TasksAsync(olga, false, t => t.GetAsync(id)))!.Item.Version;
        await app.TasksAsync(olga, false, t => t.UpdateAsync(id, version, TaskTestData.Input(olga.Id, typeId, leadId, "Call again")));
        await app.TasksAsync(olga, false, t => t.AssignAsync(id, piet.Id));
        await app.TasksAsync(piet, false, t => t.CompleteAsync(id));
        await app.TasksAsync(piet, false, t => t.ReopenAsync(id));
        await app.TasksAsync(olga, false, t => t.DeleteAsync(id));

        var fields = await app.HistoryFieldsAsync(leadId);
        Assert.Equal(
            [TaskHistory.TaskCreated, TaskHistory.TaskChanged, TaskHistory.TaskReassigned, TaskHistory.TaskCompleted, TaskHistory.TaskReopened, TaskHistory.TaskDeleted],
            fields.SkipWhile(f => f != TaskHistory.TaskCreated));
        await using var db = app.Db();
        var changed = await db.History.SingleAsync(h => h.LeadId == leadId && h.Field == TaskHistory.TaskChanged);
        Assert.Equal(("Call", "Call again"), (changed.OldValue, changed.NewValue));
    }

    [Fact]
    public async Task An_edit_from_a_form_that_another_save_overtook_is_refused()
    {
        var olga = await app.NewOperatorAsync();
        var typeId = await app.FirstTaskTypeIdAsync();
        var id = await app.NewTaskAsync(olga, olga);
        var seen = (await app.TasksAsync(olga, false, t => t.GetAsync(id)))!.Item.Version;
        await app.TasksAsync(olga, false, t => t.CompleteAsync(id));

        var error = await Assert.ThrowsAsync<DomainException>(
            () => app.TasksAsync(olga, false, t => t.UpdateAsync(id, seen, TaskTestData.Input(olga.Id, typeId, title: "Stale edit"))));

        Assert.Equal("task.conflict", error.Code);
        Assert.Equal("Call back", (await app.TasksAsync(olga, false, t => t.GetAsync(id)))!.Item.Title);
    }

    [Fact]
    public async Task My_tasks_puts_each_task_in_its_section_by_the_school_clock_and_sorts_by_deadline()
    {
        // A German user: the week runs Monday to Sunday.
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        var olga = await app.NewOperatorAsync();
        await app.NewTaskAsync(olga, olga, title: "Yesterday", date: new DateOnly(2026, 12, 1), time: new TimeOnly(15, 0));
        await app.NewTaskAsync(olga, olga, title: "This morning", date: new DateOnly(2026, 12, 2), time: new TimeOnly(9, 0));
        await app.NewTaskAsync(olga, olga, title: "Tonight", date: new DateOnly(2026, 12, 2), time: new TimeOnly(23, 30));
        await app.NewTaskAsync(olga, olga, title: "This afternoon", date: new DateOnly(2026, 12, 2), time: new TimeOnly(15, 0));
        await app.NewTaskAsync(olga, olga, title: "Sunday", date: new DateOnly(2026, 12, 6), time: new TimeOnly(18, 0));
        await app.NewTaskAsync(olga, olga, title: "Next Monday", date: new DateOnly(2026, 12, 7), time: new TimeOnly(8, 0));
        var done = await app.NewTaskAsync(olga, olga, title: "Done already", date: new DateOnly(2026, 12, 1), time: new TimeOnly(8, 0));
        await app.TasksAsync(olga, false, t => t.CompleteAsync(done));

        async Task<string[]> Titles(TaskBucket bucket) =>
            [.. (await app.TasksAsync(olga, false, t => t.ListBucketAsync(new TaskListQuery(bucket)))).Select(t => t.Title)];

        Assert.Equal(["Yesterday", "This morning"], await Titles(TaskBucket.Overdue));
        Assert.Equal(["This afternoon", "Tonight"], await Titles(TaskBucket.Today));
        Assert.Equal(["Sunday"], await Titles(TaskBucket.ThisWeek));
        Assert.Equal(["Next Monday"], await Titles(TaskBucket.Later));
        Assert.Equal(["Done already"], await Titles(TaskBucket.Done));
        Assert.Equal(new TaskBucketCounts(2, 2, 1, 1, 1), await app.TasksAsync(olga, false, t => t.CountBucketsAsync()));
    }

    [Fact]
    public async Task For_a_user_whose_week_starts_on_Sunday_the_coming_Sunday_is_later()
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        var olga = await app.NewOperatorAsync();
        await app.NewTaskAsync(olga, olga, title: "Saturday", date: new DateOnly(2026, 12, 5), time: new TimeOnly(18, 0));
        await app.NewTaskAsync(olga, olga, title: "Sunday", date: new DateOnly(2026, 12, 6), time: new TimeOnly(18, 0));

        var counts = await app.TasksAsync(olga, false, t => t.CountBucketsAsync());

        Assert.Equal((1, 1), (counts.ThisWeek, counts.Later));
    }

    [Fact]
    public async Task My_tasks_filters_by_task_type()
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("it-IT");
        var olga = await app.NewOperatorAsync();
        var typeId = await app.FirstTaskTypeIdAsync();
        await using var db = app.Db();
        var otherTypeId = await db.TaskTypes.Where(t => t.Id != typeId).Select(t => t.Id).FirstAsync();
        await app.TasksAsync(olga, false, t => t.CreateAsync(TaskTestData.Input(olga.Id, typeId, title: "First type")));
        await app.TasksAsync(olga, false, t => t.CreateAsync(TaskTestData.Input(olga.Id, otherTypeId, title: "Other type")));

        var filtered = await app.TasksAsync(olga, false, t => t.ListBucketAsync(new TaskListQuery(TaskBucket.ThisWeek, TaskTypeId: otherTypeId)));

        Assert.Equal(["Other type"], filtered.Select(t => t.Title));
        Assert.Equal(1, (await app.TasksAsync(olga, false, t => t.CountBucketsAsync(null, otherTypeId))).ThisWeek);
    }

    [Fact]
    public async Task Only_an_admin_may_look_at_another_operators_tasks()
    {
        var olga = await app.NewOperatorAsync();
        var piet = await app.NewOperatorAsync();
        var admin = await app.AdminAsync();
        await app.NewTaskAsync(piet, piet, title: "Piet's call");

        var error = await Assert.ThrowsAsync<DomainException>(
            () => app.TasksAsync(olga, false, t => t.ListBucketAsync(new TaskListQuery(TaskBucket.ThisWeek, piet.Id))));
        var seenByAdmin = await app.TasksAsync(admin, true, t => t.ListBucketAsync(new TaskListQuery(TaskBucket.ThisWeek, piet.Id)));

        Assert.Equal("auth.admin_only", error.Code);
        Assert.Equal(["Piet's call"], seenByAdmin.Select(t => t.Title));
    }

    [Fact]
    public async Task A_disabled_operator_keeps_their_tasks_is_not_offered_or_accepted_as_assignee_and_admins_see_their_open_tasks()
    {
        var olga = await app.NewOperatorAsync();
        var leaving = await app.NewOperatorAsync("Lea Leaving");
        var admin = await app.AdminAsync();
        var typeId = await app.FirstTaskTypeIdAsync();
        var id = await app.NewTaskAsync(olga, leaving, title: "Left behind");
        await app.DisableAsync(leaving);

        var options = await app.TasksAsync(olga, false, t => t.GetFormOptionsAsync());
        var refused = await Assert.ThrowsAsync<DomainException>(
            () => app.TasksAsync(olga, false, t => t.CreateAsync(TaskTestData.Input(leaving.Id, typeId))));
        var kept = await app.TasksAsync(olga, false, t => t.GetAsync(id));
        var orphans = await app.TasksAsync(admin, true, t => t.ListOpenOfDisabledUsersAsync());
        var notForOperators = await Assert.ThrowsAsync<DomainException>(() => app.TasksAsync(olga, false, t => t.ListOpenOfDisabledUsersAsync()));

        Assert.DoesNotContain(options.Assignees, u => u.Id == leaving.Id);
        Assert.Equal(("task.assignee_missing", "AssigneeUserId"), (refused.Code, refused.Field));
        Assert.Equal((leaving.Id, true), (kept!.Item.AssignedToUserId, kept.Item.AssigneeDisabled));
        Assert.Contains(orphans, t => t.Id == id);
        Assert.Equal("auth.admin_only", notForOperators.Code);

        // Editing a task that stays with its disabled assignee is fine; the admin then hands it on.
        var version = kept.Item.Version;
        await app.TasksAsync(olga, false, t => t.UpdateAsync(id, version, TaskTestData.Input(leaving.Id, typeId, title: "Left behind, noted")));
        await app.TasksAsync(admin, true, t => t.AssignAsync(id, olga.Id));
        Assert.DoesNotContain(await app.TasksAsync(admin, true, t => t.ListOpenOfDisabledUsersAsync()), t => t.Id == id);
    }

    [Fact]
    public async Task A_new_task_starts_with_the_default_reminder_setting_and_its_reminder_follows_the_deadline()
    {
        var olga = await app.NewOperatorAsync();
        var typeId = await app.FirstTaskTypeIdAsync();

        var options = await app.TasksAsync(olga, false, t => t.GetFormOptionsAsync());
        var id = await app.TasksAsync(olga, false, t => t.CreateAsync(TaskTestData.Input(olga.Id, typeId) with { Reminder = options.DefaultReminder }));

        Assert.Equal(TaskReminder.OneHourBefore, options.DefaultReminder);
        Assert.Equal(olga.Id, options.CurrentUserId);
        await using var db = app.Db();
        var stored = await db.Tasks.SingleAsync(t => t.Id == id);
        Assert.Equal(stored.DeadlineUtc.AddHours(-1), stored.ReminderDueUtc);
    }

    [Fact]
    public async Task The_calendar_reads_a_users_tasks_done_or_not_with_a_deadline_in_the_range()
    {
        var olga = await app.NewOperatorAsync();
        await app.NewTaskAsync(olga, olga, title: "Before", date: new DateOnly(2026, 11, 30), time: new TimeOnly(23, 59));
        var inside = await app.NewTaskAsync(olga, olga, title: "Inside", date: new DateOnly(2026, 12, 1), time: new TimeOnly(0, 0));
        await app.NewTaskAsync(olga, olga, title: "Last minute", date: new DateOnly(2026, 12, 31), time: new TimeOnly(23, 59));
        await app.NewTaskAsync(olga, olga, title: "After", date: new DateOnly(2027, 1, 1), time: new TimeOnly(0, 0));
        await app.TasksAsync(olga, false, t => t.CompleteAsync(inside));
        var (from, to) = SchoolTime.Days(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome"));

        var month = await app.TasksAsync(olga, false, t => t.ListInRangeAsync(null, from, to));

        Assert.Equal(["Inside", "Last minute"], month.Select(t => t.Title));
        Assert.True(month[0].IsDone);
    }
}
