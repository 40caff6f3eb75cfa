using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain.Students;

public sealed class Student : PersonRecord
{
    private Student()
    {
        CreatedByUserId = "";
        UpdatedByUserId = "";
    }

    public int Id { get; private set; }

    public DateOnly EnrolmentDate { get; private set; }

    /// <summary>The lead this student was converted from; unique, so a lead converts at most once.</summary>
    public int? ConvertedFromLeadId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedByUserId { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedByUserId { get; private set; }

    public Guid Version { get; private set; }

    public List<CustomFieldValue> CustomValues { get; private set; } = [];

    public static Student ConvertFrom(Lead lead, DateOnly enrolmentDate, string byUserId, DateTime nowUtc)
    {
        var student = new Student
        {
            EnrolmentDate = enrolmentDate,
            ConvertedFromLeadId = lead.Id,
            CreatedAt = nowUtc,
            CreatedByUserId = byUserId,
        };
        student.CopyDetailsFrom(lead);
        student.Touch(byUserId, nowUtc);
        return student;
    }

    public IReadOnlyList<FieldChange> Update(PersonDetails cleaned, DateOnly enrolmentDate, string byUserId, DateTime nowUtc)
    {
        var changes = ApplyDetails(cleaned, nowUtc);
        if (enrolmentDate != EnrolmentDate)
        {
            changes.Add(new FieldChange(nameof(EnrolmentDate), FieldChange.Format(EnrolmentDate), FieldChange.Format(enrolmentDate)));
            EnrolmentDate = enrolmentDate;
        }

        Touch(byUserId, nowUtc);
        return changes;
    }

    public void Touch(string byUserId, DateTime nowUtc)
    {
        UpdatedAt = nowUtc;
        UpdatedByUserId = byUserId;
        Version = Guid.NewGuid();
    }
}
