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

/// <summary>
/// EventDialog, the event page /events/{id} and the events part of My tasks, over the real services and database
/// (clock: Wednesday 2 December 2026 10:00 in Rome).
/// </summary>
public sealed class EventComponentsTests(TasksApp app) : AppComponentTest<TasksApp>(app)
{
    [Fact]
    public async Task A_new_event_from_a_calendar_slot_starts_there_lasts_an_hour_and_has_me_as_participant()
    {
        var olga = await App.NewOperatorAsync("Olga Slot");
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        var dialog = await OpenAsync(dialogs, new DialogParameters<EventDialog> { { d => d.DefaultStartLocal, new DateTime(2026, 12, 7, 14, 0, 0) } });
        await dialogs.WaitForElement("#event-dialog input#event-title").InputAsync(new ChangeEventArgs { Value = "Parents' evening" });
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());

        var id = Assert.IsType<int>((await dialog.Result)!.Data);
        var details = (await App.EventsAsync(olga, false, e => e.GetAsync(id)))!;
        Assert.Equal(("Parents' evening", false), (details.Item.Title, details.Item.AllDay));

        // 14:00–15:00 in Rome in December (CET, UTC+1).
        Assert.Equal((new DateTime(2026, 12, 7, 13, 0, 0), new DateTime(2026, 12, 7, 14, 0, 0)), (details.Item.StartUtc, details.Item.EndUtc));
        Assert.Equal([olga.Id], details.Participants.Select(p => p.UserId));
    }

    [Fact]
    public async Task A_new_event_from_a_calendar_day_is_all_day_on_that_day()
    {
        var olga = await App.NewOperatorAsync("Olga Day");
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        var dialog = await OpenAsync(dialogs, new DialogParameters<EventDialog>
        {
            { d => d.DefaultStartLocal, new DateTime(2026, 12, 10) },
            { d => d.DefaultAllDay, true },
        });
        await dialogs.WaitForElement("#event-dialog input#event-title").InputAsync(new ChangeEventArgs { Value = "School trip" });
        Assert.Empty(dialogs.FindAll("#event-start-time"));
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());

        var id = Assert.IsType<int>((await dialog.Result)!.Data);
        var item = (await App.EventsAsync(olga, false, e => e.GetAsync(id)))!.Item;
        Assert.Equal((true, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 10)), (item.AllDay, item.StartDate, item.EndDate));
    }

    [Fact]
    public async Task A_new_event_without_a_title_is_refused_in_the_dialog_which_stays_open()
    {
        var olga = await App.NewOperatorAsync("Olga Untitled");
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        _ = await OpenAsync(dialogs, []);
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Equal("This field is required.", dialogs.Find("#event-error").TextContent.Trim()));
        Assert.NotEmpty(dialogs.FindAll("#event-dialog"));
    }

    [Fact]
    public async Task A_start_the_clocks_skip_is_refused_next_to_the_start_and_nothing_is_saved()
    {
        var olga = await App.NewOperatorAsync("Olga Spring");
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        // 28 March 2027, 02:30 does not exist in Rome: the clocks go from 02:00 to 03:00.
        _ = await OpenAsync(dialogs, new DialogParameters<EventDialog> { { d => d.DefaultStartLocal, new DateTime(2027, 3, 28, 2, 30, 0) } });
        await dialogs.WaitForElement("#event-dialog input#event-title").InputAsync(new ChangeEventArgs { Value = "Night watch" });
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.StartsWith("This time does not exist on that day", dialogs.Find("#event-error").TextContent.Trim(), StringComparison.Ordinal));
        Assert.NotEmpty(dialogs.FindAll("#event-dialog"));
        await using var db = App.Db();
        Assert.False(await db.Events.AnyAsync(e => e.Title == "Night watch"));
    }

    [Fact]
    public async Task Editing_an_event_fills_the_form_keeps_a_disabled_participant_marked_and_saves_the_change()
    {
        var olga = await App.NewOperatorAsync("Olga Edit");
        var piet = await App.NewOperatorAsync("Piet Gone");
        var id = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Open day", null, olga.Id, piet.Id)));
        await App.DisableAsync(piet);
        var dialogs = RenderAs<MudDialogProvider>(olga, isAdmin: false);

        var dialog = await OpenAsync(dialogs, new DialogParameters<EventDialog> { { d => d.EventId, id } });
        var title = dialogs.WaitForElement("#event-dialog input#event-title");
        Assert.Equal("Open day", title.GetAttribute("value"));
        Assert.Contains("Piet Gone (disabled)", dialogs.Markup, StringComparison.Ordinal);
        await title.InputAsync(new ChangeEventArgs { Value = "Open day (morning)" });
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());

        Assert.Equal(id, (await dialog.Result)!.Data);
        var details = (await App.EventsAsync(olga, false, e => e.GetAsync(id)))!;
        Assert.Equal("Open day (morning)", details.Item.Title);
        Assert.Equal(new DateTime(2026, 12, 5, 8, 0, 0), details.Item.StartUtc);
        Assert.Equal(new[] { olga.Id, piet.Id }.Order(), details.Participants.Select(p => p.UserId).Order());
    }

    [Fact]
    public async Task The_event_page_shows_the_event_and_a_participant_may_edit_but_not_delete()
    {
        var olga = await App.NewOperatorAsync("Olga Page");
        var piet = await App.NewOperatorAsync("Piet Page");
        var leadId = await App.NewLeadAsync(olga, "Dario");
        var id = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Interview", leadId, olga.Id, piet.Id)));

        var page = RenderAs<EventPage>(piet, isAdmin: false, p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal("Interview", page.Find("#event-heading").TextContent.Trim()));
        Assert.Equal("Hall", page.Find("#event-location-value").TextContent.Trim());
        Assert.Equal("Olga Page, Piet Page", page.Find("#event-participants-value").TextContent.Trim());
        Assert.Equal("Dario", page.Find("a#event-lead-link").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("#event-edit"));
        Assert.Empty(page.FindAll("#event-delete"));
    }

    [Fact]
    public async Task The_creator_deletes_an_event_after_confirming()
    {
        var olga = await App.NewOperatorAsync("Olga Removes");
        var id = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Cancelled meeting")));
        var page = RenderAs<EventPage>(olga, isAdmin: false, p => p.Add(x => x.Id, id));
        var dialogs = Ctx.Render<MudDialogProvider>();

        await page.ClickAndConfirmAsync(dialogs, "#event-delete");

        await using var db = App.Db();
        Assert.False(await db.Events.AnyAsync(e => e.Id == id));
        Assert.EndsWith("/tasks", Ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_events_lists_upcoming_ones_and_the_past_ones_only_when_unfolded()
    {
        var olga = await App.NewOperatorAsync("Olga Events");
        var coming = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Next open day")));
        var gone = await App.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Last open day") with
        {
            StartDate = new DateOnly(2026, 11, 20),
            EndDate = new DateOnly(2026, 11, 20),
        }));

        var section = RenderAs<MyEventsSection>(olga, isAdmin: false);

        section.WaitForAssertion(() => Assert.Equal("Next open day", section.Find($"#upcoming-events a#event-link-{coming}").TextContent.Trim()));
        Assert.Empty(section.FindAll($"#event-{gone}"));

        await section.Find("#past-events-panel .mud-expand-panel-header").ClickAsync(new());

        section.WaitForAssertion(() => Assert.Equal("Last open day", section.Find($"#past-events a#event-link-{gone}").TextContent.Trim()));
    }

    [Fact]
    public async Task An_admin_sees_the_events_of_the_operator_being_viewed()
    {
        var piet = await App.NewOperatorAsync("Piet Viewed");
        var id = await App.EventsAsync(piet, false, e => e.CreateAsync(TaskTestData.Event("Piet's visit")));
        var admin = await App.AdminAsync();

        var section = RenderAs<MyEventsSection>(admin, isAdmin: true, p => p.Add(x => x.UserId, piet.Id));

        section.WaitForAssertion(() => Assert.NotNull(section.Find($"#upcoming-events #event-{id}")));
    }

    [Fact]
    public async Task New_event_on_my_events_saves_it_and_lists_it_at_once()
    {
        var olga = await App.NewOperatorAsync("Olga New");
        var section = RenderAs<MyEventsSection>(olga, isAdmin: false);
        var dialogs = Ctx.Render<MudDialogProvider>();
        section.WaitForElement("#no-upcoming-events");

        var creating = section.Find("#new-event").ClickAsync(new());
        await dialogs.WaitForElement("#event-dialog input#event-title").InputAsync(new ChangeEventArgs { Value = "Team meeting" });
        await dialogs.WaitForElement("#event-save:not([disabled])").ClickAsync(new());
        await creating;

        section.WaitForAssertion(() => Assert.Contains("Team meeting", section.Find("#upcoming-events").TextContent, StringComparison.Ordinal));
    }

    private static Task<IDialogReference> OpenAsync(IRenderedComponent<MudDialogProvider> dialogs, DialogParameters<EventDialog> parameters) =>
        dialogs.InvokeAsync(() => dialogs.Services.GetRequiredService<IDialogService>().ShowAsync<EventDialog>("", parameters));
}
