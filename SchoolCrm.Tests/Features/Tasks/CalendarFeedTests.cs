using System.Net;
using System.Net.Http.Headers;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Tasks.Feed;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Tasks;

/// <summary>
/// The iCal subscription through the real app: tokens issued by the service as the user, the feed fetched over HTTP
/// without signing in and parsed back with Ical.Net. The school is in Europe/Rome, the clock on 2 December 2026 10:00.
/// </summary>
public sealed class CalendarFeedTests(TasksApp app) : IClassFixture<TasksApp>
{
    [Fact]
    public async Task The_feed_has_the_users_tasks_and_events_as_vevents_in_the_schools_zone_and_parses_back()
    {
        var olga = await app.NewOperatorAsync("Olga Feed");
        var other = await app.NewOperatorAsync();
        var leadId = await NewLeadWithDetailsAsync(olga);
        var withLead = await app.NewTaskAsync(olga, olga, leadId, "Send the brochure");
        var withoutLead = await app.NewTaskAsync(olga, olga, title: "Order paper", date: new DateOnly(2026, 12, 10), time: new TimeOnly(14, 30));
        var notMine = await app.NewTaskAsync(olga, other, title: "Someone else's");
        var meeting = await app.EventsAsync(olga, false, e => e.CreateAsync(TaskTestData.Event("Parents' evening", leadId, olga.Id)));
        var openDays = await app.EventsAsync(olga, false, e => e.CreateAsync(
            new EventInput(null, "Open days", "Hall", null, true, new DateOnly(2026, 12, 12), null, new DateOnly(2026, 12, 13), null, [olga.Id])));
        var token = await IssueAsync(olga);

        using var response = await Client().GetAsync(FeedPath(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var calendar = Ical.Net.Calendar.Load(text)!;
        Assert.Equal(["Europe/Rome"], calendar.TimeZones.Select(z => z.TzId));
        Assert.Equal("PT1H", calendar.Properties["X-PUBLISHED-TTL"]?.Value?.ToString());
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H", text, StringComparison.Ordinal);
        var byUid = calendar.Events.ToDictionary(e => e.Uid!);
        Assert.Equal(
            new[] { $"task-{withLead}@localhost", $"task-{withoutLead}@localhost", $"event-{meeting}@localhost", $"event-{openDays}@localhost" }.Order(),
            byUid.Keys.Order());
        Assert.DoesNotContain($"task-{notMine}@localhost", byUid.Keys);

        var task = byUid[$"task-{withLead}@localhost"];
        Assert.Equal("Send the brochure – Anna Feedlead", task.Summary);
        Assert.Equal("Europe/Rome", task.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 12, 3, 10, 0, 0), task.DtStart.Value);
        Assert.Equal(new DateTime(2026, 12, 3, 9, 0, 0), task.DtStart.AsUtc);
        Assert.Equal(TransparencyType.Transparent, task.Transparency);
        Assert.NotNull(task.DtStamp);
        Assert.True(task.DtStamp!.IsUtc);
        Assert.Equal(new Uri($"http://localhost/tasks/{withLead}"), task.Url);
        Assert.Equal(new DateTime(2026, 12, 10, 13, 30, 0), byUid[$"task-{withoutLead}@localhost"].DtStart!.AsUtc);
        Assert.Equal("Order paper", byUid[$"task-{withoutLead}@localhost"].Summary);

        var evening = byUid[$"event-{meeting}@localhost"];
        Assert.Equal(("Parents' evening – Anna Feedlead", "Hall"), (evening.Summary, evening.Location));
        Assert.Equal((new DateTime(2026, 12, 5, 8, 0, 0), new DateTime(2026, 12, 5, 11, 0, 0)), (evening.DtStart!.AsUtc, evening.DtEnd!.AsUtc));
        var days = byUid[$"event-{openDays}@localhost"];
        Assert.True(days.IsAllDay);
        Assert.Equal((new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14)), (days.DtStart!.Date, days.DtEnd!.Date));

        // Of the lead only the name: no e-mail, phone, address or notes.
        foreach (var secret in new[] { "anna.feedlead@example.test", "333 1234567", "Via Segreta", "Allergic" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_done_task_is_marked_and_uids_stay_the_same_across_fetches_and_a_rotation()
    {
        var olga = await app.NewOperatorAsync();
        var id = await app.NewTaskAsync(olga, olga, title: "Call back");
        await app.TasksAsync(olga, false, t => t.CompleteAsync(id));
        var first = await IssueAsync(olga);
        var before = await FeedAsync(first);
        var second = await IssueAsync(olga);

        var after = await FeedAsync(second);

        Assert.Equal("✓ Call back", before.Events.Single().Summary);
        Assert.Equal(before.Events.Single().Uid, after.Events.Single().Uid);
        Assert.Equal(before.Events.Single().DtStamp, after.Events.Single().DtStamp);
    }

    [Fact]
    public async Task Asking_again_with_the_etag_or_the_last_modified_date_answers_304_until_something_changes()
    {
        var olga = await app.NewOperatorAsync();
        var id = await app.NewTaskAsync(olga, olga, title: "Call back");
        var token = await IssueAsync(olga);
        using var first = await Client().GetAsync(FeedPath(token));
        var etag = first.Headers.ETag!;
        var lastModified = first.Content.Headers.LastModified!.Value;

        using var byTag = await GetAsync(token, r => r.Headers.IfNoneMatch.Add(etag));
        using var byDate = await GetAsync(token, r => r.Headers.IfModifiedSince = lastModified);
        Assert.Equal(HttpStatusCode.NotModified, byTag.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);
        Assert.Equal(etag, byTag.Headers.ETag);
        Assert.Empty(await byTag.Content.ReadAsByteArrayAsync());

        app.Time.Advance(TimeSpan.FromMinutes(5));
        await app.TasksAsync(olga, false, t => t.CompleteAsync(id));

        using var changedByTag = await GetAsync(token, r => r.Headers.IfNoneMatch.Add(etag));
        using var changedByDate = await GetAsync(token, r => r.Headers.IfModifiedSince = lastModified);
        Assert.Equal(HttpStatusCode.OK, changedByTag.StatusCode);
        Assert.NotEqual(etag, changedByTag.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, changedByDate.StatusCode);
        Assert.True(changedByDate.Content.Headers.LastModified > lastModified);
    }

    [Fact]
    public async Task A_deleted_task_leaves_the_feed_and_changes_its_etag()
    {
        var olga = await app.NewOperatorAsync();
        var keep = await app.NewTaskAsync(olga, olga, title: "Keep");
        var drop = await app.NewTaskAsync(olga, olga, title: "Drop");
        var token = await IssueAsync(olga);
        using var first = await Client().GetAsync(FeedPath(token));

        await app.TasksAsync(olga, false, t => t.DeleteAsync(drop));

        using var second = await GetAsync(token, r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var calendar = Ical.Net.Calendar.Load(await second.Content.ReadAsStringAsync())!;
        Assert.Equal([$"task-{keep}@localhost"], calendar.Events.Select(e => e.Uid));
    }

    [Fact]
    public async Task Rotating_makes_the_old_address_answer_404_at_once_and_the_new_one_work()
    {
        var olga = await app.NewOperatorAsync();
        var old = await IssueAsync(olga);
        using (var before = await Client().GetAsync(FeedPath(old)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var fresh = await IssueAsync(olga);

        using var oldAnswer = await Client().GetAsync(FeedPath(old));
        using var newAnswer = await Client().GetAsync(FeedPath(fresh));
        Assert.Equal(HttpStatusCode.NotFound, oldAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newAnswer.StatusCode);
    }

    [Fact]
    public async Task Revoking_makes_the_address_answer_a_bare_404_at_once()
    {
        var olga = await app.NewOperatorAsync();
        var token = await IssueAsync(olga);

        await FeedsAsync(olga, f => f.RevokeAsync());

        using var answer = await Client().GetAsync(FeedPath(token));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());
        Assert.Null(await FeedsAsync(olga, f => f.GetMineAsync()));
    }

    [Fact]
    public async Task A_disabled_users_feed_answers_404()
    {
        var olga = await app.NewOperatorAsync();
        var token = await IssueAsync(olga);

        await app.DisableAsync(olga);

        using var answer = await Client().GetAsync(FeedPath(token));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task The_token_is_long_random_and_stored_only_as_its_hash_and_opens_no_page()
    {
        var olga = await app.NewOperatorAsync();

        var token = await IssueAsync(olga);

        Assert.Equal(43, token.Length);
        await using var db = app.Db();
        var row = await db.CalendarFeeds.SingleAsync(f => f.UserId == olga.Id);
        Assert.Equal(CalendarFeed.Hash(token), row.TokenHash);
        Assert.False(await db.CalendarFeeds.AnyAsync(f => f.TokenHash == token));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, (await FeedsAsync(olga, f => f.GetMineAsync()))!.IssuedAt);

        // The token is no sign-in: with it in the address or as a bearer, pages still send to the login.
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var page = await client.GetAsync("/tasks?token=" + token);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_token_answers_404()
    {
        using var answer = await Client().GetAsync(FeedPath("x" + new string('a', 42)));

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task The_request_log_never_holds_a_feeds_token()
    {
        var token = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

        var logged = CalendarFeedEndpoints.Redacted(FeedPath(token));

        Assert.DoesNotContain(token, logged, StringComparison.Ordinal);
        Assert.Equal("/leads/5", CalendarFeedEndpoints.Redacted("/leads/5"));
    }

    private HttpClient Client() => app.CreateClient();

    private static string FeedPath(string token) => CalendarFeedEndpoints.PathPrefix + token + ".ics";

    private async Task<HttpResponseMessage> GetAsync(string token, Action<HttpRequestMessage> arrange)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, FeedPath(token));
        arrange(request);
        return await Client().SendAsync(request);
    }

    private async Task<Ical.Net.Calendar> FeedAsync(string token)
    {
        using var response = await Client().GetAsync(FeedPath(token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
    }

    private Task<string> IssueAsync(AppUser user) => FeedsAsync(user, f => f.IssueAsync());

    private async Task<T> FeedsAsync<T>(AppUser user, Func<CalendarFeedService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin: false);
        return await action(scope.ServiceProvider.GetRequiredService<CalendarFeedService>());
    }

    private async Task FeedsAsync(AppUser user, Func<CalendarFeedService, Task> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin: false);
        await action(scope.ServiceProvider.GetRequiredService<CalendarFeedService>());
    }

    private async Task<int> NewLeadWithDetailsAsync(AppUser user)
    {
        var statusId = await app.DefaultStatusIdAsync();
        return await app.AsAsync(user, isAdmin: false, leads => leads.CreateAsync(
            new PersonDetails
            {
                FirstName = "Anna",
                LastName = "Feedlead",
                CaptureDate = new DateOnly(2025, 3, 1),
                Email = "anna.feedlead@example.test",
                Phone = "333 1234567",
                Address = "Via Segreta 1",
                Notes = "Allergic to cats",
            },
            statusId,
            null,
            []));
    }
}
