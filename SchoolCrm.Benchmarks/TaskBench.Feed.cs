using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Web.Features.Tasks.Feed;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// Issue 10's third target, the iCal feed of a user with 5,000 items ≤ 500 ms. The seeded file holds that user:
/// <see cref="FeedUserId"/>, an operator with 4,000 tasks (3,700 done in the year before <see cref="Now"/>, 300 open
/// in the 90 days after) and 1,000 events (timed, in the same span); no one else's items are in their feed.
/// </summary>
internal sealed partial class TaskBench
{
    /// <summary>The address the feed's items link to, as the endpoint takes it from the request.</summary>
    private static readonly Uri FeedSite = new("https://crm.school.example/");

    /// <summary>The feed user's token while the benchmark runs; revoked in <see cref="RevokeFeedAsync"/>.</summary>
    private string? feedToken;

    /// <summary>What the feed needs beside the task and event services, as the app registers it.</summary>
    private static void ConfigureFeedServices(IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddScoped<CalendarFeedService>();
        services.AddSingleton<CalendarFeedWriter>();
        services.AddSingleton<CalendarFeedVersions>();
    }

    /// <summary>
    /// The feed built for <see cref="FeedUserId"/> the way the endpoint builds it (<see cref="CalendarFeedService.RenderAsync"/>
    /// with the token of the address: the token's row, the two queries, Ical.Net's text, the ETag), twice: as a repeat
    /// fetch (the app's one <see cref="CalendarFeedWriter"/> keeps each item's text once written) and as the first fetch
    /// after a start (a new writer, so every item goes through Ical.Net), both held to the target; then the read alone.
    /// </summary>
    private async Task<List<Measurement>> MeasureFeedAsync(Func<string, Func<Task<int>>, double?, bool, Task<Measurement>> measure)
    {
        // The feed's address as the profile page creates it; the file has no subscription of its own.
        ActAs(FeedUserId, admin: false);
        await using (var scope = services.CreateAsyncScope())
        {
            feedToken = await scope.ServiceProvider.GetRequiredService<CalendarFeedService>().IssueAsync();
        }

        ActAs(MeId, admin: false);

        var token = feedToken;
        var read = await InScopeAsync<CalendarFeedService>(async feeds => await feeds.ReadAsync(token) is { } c ? c.Tasks.Count + c.Events.Count : 0);
        if (read != 5_000)
        {
            throw new InvalidOperationException($"The feed user's feed holds {read} items, not 5,000: the seed or the clock is off.");
        }

        Task<int> Repeat() => InScopeAsync<CalendarFeedService>(async feeds => (await feeds.RenderAsync(token, FeedSite))!.Body.Length);

        // A process that has just started has an empty writer (the versions are in the database and outlive it); JIT and
        // connection pool are warm here.
        async Task<int> First()
        {
            await using var scope = services.CreateAsyncScope();
            var feeds = ActivatorUtilities.CreateInstance<CalendarFeedService>(scope.ServiceProvider, new CalendarFeedWriter(), scope.ServiceProvider.GetRequiredService<CalendarFeedVersions>());
            return (await feeds.RenderAsync(token, FeedSite))!.Body.Length;
        }

        var size = await Repeat();
        var kib = string.Create(CultureInfo.InvariantCulture, $"{size / 1024.0:N0} KiB");
        return
        [
            await measure($"iCal feed of 5,000 items (4,000 tasks, 1,000 events; {kib}) as the endpoint builds it, repeat fetch: the writer keeps the items' texts", Repeat, 500, false),
            await measure("iCal feed of 5,000 items, first fetch after a start: a new writer, every item through Ical.Net", First, 500, false),
            await measure("iCal feed: the read alone (token, the tasks and the events: `CalendarFeedService.ReadAsync`)",
                () => InScopeAsync<CalendarFeedService>(async feeds => (await feeds.ReadAsync(token))!.Tasks.Count), null, true),
        ];
    }

    /// <summary>Takes the benchmark's subscription away again, so the file holds no feed token after the run.</summary>
    private async Task RevokeFeedAsync()
    {
        if (feedToken is null)
        {
            return;
        }

        ActAs(FeedUserId, admin: false);
        await InScopeAsync<CalendarFeedService>(async feeds =>
        {
            await feeds.RevokeAsync();
            return 0;
        });
        feedToken = null;
    }
}
