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

    /// <summary>Waits for <paramref name="delay"/> on <paramref name="time"/> or until poked, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken ct)
    {
        if (pokes.Reader.TryRead(out _))
        {
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sleep = Task.Delay(delay, time, waiting.Token);
        var poke = pokes.Reader.WaitToReadAsync(waiting.Token).AsTask();
        await Task.WhenAny(sleep, poke);
        await waiting.CancelAsync();
        ct.ThrowIfCancellationRequested();
        pokes.Reader.TryRead(out _);
    }
}
