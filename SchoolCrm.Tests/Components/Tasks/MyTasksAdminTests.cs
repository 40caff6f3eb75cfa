using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>"My tasks" as an admin sees it: another operator's tasks through <c>?user=</c>, and the open tasks of disabled users.</summary>
public sealed class MyTasksAdminTests(TasksApp app) : AppComponentTest<TasksApp>(app)
{
    private NavigationManager Navigation => Ctx.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task An_admin_with_an_operator_in_the_address_sees_that_operators_tasks()
    {
        var admin = await App.AdminAsync();
        var olga = await App.NewOperatorAsync("Olga Viewed");
        var id = await App.NewTaskAsync(olga, olga, title: "Olga's call", date: new DateOnly(2026, 12, 2), time: new TimeOnly(15, 0));
        await App.NewTaskAsync(admin, admin, title: "Admin's own call", date: new DateOnly(2026, 12, 2), time: new TimeOnly(16, 0));
        var page = RenderAs<MyTasksPage>(admin, isAdmin: true);
        page.WaitForElement("#task-sections");

        // As when the admin follows a link with ?user= or switches in the select: the page stays, its address changes.
        await page.InvokeAsync(() => Navigation.NavigateTo($"/tasks?user={olga.Id}"));

        page.WaitForAssertion(() => Assert.Equal(["Olga's call"], Titles(page)));
        Assert.Equal($"/tasks/{id}?returnUrl=%2Ftasks%3Fuser%3D{olga.Id}", page.Find($"#task-link-{id}").GetAttribute("href"));
        Assert.Equal("Olga Viewed", page.Find("input#viewed-user").GetAttribute("value"));
    }

    [Fact]
    public async Task An_operator_with_another_operator_in_the_address_still_sees_only_their_own_tasks()
    {
        var olga = await App.NewOperatorAsync("Olga Curious");
        var otto = await App.NewOperatorAsync("Otto Private");
        await App.NewTaskAsync(olga, olga, title: "Olga's own", date: new DateOnly(2026, 12, 2), time: new TimeOnly(15, 0));
        await App.NewTaskAsync(otto, otto, title: "Otto's secret", date: new DateOnly(2026, 12, 2), time: new TimeOnly(15, 0));
        var page = RenderAs<MyTasksPage>(olga, isAdmin: false);
        page.WaitForElement("#task-sections");

        await page.InvokeAsync(() => Navigation.NavigateTo($"/tasks?user={otto.Id}"));

        page.WaitForAssertion(() => Assert.Equal(["Olga's own"], Titles(page)));
        Assert.Empty(page.FindAll("#viewed-user"));
        Assert.Empty(page.FindAll("#disabled-users-tasks"));
    }

    [Fact]
    public async Task Choosing_an_operator_puts_them_in_the_address_and_choosing_oneself_takes_them_out()
    {
        var admin = await App.AdminAsync();
        var olga = await App.NewOperatorAsync("Olga Chosen");
        var page = RenderAs<MyTasksPage>(admin, isAdmin: true);
        page.WaitForElement("#task-sections");
        await page.InvokeAsync(() => Navigation.NavigateTo("/tasks"));
        var select = page.FindComponents<MudSelect<string>>().Single(s => (string?)s.Instance.UserAttributes["id"] == "viewed-user");

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(olga.Id));
        Assert.EndsWith($"/tasks?user={Uri.EscapeDataString(olga.Id)}", Navigation.Uri, StringComparison.Ordinal);

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(admin.Id));
        Assert.EndsWith("/tasks", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_hands_an_open_task_of_a_disabled_operator_to_an_active_one()
    {
        var admin = await App.AdminAsync();
        var gone = await App.NewOperatorAsync("Gina Left");
        var olga = await App.NewOperatorAsync("Olga Takes Over");
        var open = await App.NewTaskAsync(gone, gone, title: "Gina's open call");
        var done = await App.NewTaskAsync(gone, gone, title: "Gina's finished call");
        await App.TasksAsync(gone, false, t => t.CompleteAsync(done));
        await App.DisableAsync(gone);

        var page = RenderAs<MyTasksPage>(admin, isAdmin: true);

        var row = page.WaitForElement($"#disabled-task-{open}");
        Assert.Contains("Gina Left (disabled)", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll($"#disabled-task-{done}"));
        var reassign = page.FindComponents<MudSelect<string>>().Single(s => (string?)s.Instance.UserAttributes["id"] == $"reassign-{open}");

        await page.InvokeAsync(() => reassign.Instance.ValueChanged.InvokeAsync(olga.Id));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"#disabled-task-{open}")));
        await using var db = App.Db();
        Assert.Equal(olga.Id, await db.Tasks.Where(t => t.Id == open).Select(t => t.AssignedToUserId).SingleAsync());
        Assert.Contains("“Gina's open call” now belongs to Olga Takes Over.", Snackbars!.Markup, StringComparison.Ordinal);
    }

    private static List<string> Titles(IRenderedComponent<MyTasksPage> page) =>
        [.. page.FindAll("#task-list [id^=task-link-]").Select(t => t.TextContent.Trim())];
}
