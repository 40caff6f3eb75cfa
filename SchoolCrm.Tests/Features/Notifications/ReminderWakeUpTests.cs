using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Web.Features.Notifications;

namespace SchoolCrm.Tests.Features.Notifications;

/// <summary>The reminder worker's wait ends at a moment of the school's clock, however that clock moves meanwhile.</summary>
public sealed class ReminderWakeUpTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 27, 8, 59, 59, TimeSpan.Zero);

    [Fact]
    public async Task A_wait_ends_when_its_moment_comes()
    {
        var time = new FakeTimeProvider(Start);
        var waiting = new ReminderWakeUp().WaitAsync(Start.AddSeconds(1), time, CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_clock_that_moves_on_while_the_wait_is_set_up_still_ends_it_at_its_moment()
    {
        // The clock moves on to the moment between the wait reading it and starting its delay, as another thread's
        // Advance can: a delay of the length read then would end a second too late, and a fake clock never gets there.
        var time = new ClockMovingWhenTimerStarts(Start, TimeSpan.FromSeconds(1));

        await new ReminderWakeUp().WaitAsync(Start.AddSeconds(1), time, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_poke_ends_a_wait_early()
    {
        var time = new FakeTimeProvider(Start);
        var wakeUp = new ReminderWakeUp();
        var waiting = wakeUp.WaitAsync(Start.AddHours(1), time, CancellationToken.None);

        wakeUp.Poke();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class ClockMovingWhenTimerStarts(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private readonly FakeTimeProvider clock = new(start);

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            clock.Advance(step);
            return clock.CreateTimer(callback, state, dueTime, period);
        }
    }
}
