using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Records;

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

/// <summary>
/// Everything the student page shows. User names are display names, instants UTC. Comments and history come in
/// the lead page's shapes, so the same components render them.
/// </summary>
public sealed record StudentDetails(
    int Id,
    PersonDetails Person,
    DateTime? PrivacyConsentAt,
    DateOnly EnrolmentDate,
    int? ConvertedFromLeadId,
    string CreatedByName,
    DateTime CreatedAt,
    string UpdatedByName,
    DateTime UpdatedAt,
    IReadOnlyList<CustomFieldDefinition> CustomFields,
    IReadOnlyDictionary<int, CustomValueInput> CustomValues,
    IReadOnlyList<CommentItem> Comments,
    IReadOnlyList<HistoryItem> History);
