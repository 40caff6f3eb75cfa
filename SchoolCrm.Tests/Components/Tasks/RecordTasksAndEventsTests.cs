using System.Globalization;
using Bunit;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>A lead's tasks and events on its page; the clock stands at Wednesday 2 December 2026, 10:00 in Rome.</summary>
public sealed class RecordTasksAndEventsTests : AppComponentTest<TasksApp>
{
    public RecordTasksAndEventsTests(TasksApp app)
        : base(app)
    {
        // The app's English is en-GB: dates as 05/12/2026, times on the 24-hour clock.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
    }

    [Fact]
    public async Task Open_tasks_and_upcoming_events_come_first_done_tasks_and_past_events_are_folded_each_linking_to_its_page()
    {
        var olga = await App.NewOperatorAsync("Olga Record");
        var leadId = await App.NewLeadAsync(olga, "Rita");
        var open = await App.NewTaskAsync(olga, olga, leadId, title: "Call Rita back");
        var done = await App.NewTaskAsync(olga, olga, leadId, title: "Send Rita the brochure");
        await App.TasksAsync(olga, false, t => t.CompleteAsync(done));
        var upcoming = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Rita's trial lesson", leadId)));
        var past = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Rita's first visit", leadId) with
        {
            StartDate = new DateOnly(2026, 11, 20),
            EndDate = new DateOnly(2026, 11, 20),
        }));

        var section = RenderAs<RecordTasksAndEvents>(olga, isAdmin: false, p => p.Add(s => s.LeadId, leadId));

        section.WaitForElement($"#record-task-{open}");
        Assert.Equal($"/tasks/{open}", section.Find($"#record-task-link-{open}").GetAttribute("href"));
        Assert.Empty(section.FindAll($"#record-open-tasks #record-task-{done}"));
        Assert.Contains("Done (1)", section.Find("#record-done-tasks").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/events/{upcoming}", section.Find($"#record-upcoming-events #record-event-link-{upcoming}").GetAttribute("href"));
        Assert.Contains("05/12/2026 09:00 – 12:00 · Hall", section.Find($"#record-event-{upcoming}").TextContent, StringComparison.Ordinal);
        Assert.Empty(section.FindAll($"#record-upcoming-events #record-event-{past}"));
        Assert.Contains("Past (1)", section.Find("#record-past-events").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticking_a_task_done_on_the_lead_page_folds_it_away_and_writes_the_history_line()
    {
        var olga = await App.NewOperatorAsync("Olga Ticks");
        var leadId = await App.NewLeadAsync(olga, "Teresa");
        var id = await App.NewTaskAsync(olga, olga, leadId, title: "Call Teresa");

        var page = RenderAs<LeadPage>(olga, isAdmin: false, p => p.Add(x => x.Id, leadId));
        var box = page.WaitForElement($"input#record-task-done-{id}");
        await box.ChangeAsync(new() { Value = true });

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#record-no-open-tasks")));
        Assert.Contains("Done (1)", page.Find("#record-done-tasks").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=history-row]"), row => row.GetAttribute("data-field") == TaskHistory.TaskCompleted));
    }

    [Fact]
    public async Task The_student_page_lists_the_tasks_and_events_the_lead_had_before_conversion()
    {
        var olga = await App.NewOperatorAsync("Olga Converts");
        var leadId = await App.NewLeadAsync(olga, "Silvia");
        var task = await App.NewTaskAsync(olga, olga, leadId, title: "Welcome call for Silvia");
        var item = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Silvia's first lesson", leadId)));
        int studentId;
        await using (var scope = App.Services.CreateScopeAs(olga, isAdmin: false))
        {
            studentId = await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(leadId);
        }

        var page = RenderAs<StudentPage>(olga, isAdmin: false, p => p.Add(x => x.Id, studentId));

        page.WaitForElement($"#record-task-{task}");
        Assert.NotNull(page.Find($"#record-upcoming-events #record-event-{item}"));
        await page.Find($"input#record-task-done-{task}").ChangeAsync(new() { Value = true });
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#record-no-open-tasks")));
    }
}
