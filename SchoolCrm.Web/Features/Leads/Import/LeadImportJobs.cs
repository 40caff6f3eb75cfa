using System.Collections.Concurrent;
using System.Threading.Channels;
using SchoolCrm.Domain.Import;

namespace SchoolCrm.Web.Features.Leads.Import;

public enum ImportPhase
{
    Queued,

    /// <summary>Opening the file and loading what rows are compared with, before the first row arrives.</summary>
    Reading,
    Writing,
    Finished,
}

/// <summary>
/// The live state of one import, shared between the worker that runs it and every page that shows it, so the
/// user may leave and come back. Written by the worker thread only; readers see a consistent enough picture
/// through volatile fields.
/// </summary>
public sealed class ImportProgress(int importId, string userId, int totalRows)
{
    private volatile ImportPhase phase = ImportPhase.Queued;
    private volatile int rowsDone;

    public int ImportId { get; } = importId;

    public string UserId { get; } = userId;

    public int TotalRows { get; } = totalRows;

    public ImportPhase Phase => phase;

    public int RowsDone => rowsDone;

    public int Percent => TotalRows <= 0 ? 0 : Math.Min(100, (int)(rowsDone * 100L / TotalRows));

    /// <summary>Set when finished: Completed, Failed or Cancelled.</summary>
    public LeadImportState? Outcome { get; private set; }

    public CancellationTokenSource Cancellation { get; } = new();

    internal void Set(ImportPhase newPhase, int done)
    {
        rowsDone = done;
        phase = newPhase;
    }

    internal void Finish(LeadImportState outcome)
    {
        Outcome = outcome;
        phase = ImportPhase.Finished;
    }
}

public sealed record ImportRequest(int ImportId, string UserId, ImportUpload Upload, ImportSettings Settings);

/// <summary>
/// Imports wait here and run one at a time (see <see cref="LeadImportWorker"/>): two imports writing at once
/// would fight over the database's write lock and could both match the same duplicates.
/// </summary>
public sealed class LeadImportJobs
{
    private readonly Channel<ImportRequest> channel = Channel.CreateUnbounded<ImportRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, ImportProgress> progress = new();
    private readonly ConcurrentDictionary<Guid, Lazy<Task<int>>> starts = new();

    /// <summary>Raised on the worker's thread at every progress step; handlers must be quick.</summary>
    public event Action<ImportProgress>? Changed;

    public ChannelReader<ImportRequest> Reader => channel.Reader;

    public ImportProgress Enqueue(ImportRequest request, int totalRows)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = new ImportProgress(request.ImportId, request.UserId, totalRows);
        progress[request.ImportId] = state;
        if (!channel.Writer.TryWrite(request))
        {
            throw new InvalidOperationException("The import queue is closed.");
        }

        return state;
    }

    /// <summary>
    /// Runs <paramref name="start"/> once per upload: a concurrent or later call (a double click) gets the import
    /// the first call started. Only once that import has ended without completing may the upload start another.
    /// </summary>
    public async Task<int> StartOnceAsync(Guid uploadId, Func<Task<int>> start)
    {
        var mine = new Lazy<Task<int>>(start);
        var current = starts.AddOrUpdate(uploadId, mine, (_, existing) => IsOver(existing) ? mine : existing);
        try
        {
            return await current.Value;
        }
        catch when (current == mine)
        {
            starts.TryRemove(KeyValuePair.Create(uploadId, mine));
            throw;
        }
    }

    public ImportProgress? Find(int importId) => progress.TryGetValue(importId, out var state) ? state : null;

    /// <summary>
    /// Calls <paramref name="onChange"/> (on the worker's thread) at every progress step of one import until the
    /// returned subscription is disposed; a component marshals it with InvokeAsync, as in dotnet/eShop's
    /// OrderStatusNotificationService.
    /// </summary>
    public IDisposable Subscribe(int importId, Action<ImportProgress> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        return new Subscription(this, p =>
        {
            if (p.ImportId == importId)
            {
                onChange(p);
            }
        });
    }

    /// <summary>How many handlers listen, so a test can see that a closed page let go.</summary>
    internal int SubscriberCount => Changed?.GetInvocationList().Length ?? 0;

    /// <summary>Imports of this process that have not finished, oldest first.</summary>
    public IReadOnlyList<ImportProgress> Unfinished() =>
        progress.Values.Where(p => p.Phase != ImportPhase.Finished).OrderBy(p => p.ImportId).ToList();

    private bool IsOver(Lazy<Task<int>> start) =>
        start.IsValueCreated && start.Value.IsCompleted
        && (!start.Value.IsCompletedSuccessfully || Find(start.Value.Result) is { Phase: ImportPhase.Finished, Outcome: not LeadImportState.Completed });

    internal void Report(ImportProgress state, ImportPhase phase, int rowsDone)
    {
        state.Set(phase, rowsDone);
        Changed?.Invoke(state);
    }

    internal void Finish(ImportProgress state, LeadImportState outcome)
    {
        state.Finish(outcome);
        Changed?.Invoke(state);
    }

    private sealed class Subscription : IDisposable
    {
        private readonly LeadImportJobs jobs;
        private Action<ImportProgress>? handler;

        public Subscription(LeadImportJobs jobs, Action<ImportProgress> handler)
        {
            this.jobs = jobs;
            this.handler = handler;
            jobs.Changed += handler;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref handler, null) is { } h)
            {
                jobs.Changed -= h;
            }
        }
    }
}
