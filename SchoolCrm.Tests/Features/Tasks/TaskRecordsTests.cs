using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CrmConfiguration;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Features.Tasks;

/// <summary>Tasks and events with the rest of the CRM: task types in the configuration, converting and removing leads.</summary>
public sealed class TaskRecordsTests(TasksApp app) : IClassFixture<TasksApp>
{
    private async Task<T> ConfigurationAsync<T>(Func<CrmConfigurationService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(await app.AdminAsync(), isAdmin: true);
        return await action(scope.ServiceProvider.GetRequiredService<CrmConfigurationService>());
    }

    [Fact]
    public async Task Task_types_count_their_tasks_and_one_in_use_is_deleted_only_by_moving_its_tasks_with_a_history_line()
    {
        var olga = await app.NewOperatorAsync();
        var leadId = await app.NewLeadAsync(olga);
        var doomed = await ConfigurationAsync(c => c.AddTaskTypeAsync(LeadTestData.Unique("Doomed")));
        var heir = await ConfigurationAsync(c => c.AddTaskTypeAsync(LeadTestData.Unique("Heir")));
        var taskId = await app.TasksAsync(olga, false, t => t.CreateAsync(TaskTestData.Input(olga.Id, doomed, leadId, "Typed task")));
        await app.TasksAsync(olga, false, t => t.CreateAsync(TaskTestData.Input(olga.Id, doomed, null, "Loose task")));
        var versionBefore = (await app.TasksAsync(olga, false, t => t.GetAsync(taskId)))!.Item.Version;

        Assert.Equal(2, await ConfigurationAsync(c => c.CountTasksWithTypeAsync(doomed)));
        Assert.Contains(await ConfigurationAsync(c => c.ListTaskTypesAsync()), t => t.Id == doomed && t.UsageCount == 2);
        var refused = await Assert.ThrowsAsync<DomainException>(() => ConfigurationAsync(async c => { await c.DeleteTaskTypeAsync(doomed, null); return 0; }));
        Assert.Equal("configuration.in_use", refused.Code);

        await ConfigurationAsync(async c => { await c.DeleteTaskTypeAsync(doomed, heir); return 0; });

        var moved = (await app.TasksAsync(olga, false, t => t.GetAsync(taskId)))!.Item;
        Assert.Equal(heir, moved.TaskTypeId);
        Assert.NotEqual(versionBefore, moved.Version);
        Assert.Equal(2, await ConfigurationAsync(c => c.CountTasksWithTypeAsync(heir)));
        Assert.Equal(TaskHistory.TaskChanged, (await app.HistoryFieldsAsync(leadId))[^1]);
    }

    [Fact]
    public async Task An_unused_task_type_is_deleted_without_a_replacement()
    {
        var unused = await ConfigurationAsync(c => c.AddTaskTypeAsync(LeadTestData.Unique("Unused")));

        await ConfigurationAsync(async c => { await c.DeleteTaskTypeAsync(unused, null); return 0; });

        Assert.DoesNotContain(await ConfigurationAsync(c => c.ListTaskTypesAsync()), t => t.Id == unused);
    }

    [Fact]
    public async Task Converting_a_lead_keeps_its_tasks_and_events_with_the_student_and_later_changes_reach_both_histories()
    {
        var olga = await app.NewOperatorAsync();
        var leadId = await app.NewLeadAsync(olga, "Giulia");
        var taskId = await app.NewTaskAsync(olga, olga, leadId, "Enrolment papers");
        var eventId = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Interview", leadId)));

        int studentId;
        await using (var scope = app.Services.CreateScopeAs(olga, isAdmin: false))
        {
            studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(leadId);
        }

        var studentTasks = await app.TasksAsync(olga, false, t => t.ListForStudentAsync(studentId));
        var studentEvents = await app.EventsAsync(olga, false, e => e.ListForStudentAsync(studentId));
        Assert.Equal([taskId], studentTasks.Select(t => t.Id));
        Assert.Equal("Giulia", studentTasks[0].LeadName);
        Assert.Equal([eventId], studentEvents.Select(e => e.Id));

        await app.TasksAsync(olga, false, t => t.CompleteAsync(taskId));
        await using var db = app.Db();
        var line = await db.History.OrderBy(h => h.Id).LastAsync();
        Assert.Equal((TaskHistory.TaskCompleted, leadId, studentId), (line.Field, line.LeadId, line.StudentId));

        // A converted lead takes no new tasks: they belong with the student now.
        var refused = await Assert.ThrowsAsync<DomainException>(() => app.NewTaskAsync(olga, olga, leadId));
        Assert.Equal("lead.already_converted", refused.Code);
    }

    [Fact]
    public async Task Removing_a_lead_says_how_many_tasks_and_events_go_with_it_and_removes_them()
    {
        var olga = await app.NewOperatorAsync();
        var admin = await app.AdminAsync();
        var leadId = await app.NewLeadAsync(olga);
        var taskIds = new[] { await app.NewTaskAsync(olga, olga, leadId, "One"), await app.NewTaskAsync(olga, olga, leadId, "Two") };
        var eventId = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Visit", leadId)));

        var counts = await app.AsAsync(admin, true, l => l.CountRemovedWithLeadAsync(leadId));
        await app.AsAsync(admin, true, l => l.DeleteAsync(leadId));

        Assert.Equal((2, 1), (counts.Tasks, counts.Events));
        await using var db = app.Db();
        Assert.False(await db.Tasks.AnyAsync(t => taskIds.Contains(t.Id)));
        Assert.False(await db.Events.AnyAsync(e => e.Id == eventId));
        Assert.False(await db.EventParticipants.AnyAsync(p => p.EventId == eventId));
    }
}
