using SchoolCrm.Domain.CustomFields;

namespace SchoolCrm.Web.Features.CustomFields;

/// <summary>How many leads and students have a value that would go.</summary>
public sealed record ValueUsage(int Leads, int Students)
{
    public int Total => Leads + Students;
}

/// <summary>A row of the admin screen: every field, archived ones too, with how much data hangs on it.</summary>
public sealed record CustomFieldAdminItem(
    int Id,
    string Name,
    CustomFieldType Type,
    bool IsRequired,
    bool IsArchived,
    ValueUsage Usage,
    IReadOnlyList<CustomFieldAdminOption> Options)
{
    public bool HasOptions => Type is CustomFieldType.SingleChoice or CustomFieldType.MultipleChoice;
}

/// <summary>An option and how many leads and students chose it.</summary>
public sealed record CustomFieldAdminOption(int Id, string Label, int ValueCount);

public sealed record NewCustomField(string Name, CustomFieldType Type, bool IsRequired, IReadOnlyList<string> Options);
