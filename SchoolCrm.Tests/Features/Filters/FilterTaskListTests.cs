using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>
/// Issue 10's task conditions the way a secretary meets them: tasks made through TaskService, a saved filter, the
/// lead list. The school's clock stands on Wednesday 2 December 2026, 10:00 in Rome, and the database is this class's.
/// </summary>
public sealed class FilterTaskListTests(TasksApp app) : IClassFixture<TasksApp>
{
    [Fact]
    public async Task The_lead_list_applies_the_task_conditions_at_the_moment_it_runs()
    {
        var olga = await app.NewOperatorAsync();
        var anna = await app.NewLeadAsync(olga, "Anna");
        var bruno = await app.NewLeadAsync(olga, "Bruno");
        var carla = await app.NewLeadAsync(olga, "Carla");
        await app.NewLeadAsync(olga, "Dora");
        var callType = await app.FirstTaskTypeIdAsync();

        // Anna's call was due at 09:30 today; Bruno's is due on Friday at 10:00; Carla's was done.
        await app.NewTaskAsync(olga, olga, anna, date: new DateOnly(2026, 12, 2), time: new TimeOnly(9, 30));
        await app.NewTaskAsync(olga, olga, bruno, date: new DateOnly(2026, 12, 4), time: new TimeOnly(10, 0));
        var done = await app.NewTaskAsync(olga, olga, carla, date: new DateOnly(2026, 12, 1), time: new TimeOnly(9, 0));
        await app.TasksAsync(olga, false, t => t.CompleteAsync(done));

        var overdue = await SaveAsync(olga, FilterCondition.Of(LeadFields.HasOverdueTask.Key, FilterOperators.Ticked));
        var dueSoon = await SaveAsync(olga, FilterCondition.Of(LeadFields.NextDeadline.Key, FilterOperators.NextDays, 3));
        var idle = await SaveAsync(olga, FilterCondition.Of(LeadFields.HasOpenTasks.Key, FilterOperators.NotTicked));
        var calls = await SaveAsync(olga, FilterCondition.Of(LeadFields.HasTaskOfType.Key, FilterOperators.AnyOf, new[] { callType }));

        Assert.Equal(["Anna"], await NamesAsync(olga, overdue));
        Assert.Equal(["Bruno"], await NamesAsync(olga, dueSoon));
        Assert.Equal(["Carla", "Dora"], await NamesAsync(olga, idle));
        Assert.Equal(["Anna", "Bruno", "Carla"], await NamesAsync(olga, calls));

        // Friday 10:01: Bruno's call is overdue too, and nothing is due any more.
        app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 9, 1, 0, TimeSpan.Zero));
        Assert.Equal(["Anna", "Bruno"], await NamesAsync(olga, overdue));
        Assert.Empty(await NamesAsync(olga, dueSoon));
    }

    private async Task<int> SaveAsync(AppUser user, FilterCondition condition)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin: false);
        return await scope.ServiceProvider.GetRequiredService<SavedFilterService>()
            .CreateAsync(LeadTestData.Unique("Tasks"), new Filter(FilterGroup.AllOf(condition)));
    }

    private async Task<List<string>> NamesAsync(AppUser user, int filterId)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin: false);
        var page = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(new LeadListQuery { FilterId = filterId });
        Assert.Equal((true, 0), (page.SavedFilter!.Exists, page.SavedFilter.BrokenConditions));
        return [.. page.Rows.Select(r => r.FirstName).Order(StringComparer.Ordinal)];
    }
}
