using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Domain.Leads;

/// <summary>A prospective student. Its id is what comments, history, custom values and tasks hang on.</summary>
public sealed class Lead : PersonRecord
{
    private Lead()
    {
        CreatedByUserId = "";
        UpdatedByUserId = "";
    }

    public int Id { get; private set; }

    public int StatusId { get; private set; }

    public string? AssignedToUserId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedByUserId { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedByUserId { get; private set; }

    /// <summary>Set when the lead became a student; such a lead is no longer part of the CRM list.</summary>
    public DateTime? ConvertedAt { get; private set; }

    /// <summary>Optimistic concurrency token: a new value on every change.</summary>
    public Guid Version { get; private set; }

    /// <summary>The import that created the lead (null: entered by hand). An import that updates an existing lead
    /// leaves it as it is: the lead is still the one its first import, or a user, brought in.</summary>
    public int? ImportId { get; private set; }

    public List<CustomFieldValue> CustomValues { get; private set; } = [];

    /// <summary>The comments on the lead (they stay when it becomes a student, and then belong to the student too).
    /// Loaded only where asked for; saved filters read them in SQL.</summary>
    public List<Comment> Comments { get; private set; } = [];

    /// <summary>The tasks about the lead (they stay with the student after conversion). Loaded only where asked
    /// for; saved filters' task conditions read them in SQL.</summary>
    public List<CrmTask> Tasks { get; private set; } = [];

    public static Lead Create(PersonDetails cleaned, int statusId, string? assignedToUserId, string byUserId, DateTime nowUtc, int? importId = null)
    {
        var lead = new Lead
        {
            StatusId = statusId,
            AssignedToUserId = assignedToUserId,
            CreatedAt = nowUtc,
            CreatedByUserId = byUserId,
            ImportId = importId,
        };
        lead.ApplyDetails(cleaned, nowUtc, recordChanges: false);
        lead.Touch(byUserId, nowUtc);
        return lead;
    }

    public IReadOnlyList<FieldChange> Update(PersonDetails cleaned, string byUserId, DateTime nowUtc)
    {
        EnsureInCrm();
        var changes = ApplyDetails(cleaned, nowUtc);
        if (changes.Count > 0)
        {
            Touch(byUserId, nowUtc);
        }

        return changes;
    }

    public FieldChange? ChangeStatus(int statusId, string byUserId, DateTime nowUtc)
    {
        EnsureInCrm();
        if (statusId == StatusId)
        {
            return null;
        }

        var change = new FieldChange(nameof(StatusId), FieldChange.Format(StatusId), FieldChange.Format(statusId));
        StatusId = statusId;
        Touch(byUserId, nowUtc);
        return change;
    }

    public FieldChange? AssignTo(string? userId, string byUserId, DateTime nowUtc)
    {
        EnsureInCrm();
        if (userId == AssignedToUserId)
        {
            return null;
        }

        var change = new FieldChange(nameof(AssignedToUserId), AssignedToUserId, userId);
        AssignedToUserId = userId;
        Touch(byUserId, nowUtc);
        return change;
    }

    /// <summary>Replaces the values of the checked fields; returns the removed rows and the history lines.</summary>
    public CustomValuesChange SetCustomValues(CustomValuesCheck check, string byUserId, DateTime nowUtc)
    {
        EnsureInCrm();
        var change = CustomValueRules.Replace(CustomValues, check);
        if (change.Changes.Count > 0)
        {
            Touch(byUserId, nowUtc);
        }

        return change;
    }

    public void MarkConverted(string byUserId, DateTime nowUtc)
    {
        EnsureInCrm();
        ConvertedAt = nowUtc;
        Touch(byUserId, nowUtc);
    }

    /// <summary>Everything an update may change, so that it can be put back (see <see cref="Restore"/>).</summary>
    public LeadSnapshot Snapshot() => new(
        Details,
        PrivacyConsentAt,
        StatusId,
        AssignedToUserId,
        UpdatedAt,
        UpdatedByUserId,
        Version,
        [.. CustomValues.Select(v => v.Snapshot())]);

    /// <summary>
    /// Puts the lead back exactly as the snapshot was taken, custom values included, as if the changes since
    /// had never been made (an import rolled back). Returns the value rows that left the lead, to delete.
    /// </summary>
    public IReadOnlyList<CustomFieldValue> Restore(LeadSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        EnsureInCrm();
        RestoreDetails(snapshot.Details, snapshot.PrivacyConsentAt);
        StatusId = snapshot.StatusId;
        AssignedToUserId = snapshot.AssignedToUserId;
        UpdatedAt = snapshot.UpdatedAt;
        UpdatedByUserId = snapshot.UpdatedByUserId;
        Version = snapshot.Version;
        var removed = CustomValues.ToList();
        CustomValues.Clear();
        CustomValues.AddRange(snapshot.CustomValues.Select(CustomFieldValue.Restore));
        return removed;
    }

    /// <summary>Records a change made outside the standard fields (a custom value), for concurrency.</summary>
    public void Touch(string byUserId, DateTime nowUtc)
    {
        UpdatedAt = nowUtc;
        UpdatedByUserId = byUserId;
        Version = Guid.NewGuid();
    }

    private void EnsureInCrm()
    {
        if (ConvertedAt is not null)
        {
            throw new DomainException("lead.already_converted");
        }
    }
}

/// <summary>A lead's state before a change that may have to be undone (an import's undo journal).</summary>
public sealed record LeadSnapshot(
    PersonDetails Details,
    DateTime? PrivacyConsentAt,
    int StatusId,
    string? AssignedToUserId,
    DateTime UpdatedAt,
    string UpdatedByUserId,
    Guid Version,
    IReadOnlyList<CustomValueSnapshot> CustomValues);
