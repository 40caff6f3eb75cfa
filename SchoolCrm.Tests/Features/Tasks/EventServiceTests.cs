using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Tasks;

namespace SchoolCrm.Tests.Features.Tasks;

/// <summary>Events through the real EventService and database; the clock stands on Wednesday 2 December 2026 10:00 in Rome.</summary>
public sealed class EventServiceTests(TasksApp app) : IClassFixture<TasksApp>
{
    private static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    [Fact]
    public async Task Participants_see_an_event_in_their_calendar_and_others_do_not()
    {
        var olga = await app.NewOperatorAsync();
        var piet = await app.NewOperatorAsync();
        var outsider = await app.NewOperatorAsync();
        var id = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Open day", null, olga.Id, piet.Id)));
        var (from, to) = SchoolTime.Days(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), Rome);

        var pietsMonth = await app.EventsAsync(piet, false, e => e.ListInRangeAsync(null, from, to));
        var outsidersMonth = await app.EventsAsync(outsider, false, e => e.ListInRangeAsync(null, from, to));

        var seen = Assert.Single(pietsMonth);
        Assert.Equal((id, "Open day", new DateTime(2026, 12, 5, 8, 0, 0)), (seen.Id, seen.Title, seen.StartUtc));
        Assert.True(seen.CanEdit);
        Assert.False(seen.CanDelete);
        Assert.Empty(outsidersMonth);
    }

    [Fact]
    public async Task An_event_without_participants_belongs_to_its_creator()
    {
        var olga = await app.NewOperatorAsync();

        var id = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Just me")));

        var details = await app.EventsAsync(olga, false, e => e.GetAsync(id));
        Assert.Equal([olga.Id], details!.Participants.Select(p => p.UserId));
    }

    [Fact]
    public async Task A_multi_day_all_day_event_is_in_every_range_that_touches_its_days_and_in_no_other()
    {
        var olga = await app.NewOperatorAsync();
        var input = TaskTestData.Event("Trip") with
        {
            AllDay = true,
            StartDate = new DateOnly(2026, 12, 10),
            StartTime = null,
            EndDate = new DateOnly(2026, 12, 12),
            EndTime = null,
        };
        await app.EventsAsync(olga, false, e => e.CreateAsync(input));

        async Task<int> CountOn(int firstDay, int lastDay)
        {
            var (from, to) = SchoolTime.Days(new DateOnly(2026, 12, firstDay), new DateOnly(2026, 12, lastDay), Rome);
            return (await app.EventsAsync(olga, false, e => e.ListInRangeAsync(null, from, to))).Count(e => e.Title == "Trip");
        }

        Assert.Equal(0, await CountOn(9, 9));
        Assert.Equal(1, await CountOn(10, 10));
        Assert.Equal(1, await CountOn(11, 11));
        Assert.Equal(1, await CountOn(12, 12));
        Assert.Equal(0, await CountOn(13, 13));
        Assert.Equal(1, await CountOn(7, 13));
    }

    [Fact]
    public async Task Only_participants_the_creator_and_admins_edit_and_only_the_creator_and_admins_delete()
    {
        var olga = await app.NewOperatorAsync();
        var piet = await app.NewOperatorAsync();
        var stranger = await app.NewOperatorAsync();
        var admin = await app.AdminAsync();
        var id = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Meeting", null, olga.Id, piet.Id)));
        var version = (await app.EventsAsync(olga, false, e => e.GetAsync(id)))!.Item.Version;

        var strangerEdit = await Assert.ThrowsAsync<DomainException>(
            () => app.EventsAsync(stranger, false, e => e.UpdateAsync(id, version, TaskTestData.Event("Mine", null, stranger.Id))));
        var newVersion = await app.EventsAsync(piet, false, e => e.UpdateAsync(id, version, TaskTestData.Event("Meeting, moved", null, olga.Id, piet.Id)));
        var pietDelete = await Assert.ThrowsAsync<DomainException>(() => app.EventsAsync(piet, false, e => e.DeleteAsync(id)));
        var stale = await Assert.ThrowsAsync<DomainException>(
            () => app.EventsAsync(olga, false, e => e.UpdateAsync(id, version, TaskTestData.Event("Old form", null, olga.Id))));

        Assert.Equal("event.not_allowed", strangerEdit.Code);
        Assert.NotEqual(version, newVersion);
        Assert.Equal("event.not_allowed", pietDelete.Code);
        Assert.Equal("event.conflict", stale.Code);
        await app.EventsAsync(admin, true, e => e.DeleteAsync(id));
        Assert.Null(await app.EventsAsync(olga, false, e => e.GetAsync(id)));
    }

    [Fact]
    public async Task A_disabled_operator_cannot_be_added_as_participant()
    {
        var olga = await app.NewOperatorAsync();
        var gone = await app.NewOperatorAsync();
        await app.DisableAsync(gone);

        var error = await Assert.ThrowsAsync<DomainException>(
            () => app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("With a ghost", null, olga.Id, gone.Id))));

        Assert.Equal(("task.assignee_missing", "ParticipantIds"), (error.Code, error.Field));
    }

    [Fact]
    public async Task An_events_changes_go_into_its_leads_history_and_my_events_splits_upcoming_from_past()
    {
        var olga = await app.NewOperatorAsync();
        var leadId = await app.NewLeadAsync(olga);
        var upcoming = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Visit", leadId)));
        var past = TaskTestData.Event("Last week's call", leadId) with
        {
            StartDate = new DateOnly(2026, 11, 25),
            EndDate = new DateOnly(2026, 11, 25),
        };
        var pastId = await app.EventsAsync(olga, false, e => e.CreateAsync(past));
        await app.EventsAsync(olga, false, e => e.DeleteAsync(pastId));

        var mine = await app.EventsAsync(olga, false, e => e.ListForUserAsync(null, upcoming: true));
        var lead = await app.EventsAsync(olga, false, e => e.ListForLeadAsync(leadId));

        Assert.Equal([upcoming], mine.Select(e => e.Id));
        Assert.Equal([upcoming], lead.Select(e => e.Id));
        Assert.Equal(
            [TaskHistory.EventCreated, TaskHistory.EventCreated, TaskHistory.EventDeleted],
            (await app.HistoryFieldsAsync(leadId)).Where(f => f.StartsWith("Event", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Only_an_admin_may_look_at_another_operators_calendar()
    {
        var olga = await app.NewOperatorAsync();
        var piet = await app.NewOperatorAsync();
        var (from, to) = SchoolTime.Days(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), Rome);

        var error = await Assert.ThrowsAsync<DomainException>(() => app.EventsAsync(olga, false, e => e.ListInRangeAsync(piet.Id, from, to)));
        var taskError = await Assert.ThrowsAsync<DomainException>(() => app.TasksAsync(olga, false, t => t.ListInRangeAsync(piet.Id, from, to)));

        Assert.Equal("auth.admin_only", error.Code);
        Assert.Equal("auth.admin_only", taskError.Code);
        Assert.Empty(await app.EventsAsync(await app.AdminAsync(), true, e => e.ListInRangeAsync(piet.Id, from, to)));
    }

    [Fact]
    public async Task The_event_forms_lead_search_finds_open_leads_by_name_and_never_a_converted_one()
    {
        var olga = await app.NewOperatorAsync();
        var open = await app.NewLeadAsync(olga, "Zeferino");
        var converted = await app.NewLeadAsync(olga, "Zeferina");
        await using (var scope = app.Services.CreateScopeAs(olga, isAdmin: false))
        {
            await scope.ServiceProvider.GetRequiredService<LeadConversionService>().ConvertAsync(converted);
        }

        var found = await app.EventsAsync(olga, false, e => e.SearchLeadsAsync("zefer"));

        Assert.Equal([(open, "Zeferino")], found.Select(l => (l.Id, l.Name)));
    }
}
