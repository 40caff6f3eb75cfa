namespace SchoolCrm.Domain.Import;

public enum LeadImportState
{
    Queued = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>
/// One import of a lead file: who started it, when, from which file, and what it did. The leads it created
/// point back to it, so it can be undone.
/// </summary>
public sealed class LeadImport
{
    public const int FileNameMaxLength = 260;

    private LeadImport()
    {
        FileName = "";
        UserId = "";
    }

    public int Id { get; private set; }

    public string FileName { get; private set; }

    public string UserId { get; private set; }

    public DateTime QueuedAt { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public LeadImportState State { get; private set; }

    public int RowsRead { get; private set; }

    public int Created { get; private set; }

    public int Updated { get; private set; }

    public int Skipped { get; private set; }

    public int Errors { get; private set; }

    /// <summary>Why it failed, as an error code; null otherwise.</summary>
    public string? FailureCode { get; private set; }

    public DateTime? UndoneAt { get; private set; }

    public string? UndoneByUserId { get; private set; }

    /// <summary>How many created leads the undo removed (converted ones stay, as students).</summary>
    public int UndoneCount { get; private set; }

    public static LeadImport Queue(string fileName, string userId, DateTime nowUtc)
    {
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length > FileNameMaxLength)
        {
            name = name[..FileNameMaxLength];
        }

        return new LeadImport { FileName = name, UserId = userId, QueuedAt = nowUtc, State = LeadImportState.Queued };
    }

    public void Start(DateTime nowUtc)
    {
        EnsureState(LeadImportState.Queued);
        State = LeadImportState.Running;
        StartedAt = nowUtc;
    }

    public void Complete(int rowsRead, int created, int updated, int skipped, int errors, DateTime nowUtc)
    {
        EnsureState(LeadImportState.Running);
        State = LeadImportState.Completed;
        RowsRead = rowsRead;
        Created = created;
        Updated = updated;
        Skipped = skipped;
        Errors = errors;
        FinishedAt = nowUtc;
    }

    /// <summary>Nothing of the import was kept: the counts stay zero.</summary>
    public void Fail(string code, DateTime nowUtc)
    {
        State = LeadImportState.Failed;
        FailureCode = code;
        FinishedAt = nowUtc;
    }

    public void Cancel(DateTime nowUtc)
    {
        if (State is LeadImportState.Completed or LeadImportState.Failed)
        {
            throw new DomainException("import.finished");
        }

        State = LeadImportState.Cancelled;
        FinishedAt = nowUtc;
    }

    public void MarkUndone(int removed, string byUserId, DateTime nowUtc)
    {
        if (State != LeadImportState.Completed)
        {
            throw new DomainException("import.not_completed");
        }

        if (UndoneAt is not null)
        {
            throw new DomainException("import.already_undone");
        }

        UndoneAt = nowUtc;
        UndoneByUserId = byUserId;
        UndoneCount = removed;
    }

    private void EnsureState(LeadImportState expected)
    {
        if (State != expected)
        {
            throw new DomainException("import.wrong_state");
        }
    }
}
