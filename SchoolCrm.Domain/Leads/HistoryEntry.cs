namespace SchoolCrm.Domain.Leads;

/// <summary>Who changed which field from what to what, and when. Belongs to a lead and, after conversion, its student.</summary>
public sealed class HistoryEntry
{
    private HistoryEntry()
    {
        UserId = "";
        Field = "";
    }

    public long Id { get; private set; }

    public int? LeadId { get; private set; }

    public int? StudentId { get; private set; }

    public DateTime At { get; private set; }

    public string UserId { get; private set; }

    /// <summary>A standard field's property name, "CustomField:{id}", or an event such as "Created" or "Converted".</summary>
    public string Field { get; private set; }

    public string? OldValue { get; private set; }

    public string? NewValue { get; private set; }

    public static HistoryEntry ForLead(int leadId, FieldChange change, string userId, DateTime nowUtc) =>
        ForRecord(leadId, null, change, userId, nowUtc);

    public static HistoryEntry ForStudent(int studentId, FieldChange change, string userId, DateTime nowUtc) =>
        ForRecord(null, studentId, change, userId, nowUtc);

    /// <summary>A line for whatever the record is now: a lead, its student after conversion, or both.</summary>
    public static HistoryEntry ForRecord(int? leadId, int? studentId, FieldChange change, string userId, DateTime nowUtc) => new()
    {
        LeadId = leadId,
        StudentId = studentId,
        At = nowUtc,
        UserId = userId,
        Field = change.Field,
        OldValue = change.OldValue,
        NewValue = change.NewValue,
    };
}
