using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Components.Tasks;

/// <summary>The task page /tasks/{id} over the real services and database (clock: Wednesday 2 December 2026 10:00 in Rome).</summary>
public sealed class TaskPageTests : AppComponentTest<TasksApp>
{
    private static readonly string[] Actions = ["#task-edit", "#task-complete", "#task-reassign", "#task-delete"];

    public TaskPageTests(TasksApp app)
        : base(app)
    {
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<IConfiguration>());
    }

    [Theory]
    [InlineData("creator", 4)]
    [InlineData("assignee", 3)]
    [InlineData("stranger", 0)]
    [InlineData("admin", 4)]
    public async Task Each_user_sees_only_the_actions_they_may_take_the_assignee_no_delete_a_stranger_none(string who, int actions)
    {
        var olga = await App.NewOperatorAsync("Olga Rights");
        var piet = await App.NewOperatorAsync("Piet Rights");
        var id = await App.NewTaskAsync(olga, piet, title: "Call the parents");
        var (user, isAdmin) = who switch
        {
            "creator" => (olga, false),
            "assignee" => (piet, false),
            "stranger" => (await App.NewOperatorAsync("Stranger Rights"), false),
            _ => (await App.AdminAsync(), true),
        };

        var page = RenderAs<TaskPage>(user, isAdmin, p => p.Add(x => x.Id, id));

        page.WaitForElement("#task-heading");
        Assert.Equal(Actions[..actions], Actions.Where(a => page.FindAll(a).Count > 0));
    }

    [Fact]
    public async Task The_page_shows_the_task_with_its_assignee_marked_disabled_and_its_lead()
    {
        var olga = await App.NewOperatorAsync("Olga Details");
        var piet = await App.NewOperatorAsync("Piet Details");
        var leadId = await App.NewLeadAsync(olga, "Carla");
        var id = await App.NewTaskAsync(olga, piet, leadId, "Send the timetable");
        await App.DisableAsync(piet);

        var page = RenderAs<TaskPage>(olga, isAdmin: false, p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal("Send the timetable", page.Find("#task-heading").TextContent.Trim()));
        Assert.Equal("Piet Details (disabled)", page.Find("#task-assignee-value").TextContent.Trim());
        Assert.Equal("No reminder", page.Find("#task-reminder-value").TextContent.Trim());
        Assert.Equal("Open", page.Find("#task-done-value").TextContent.Trim());
        Assert.StartsWith("Olga Details, ", page.Find("#task-created-value").TextContent.Trim(), StringComparison.Ordinal);
        var lead = page.Find("a#task-lead-link");
        Assert.Equal("Carla", lead.TextContent.Trim());
        Assert.StartsWith($"/leads/{leadId}?returnUrl=", lead.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marking_done_shows_who_did_it_and_reopen_makes_it_open_again()
    {
        var piet = await App.NewOperatorAsync("Piet Done");
        var id = await App.NewTaskAsync(piet, piet, title: "Order the books");
        var page = RenderAs<TaskPage>(piet, isAdmin: false, p => p.Add(x => x.Id, id));

        await page.WaitForElement("#task-complete").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("#task-state").GetAttribute("data-done")));
        Assert.StartsWith("Piet Done, ", page.Find("#task-done-value").TextContent.Trim(), StringComparison.Ordinal);

        await page.Find("#task-reopen").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Open", page.Find("#task-done-value").TextContent.Trim()));
        await using var db = App.Db();
        Assert.Null(await db.Tasks.Where(t => t.Id == id).Select(t => t.CompletedAt).SingleAsync());
    }

    [Fact]
    public async Task Reassign_hands_the_task_to_the_chosen_active_operator()
    {
        var olga = await App.NewOperatorAsync("Olga Hands");
        var otto = await App.NewOperatorAsync("Otto Takes");
        var id = await App.NewTaskAsync(olga, olga, title: "Print the flyers");
        var page = RenderAs<TaskPage>(olga, isAdmin: false, p => p.Add(x => x.Id, id));

        await page.WaitForElement("#task-reassign button").ClickAsync(new());
        await Popovers!.WaitForElement($"[data-user='{otto.Id}']").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Otto Takes", page.Find("#task-assignee-value").TextContent.Trim()));
        await using var db = App.Db();
        Assert.Equal(otto.Id, await db.Tasks.Where(t => t.Id == id).Select(t => t.AssignedToUserId).SingleAsync());
    }

    [Fact]
    public async Task Edit_opens_the_task_in_its_dialog_and_saving_changes_it_in_place()
    {
        var olga = await App.NewOperatorAsync("Olga Edits");
        var id = await App.NewTaskAsync(olga, olga, title: "Call back", date: new DateOnly(2026, 12, 4), time: new TimeOnly(11, 30));
        var page = RenderAs<TaskPage>(olga, isAdmin: false, p => p.Add(x => x.Id, id));
        var dialogs = Ctx.Render<MudDialogProvider>();

        var editing = page.WaitForElement("#task-edit").ClickAsync(new());
        var title = dialogs.WaitForElement("#task-dialog input#task-title");
        Assert.Equal("Call back", title.GetAttribute("value"));
        Assert.Contains("Edit task", dialogs.Markup, StringComparison.Ordinal);
        await title.InputAsync(new ChangeEventArgs { Value = "Call back about the fees" });
        await dialogs.WaitForElement("#task-save:not([disabled])").ClickAsync(new());
        await editing;

        page.WaitForAssertion(() => Assert.Equal("Call back about the fees", page.Find("#task-heading").TextContent.Trim()));
        await using var db = App.Db();
        var task = await db.Tasks.SingleAsync(t => t.Id == id);

        // Only the title changed: the deadline the form was filled with went back unchanged (11:30 in Rome).
        Assert.Equal(("Call back about the fees", new DateTime(2026, 12, 4, 10, 30, 0)), (task.Title, task.DeadlineUtc));
    }

    [Fact]
    public async Task Delete_asks_first_then_removes_the_task_and_goes_back_to_my_tasks()
    {
        var olga = await App.NewOperatorAsync("Olga Deletes");
        var id = await App.NewTaskAsync(olga, olga, title: "Obsolete");
        var page = RenderAs<TaskPage>(olga, isAdmin: false, p => p.Add(x => x.Id, id));
        var dialogs = Ctx.Render<MudDialogProvider>();

        await page.ClickAndConfirmAsync(dialogs, "#task-delete", async () =>
        {
            await using var before = App.Db();
            Assert.True(await before.Tasks.AnyAsync(t => t.Id == id));
        });

        await using var db = App.Db();
        Assert.False(await db.Tasks.AnyAsync(t => t.Id == id));
        Assert.EndsWith("/tasks", Ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_that_does_not_exist_says_so()
    {
        var olga = await App.NewOperatorAsync("Olga Missing");

        var page = RenderAs<TaskPage>(olga, isAdmin: false, p => p.Add(x => x.Id, int.MaxValue));

        page.WaitForAssertion(() => Assert.Equal("This task no longer exists.", page.Find("#task-not-found").TextContent.Trim()));
    }
}
