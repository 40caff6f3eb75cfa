using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CrmConfiguration;

namespace SchoolCrm.Tests.Features.CrmConfiguration;

/// <summary>
/// A status or task type deleted while a lead or task takes it (issue 12). SQLite's single writer kept the two
/// apart; on PostgreSQL's READ COMMITTED the delete did not see a lead that was being saved and then failed on the
/// foreign key, or the save met the deleted row: neither ends with a record pointing at a deleted entry (the foreign
/// keys see to that), but each must end with the usual refusal instead of an unexpected error, and nothing lost.
/// </summary>
public sealed class ConfigurationDeleteRaceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_status_deleted_while_a_lead_with_it_is_being_saved_is_refused_as_in_use_or_moves_that_lead_too(bool withReplacement)
    {
        RaceGate gate = null!;
        await using var app = new GatedApp(a => (gate = new RaceGate(a.ConnectionString)).Interceptors);
        var admin = await app.AdminAsync();
        var leaving = await app.NewStatusAsync();
        var replacement = await app.NewStatusAsync();

        // The lead is written, not yet committed, when the admin deletes its status.
        int leadId = 0;
        var save = gate.RunAsync(firstCall: true, async () => leadId = await app.AsAsync(admin, isAdmin: false, leads => leads.CreateAsync(Person(), leaving.Id, null, [])));
        await gate.FirstPaused;
        var delete = gate.RunAsync(firstCall: false, () => ConfigurationAsync(app, admin, c => c.DeleteStatusAsync(leaving.Id, withReplacement ? replacement.Id : null)));

        Assert.Null(await save);
        var deleted = await delete;
        await using var db = app.Db();
        var statusOfLead = await db.Leads.Where(l => l.Id == leadId).Select(l => l.StatusId).SingleAsync();
        if (withReplacement)
        {
            Assert.Null(deleted);
            Assert.Equal(replacement.Id, statusOfLead);
            Assert.False(await db.LeadStatuses.AnyAsync(s => s.Id == leaving.Id));
            Assert.True(await db.History.AnyAsync(h => h.LeadId == leadId && h.Field == nameof(Lead.StatusId)));
        }
        else
        {
            Assert.Equal("configuration.in_use", RaceGate.Refusal(deleted).Code);
            Assert.Equal(leaving.Id, statusOfLead);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lead_saved_with_a_status_that_is_being_deleted_gets_the_status_missing_message_and_keeps_what_it_had(bool existingLead)
    {
        RaceGate gate = null!;
        await using var app = new GatedApp(a => (gate = new RaceGate(a.ConnectionString)).Interceptors);
        var admin = await app.AdminAsync();
        var leaving = await app.NewStatusAsync();
        var leadId = await app.NewLeadAsync(admin);
        var statusBefore = await app.DefaultStatusIdAsync();

        // The delete has written, not yet committed, when the lead is saved with that status.
        var delete = gate.RunAsync(firstCall: true, () => ConfigurationAsync(app, admin, c => c.DeleteStatusAsync(leaving.Id, null)));
        await gate.FirstPaused;
        var save = gate.RunAsync(firstCall: false, () => existingLead
            ? app.AsAsync(admin, isAdmin: false, leads => leads.ChangeStatusAsync(leadId, leaving.Id))
            : app.AsAsync(admin, isAdmin: false, leads => leads.CreateAsync(Person("Newcomer"), leaving.Id, null, [])));

        Assert.Null(await delete);
        var refusal = RaceGate.Refusal(await save);
        Assert.Equal("lead.status_missing", refusal.Code);
        await using var db = app.Db();
        Assert.False(await db.LeadStatuses.AnyAsync(s => s.Id == leaving.Id));
        Assert.Equal(statusBefore, await db.Leads.Where(l => l.Id == leadId).Select(l => l.StatusId).SingleAsync());
        Assert.False(await db.Leads.AnyAsync(l => l.FirstName == "Newcomer"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_type_deleted_while_a_task_with_it_is_being_saved_is_refused_as_in_use_or_moves_that_task_too(bool withReplacement)
    {
        RaceGate gate = null!;
        await using var app = new GatedApp(a => (gate = new RaceGate(a.ConnectionString)).Interceptors);
        var admin = await app.AdminAsync();
        var leaving = await NewTaskTypeAsync(app);
        var replacement = await app.FirstTaskTypeIdAsync();

        int taskId = 0;
        var save = gate.RunAsync(firstCall: true, async () => taskId = await app.TasksAsync(admin, false, t => t.CreateAsync(TaskTestData.Input(admin.Id, leaving))));
        await gate.FirstPaused;
        var delete = gate.RunAsync(firstCall: false, () => ConfigurationAsync(app, admin, c => c.DeleteTaskTypeAsync(leaving, withReplacement ? replacement : null)));

        Assert.Null(await save);
        var deleted = await delete;
        await using var db = app.Db();
        var typeOfTask = await db.Tasks.Where(t => t.Id == taskId).Select(t => t.TaskTypeId).SingleAsync();
        if (withReplacement)
        {
            Assert.Null(deleted);
            Assert.Equal(replacement, typeOfTask);
            Assert.False(await db.TaskTypes.AnyAsync(t => t.Id == leaving));
        }
        else
        {
            Assert.Equal("configuration.in_use", RaceGate.Refusal(deleted).Code);
            Assert.Equal(leaving, typeOfTask);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_saved_with_a_type_that_is_being_deleted_gets_the_type_missing_message_and_keeps_what_it_had(bool existingTask)
    {
        RaceGate gate = null!;
        await using var app = new GatedApp(a => (gate = new RaceGate(a.ConnectionString)).Interceptors);
        var admin = await app.AdminAsync();
        var leaving = await NewTaskTypeAsync(app);
        var typeBefore = await app.FirstTaskTypeIdAsync();
        var taskId = await app.TasksAsync(admin, false, t => t.CreateAsync(TaskTestData.Input(admin.Id, typeBefore, title: "Kept")));
        var version = await app.TasksAsync(admin, false, async t => (await t.GetAsync(taskId))!.Item.Version);

        var delete = gate.RunAsync(firstCall: true, () => ConfigurationAsync(app, admin, c => c.DeleteTaskTypeAsync(leaving, null)));
        await gate.FirstPaused;
        var save = gate.RunAsync(firstCall: false, () => existingTask
            ? app.TasksAsync(admin, false, t => t.UpdateAsync(taskId, version, TaskTestData.Input(admin.Id, leaving, title: "Kept")))
            : app.TasksAsync(admin, false, t => t.CreateAsync(TaskTestData.Input(admin.Id, leaving, title: "Newcomer"))));

        Assert.Null(await delete);
        var refusal = RaceGate.Refusal(await save);
        Assert.Equal("task.type_missing", refusal.Code);
        await using var db = app.Db();
        Assert.False(await db.TaskTypes.AnyAsync(t => t.Id == leaving));
        Assert.Equal(typeBefore, await db.Tasks.Where(t => t.Id == taskId).Select(t => t.TaskTypeId).SingleAsync());
        Assert.False(await db.Tasks.AnyAsync(t => t.Title == "Newcomer"));
    }

    private static PersonDetails Person(string firstName = "Racing") => new() { FirstName = firstName, CaptureDate = new DateOnly(2026, 11, 1) };

    private static async Task ConfigurationAsync(GatedApp app, Web.Features.Users.AppUser admin, Func<CrmConfigurationService, Task> action)
    {
        await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
        await action(scope.ServiceProvider.GetRequiredService<CrmConfigurationService>());
    }

    private static async Task<int> NewTaskTypeAsync(CrmAppFactory app)
    {
        await using var db = app.Db();
        var type = new TaskType(LeadTestData.Unique("Type"), 50);
        db.TaskTypes.Add(type);
        await db.SaveChangesAsync();
        return type.Id;
    }
}
