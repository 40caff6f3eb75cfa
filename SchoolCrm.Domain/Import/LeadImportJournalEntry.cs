namespace SchoolCrm.Domain.Import;

/// <summary>
/// The state an existing lead had before a running import updated it, written in the same transaction as the
/// update. A cancelled, failed or interrupted import puts every journaled lead back; a completed one drops its
/// journal. (The leads an import created need no journal: they carry the import's id and are deleted.)
/// </summary>
public sealed class LeadImportJournalEntry
{
    private LeadImportJournalEntry()
    {
        Snapshot = "";
    }

    public long Id { get; private set; }

    public int ImportId { get; private set; }

    public int LeadId { get; private set; }

    /// <summary>The lead's <see cref="Leads.LeadSnapshot"/> as JSON: read back only by a rollback.</summary>
    public string Snapshot { get; private set; }

    public static LeadImportJournalEntry For(int importId, int leadId, string snapshot) =>
        new() { ImportId = importId, LeadId = leadId, Snapshot = snapshot };
}
