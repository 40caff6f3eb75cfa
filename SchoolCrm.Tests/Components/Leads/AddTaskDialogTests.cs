using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Components.Leads;

/// <summary>"Add task" on the lead page, rendered by bUnit over the real services and database (clock: 2 December 2026 10:00 in Rome).</summary>
public sealed class AddTaskDialogTests : AppComponentTest<TasksApp>
{
    public AddTaskDialogTests(TasksApp app)
        : base(app)
    {
        // The task settings (default reminder) come from the app's configuration.
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<IConfiguration>());
    }

    [Fact]
    public async Task Add_task_on_the_lead_page_saves_a_task_for_me_due_tomorrow_and_the_history_shows_it()
    {
        var olga = await App.NewOperatorAsync("Olga Dialog");
        var leadId = await App.NewLeadAsync(olga, "Chiara");
        var page = RenderAs<LeadPage>(olga, isAdmin: false, p => p.Add(x => x.Id, leadId));
        var dialogs = Ctx.Render<MudDialogProvider>();

        // The page's click handler waits for the dialog's result, so the click completes only once the dialog closes.
        var opening = page.WaitForElement("#add-task").ClickAsync(new());
        var titleInput = dialogs.WaitForElement("#task-dialog input#task-title");
        await titleInput.InputAsync(new ChangeEventArgs { Value = "Send the timetable" });
        await dialogs.WaitForElement("#task-save:not([disabled])").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#task-dialog")));
        await opening;
        page.WaitForAssertion(() => Assert.Contains(
            page.FindAll("[data-testid=history-row]"),
            row => row.GetAttribute("data-field") == TaskHistory.TaskCreated && row.TextContent.Contains("Send the timetable", StringComparison.Ordinal)));
        await using var db = App.Db();
        var task = await db.Tasks.SingleAsync(t => t.LeadId == leadId);
        Assert.Equal(("Send the timetable", olga.Id, TaskReminder.OneHourBefore), (task.Title, task.AssignedToUserId, task.Reminder));
        Assert.Equal(new DateTime(2026, 12, 3, 8, 0, 0), task.DeadlineUtc);
    }

    [Fact]
    public async Task A_task_without_a_title_is_refused_in_the_dialog_and_nothing_is_saved()
    {
        var olga = await App.NewOperatorAsync("Olga Empty");
        var leadId = await App.NewLeadAsync(olga, "Bianca");
        var page = RenderAs<LeadPage>(olga, isAdmin: false, p => p.Add(x => x.Id, leadId));
        var dialogs = Ctx.Render<MudDialogProvider>();

        _ = page.WaitForElement("#add-task").ClickAsync(new());
        // Save is disabled until the dialog has loaded its choices (a slow database shows that moment).
        await dialogs.WaitForElement("#task-save:not([disabled])").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Equal("This field is required.", dialogs.Find("#task-error").TextContent.Trim()));
        await using var db = App.Db();
        Assert.False(await db.Tasks.AnyAsync(t => t.LeadId == leadId));
    }

    [Fact]
    public async Task A_calendar_slot_gives_the_new_task_its_deadline_at_the_school()
    {
        var olga = await App.NewOperatorAsync("Olga Slot Task");
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        var dialog = await OpenAsync(dialogs, new DateTime(2026, 12, 9, 16, 0, 0));
        await dialogs.WaitForElement("#task-dialog input#task-title").InputAsync(new ChangeEventArgs { Value = "Call at four" });
        await dialogs.WaitForElement("#task-save:not([disabled])").ClickAsync(new());

        var id = Assert.IsType<int>((await dialog.Result)!.Data);
        await using var db = App.Db();
        Assert.Equal(new DateTime(2026, 12, 9, 15, 0, 0), await db.Tasks.Where(t => t.Id == id).Select(t => t.DeadlineUtc).SingleAsync());
    }

    [Fact]
    public async Task A_deadline_the_clocks_skip_is_refused_in_the_dialog_which_keeps_what_was_typed()
    {
        var olga = await App.NewOperatorAsync("Olga Skipped");
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        // 28 March 2027, 02:30 does not exist in Rome: the clocks go from 02:00 to 03:00.
        _ = await OpenAsync(dialogs, new DateTime(2027, 3, 28, 2, 30, 0));
        await dialogs.WaitForElement("#task-dialog input#task-title").InputAsync(new ChangeEventArgs { Value = "Night call" });
        await dialogs.WaitForElement("#task-save:not([disabled])").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.StartsWith("This time does not exist on that day", dialogs.Find("#task-error").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal("Night call", dialogs.Find("input#task-title").GetAttribute("value"));
        await using var db = App.Db();
        Assert.False(await db.Tasks.AnyAsync(t => t.Title == "Night call"));
    }

    private static Task<IDialogReference> OpenAsync(IRenderedComponent<MudDialogProvider> dialogs, DateTime deadlineLocal) =>
        dialogs.InvokeAsync(() => dialogs.Services.GetRequiredService<IDialogService>().ShowAsync<AddTaskDialog>(
            "", new DialogParameters<AddTaskDialog> { { d => d.DefaultDeadlineLocal, deadlineLocal } }));
}
