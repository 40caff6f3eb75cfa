using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>"My tasks" over the real services and database; the clock stands at Wednesday 2 December 2026, 10:00 in Rome.</summary>
public sealed class MyTasksPageTests : AppComponentTest<TasksApp>
{
    public MyTasksPageTests(TasksApp app)
        : base(app)
    {
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<IConfiguration>());
    }

    [Fact]
    public async Task The_sections_count_my_tasks_overdue_ones_come_first_and_each_section_lists_its_own()
    {
        var olga = await App.NewOperatorAsync("Olga Sections");
        var otto = await App.NewOperatorAsync("Otto Sections");
        await App.NewTaskAsync(olga, olga, title: "Overdue call", date: new DateOnly(2026, 12, 1));
        await App.NewTaskAsync(olga, olga, title: "Call this afternoon", date: new DateOnly(2026, 12, 2), time: new TimeOnly(15, 0));
        await App.NewTaskAsync(olga, olga, title: "Call next year", date: new DateOnly(2027, 1, 20));
        await App.NewTaskAsync(otto, otto, title: "Otto's own", date: new DateOnly(2026, 12, 2), time: new TimeOnly(16, 0));

        var page = RenderAs<MyTasksPage>(olga, isAdmin: false);

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("#section-Overdue").GetAttribute("data-selected")));
        Assert.Equal(["1", "1", "0", "1", "0"], page.FindAll("#task-sections [data-count]").Select(c => c.GetAttribute("data-count")));
        Assert.Equal(["Overdue call"], Titles(page));

        await page.Find("#section-Today").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["Call this afternoon"], Titles(page)));

        await page.Find("#section-Later").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["Call next year"], Titles(page)));
    }

    [Fact]
    public async Task Ticking_a_task_done_moves_it_to_done_and_undo_brings_it_back()
    {
        var olga = await App.NewOperatorAsync("Olga Done");
        var id = await App.NewTaskAsync(olga, olga, title: "Send the brochure", date: new DateOnly(2026, 12, 2), time: new TimeOnly(17, 0));
        var page = RenderAs<MyTasksPage>(olga, isAdmin: false);
        page.WaitForAssertion(() => Assert.Equal(["Send the brochure"], Titles(page)));

        await page.Find($"input#task-done-{id}").ChangeAsync(new() { Value = true });

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-tasks")));
        Assert.Equal("1", page.Find("#section-Done").GetAttribute("data-count"));
        var undo = Snackbars!.WaitForElement(".mud-snackbar button");
        Assert.Contains("“Send the brochure” is done.", Snackbars!.Markup, StringComparison.Ordinal);

        await undo.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["Send the brochure"], Titles(page)));
        Assert.Equal("0", page.Find("#section-Done").GetAttribute("data-count"));
    }

    private static List<string> Titles(IRenderedComponent<MyTasksPage> page) =>
        [.. page.FindAll("#task-list [id^=task-] .mud-typography-body1").Select(t => t.TextContent.Trim())];
}
