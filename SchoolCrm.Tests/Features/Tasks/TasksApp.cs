using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Tasks;

/// <summary>
/// The real app on its own SQLite file, with the school in Europe/Rome and a fake clock standing on
/// Wednesday 2 December 2026, 10:00 at the school (09:00 UTC), so sections and deadlines are known.
/// </summary>
public class TasksApp : CrmAppFactory
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    public TasksApp()
    {
        WithSetting("School:TimeZone", "Europe/Rome");
    }

    public FakeTimeProvider Time { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

/// <summary>Arranges and runs task and event use cases as a given user, through the real services.</summary>
internal static class TaskTestData
{
    public static async Task<T> TasksAsync<T>(this CrmAppFactory app, AppUser user, bool isAdmin, Func<TaskService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        return await action(scope.ServiceProvider.GetRequiredService<TaskService>());
    }

    public static async Task TasksAsync(this CrmAppFactory app, AppUser user, bool isAdmin, Func<TaskService, Task> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        await action(scope.ServiceProvider.GetRequiredService<TaskService>());
    }

    public static async Task<T> EventsAsync<T>(this CrmAppFactory app, AppUser user, bool isAdmin, Func<EventService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        return await action(scope.ServiceProvider.GetRequiredService<EventService>());
    }

    public static async Task EventsAsync(this CrmAppFactory app, AppUser user, bool isAdmin, Func<EventService, Task> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        await action(scope.ServiceProvider.GetRequiredService<EventService>());
    }

    public static async Task<int> FirstTaskTypeIdAsync(this CrmAppFactory app)
    {
        await using var db = app.Db();
        return await db.TaskTypes.OrderBy(t => t.SortOrder).Select(t => t.Id).FirstAsync();
    }

    public static TaskInput Input(string assigneeId, int taskTypeId, int? leadId = null, string title = "Call back", DateOnly? date = null, TimeOnly? time = null) =>
        new(leadId, assigneeId, taskTypeId, title, null, date ?? new DateOnly(2026, 12, 3), time ?? new TimeOnly(10, 0), false, TaskReminder.None);

    /// <summary>Creates a task as <paramref name="creator"/> (an operator) for <paramref name="assignee"/>.</summary>
    public static async Task<int> NewTaskAsync(this CrmAppFactory app, AppUser creator, AppUser assignee, int? leadId = null, string title = "Call back", DateOnly? date = null, TimeOnly? time = null)
    {
        var typeId = await app.FirstTaskTypeIdAsync();
        return await app.TasksAsync(creator, false, t => t.CreateAsync(Input(assignee.Id, typeId, leadId, title, date, time)));
    }

    public static EventInput Event(string title = "Open day", int? leadId = null, params string[] participants) =>
        new(leadId, title, "Hall", null, false, new DateOnly(2026, 12, 5), new TimeOnly(9, 0), new DateOnly(2026, 12, 5), new TimeOnly(12, 0), participants);

    public static async Task<IReadOnlyList<string>> HistoryFieldsAsync(this CrmAppFactory app, int leadId)
    {
        await using var db = app.Db();
        return await db.History.Where(h => h.LeadId == leadId).OrderBy(h => h.Id).Select(h => h.Field).ToListAsync();
    }

    public static async Task DisableAsync(this CrmAppFactory app, AppUser user)
    {
        await using var db = app.Db();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true));
    }
}
