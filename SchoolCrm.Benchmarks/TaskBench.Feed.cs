using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// The hook for issue 10's third target, the iCal feed of a user with 5,000 items ≤ 500 ms (helper "ical" fills it
/// in; this file is the only one it needs to change). The seeded file holds that user: <see cref="FeedUserId"/>, an
/// operator with 4,000 tasks (3,700 done in the year before <see cref="Now"/>, 300 open in the 90 days after) and
/// 1,000 events (timed, in the same span); no one else's items are in their feed.
/// </summary>
internal sealed partial class TaskBench
{
    /// <summary>Registers what the feed needs beside the task and event services (nothing yet).</summary>
    private static void ConfigureFeedServices(IServiceCollection services, IConfiguration configuration)
    {
        _ = services;
        _ = configuration;
    }

    /// <summary>
    /// The feed's measurement, e.g. <c>ListBench.MeasureAsync("iCal feed of 5,000 items", () =&gt; ..., runs, 500)</c>
    /// with the feed built for <see cref="FeedUserId"/> the way the endpoint builds it (<see cref="InScopeAsync{TService}"/>
    /// gives a service in a new scope; <see cref="ActAs"/> changes the signed-in user). Null: not measured yet.
    /// </summary>
    private Task<Measurement?> MeasureFeedAsync(int runs)
    {
        _ = (runs, FeedUserId);
        return Task.FromResult<Measurement?>(null);
    }
}
