using System.Threading.Channels;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>
/// Lets a save that changed the schedule wake the <see cref="ReminderWorker"/> of this process at once, so a reminder
/// due sooner than the worker's next look is still on time. Other processes sharing the database see the change at
/// their next poll.
/// </summary>
public sealed class ReminderWakeUp
{
    // One pending wake-up is enough: the worker reads the whole schedule when it wakes.
    private readonly Channel<bool> pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Poke() => pokes.Writer.TryWrite(true);

    /// <summary>
    /// Waits until <paramref name="until"/> on <paramref name="time"/> or until poked, whichever comes first. The end is a
    /// moment, not a length: a clock that moves on while the wait is set up (a test's fake clock advanced by another
    /// thread, a machine waking from sleep) would otherwise end a delay that late; so the clock is read again once the
    /// delay runs, and a moment already passed ends the wait at once (ReminderTests' summer-time test missed its
    /// reminder so, once, on two busy cores).
    /// </summary>
    public async Task WaitAsync(DateTimeOffset until, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (pokes.Reader.TryRead(out _))
        {
            return;
        }

        var delay = until - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sleep = Task.Delay(delay, time, waiting.Token);
        if (time.GetUtcNow() >= until)
        {
            await waiting.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return;
        }

        var poke = pokes.Reader.WaitToReadAsync(waiting.Token).AsTask();
        await Task.WhenAny(sleep, poke);
        await waiting.CancelAsync();
        ct.ThrowIfCancellationRequested();
        pokes.Reader.TryRead(out _);
    }
}
