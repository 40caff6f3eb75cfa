using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Web.Features.Students;

public enum StudentSort
{
    Name,
    EnrolmentDate,
    Email,
    City,
}

/// <summary>A page of the student list; <paramref name="Page"/> counts from 0.</summary>
public sealed record StudentListQuery(string? Search, int Page, int PageSize, StudentSort Sort = StudentSort.Name, bool Descending = false);

public sealed record StudentListItem(
    int Id,
    string FirstName,
    string? LastName,
    string? CompanyName,
    string? Email,
    string? Phone,
    string? Mobile,
    string? City,
    DateOnly EnrolmentDate);

public sealed record StudentListPage(IReadOnlyList<StudentListItem> Items, int TotalCount);

/// <summary>Everything the student page shows. User names are display names, instants UTC.</summary>
public sealed record StudentDetails(
    int Id,
    PersonDetails Person,
    DateTime? PrivacyConsentAt,
    DateOnly EnrolmentDate,
    int? ConvertedFromLeadId,
    string CreatedBy,
    DateTime CreatedAt,
    string UpdatedBy,
    DateTime UpdatedAt,
    IReadOnlyList<StudentCustomValue> CustomValues,
    IReadOnlyList<StudentComment> Comments,
    IReadOnlyList<StudentHistoryItem> History);

/// <summary>An active custom field and the student's value, empty when there is none; choices as labels in order.</summary>
public sealed record StudentCustomValue(
    int FieldId,
    string FieldName,
    CustomFieldType Type,
    string? Text,
    double? Number,
    DateOnly? Date,
    bool? Checked,
    IReadOnlyList<string> Choices)
{
    public bool IsEmpty => Text is null && Number is null && Date is null && Checked is null && Choices.Count == 0;
}

public sealed record StudentComment(int Id, string Author, string Text, DateTime CreatedAt, DateTime? EditedAt);

/// <summary>
/// A history line. <paramref name="Field"/> is the raw key (a standard field's property name or an event such as
/// "Converted"); <paramref name="CustomFieldName"/> is set for "CustomField:{id}" entries. Status and operator ids
/// in the values are already replaced by their names.
/// </summary>
public sealed record StudentHistoryItem(DateTime At, string User, string Field, string? CustomFieldName, string? OldValue, string? NewValue);
