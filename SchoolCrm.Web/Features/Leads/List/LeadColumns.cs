using System.Globalization;
using SchoolCrm.Domain.CustomFields;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// The columns the lead list offers, by key. Keys are short and stable because they live in URLs
/// (sort=city&amp;cols=name,city,cf12). A custom field's key is "cf" + its id.
/// </summary>
public static class LeadColumns
{
    public const string Name = "name";
    public const string Company = "company";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Mobile = "mobile";
    public const string TaxCode = "taxcode";
    public const string Address = "address";
    public const string City = "city";
    public const string Zip = "zip";
    public const string Province = "province";
    public const string Status = "status";
    public const string Assignee = "assignee";
    public const string CaptureDate = "captured";
    public const string DateOfBirth = "born";
    public const string Gender = "gender";
    public const string Privacy = "privacy";
    public const string CreatedAt = "created";
    public const string UpdatedAt = "updated";

    private const string CustomPrefix = "cf";

    /// <summary>Every standard column in the order the column chooser lists them.</summary>
    public static readonly IReadOnlyList<string> Standard =
    [
        Name, Company, Email, Phone, Mobile, TaxCode, Address, City, Zip, Province,
        Status, Assignee, CaptureDate, DateOfBirth, Gender, Privacy, CreatedAt, UpdatedAt,
    ];

    public static readonly IReadOnlyList<string> DefaultVisible = [Name, Company, Email, Mobile, Status, Assignee, CaptureDate];

    public static string ForCustomField(int fieldId) => CustomPrefix + fieldId.ToString(CultureInfo.InvariantCulture);

    public static bool TryGetCustomFieldId(string key, out int fieldId)
    {
        fieldId = 0;
        return key.StartsWith(CustomPrefix, StringComparison.Ordinal)
            && int.TryParse(key.AsSpan(CustomPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out fieldId);
    }
}

/// <summary>
/// One column the list offers: a standard one (<see cref="CustomFieldId"/> null, header from the resources)
/// or an active custom field (header is the field's name).
/// </summary>
public sealed record LeadColumn(string Key, int? CustomFieldId = null, CustomFieldType? FieldType = null, string? FieldName = null)
{
    public bool IsCustom => CustomFieldId is not null;

    /// <summary>A multiple-choice field has several values per lead, so there is no one value to sort by.</summary>
    public bool IsSortable => FieldType != CustomFieldType.MultipleChoice;

    public static LeadColumn ForCustomField(int id, CustomFieldType type, string name) =>
        new(LeadColumns.ForCustomField(id), id, type, name);
}
