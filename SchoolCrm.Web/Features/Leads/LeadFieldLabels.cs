using Microsoft.Extensions.Localization;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>
/// The lead's standard fields in form order and their labels in the user's language, for the forms, the
/// history and the Excel template and export. Custom fields are labelled by their own names.
/// </summary>
public sealed class LeadFieldLabels(IStringLocalizer<LeadsText> text)
{
    public static readonly IReadOnlyList<string> StandardFields =
    [
        nameof(PersonDetails.CompanyName),
        nameof(PersonDetails.FirstName),
        nameof(PersonDetails.LastName),
        nameof(PersonDetails.CaptureDate),
        nameof(PersonDetails.Email),
        nameof(PersonDetails.TaxCode),
        nameof(PersonDetails.Address),
        nameof(PersonDetails.City),
        nameof(PersonDetails.Zip),
        nameof(PersonDetails.Province),
        nameof(PersonDetails.Phone),
        nameof(PersonDetails.Mobile),
        nameof(PersonDetails.Gender),
        nameof(Lead.StatusId),
        nameof(Lead.AssignedToUserId),
        nameof(PersonDetails.DateOfBirth),
        nameof(PersonDetails.PrivacyConsent),
        nameof(PersonDetails.Notes),
    ];

    /// <summary>A standard field's label; an unknown name comes back as it is.</summary>
    public string this[string field]
    {
        get
        {
            var label = text["Field_" + field];
            return label.ResourceNotFound ? field : label.Value;
        }
    }

    public string Gender(Gender gender) => text["Gender_" + gender];

    /// <summary>The label of a history or message field: standard label, or the custom field's name.</summary>
    public string For(string field, IReadOnlyList<CustomFieldDefinition>? customFields = null)
    {
        if (CustomValueRules.TryParseFieldKey(field, out var id))
        {
            return customFields?.FirstOrDefault(f => f.Id == id)?.Name ?? text["History_RemovedField"];
        }

        return this[field];
    }
}
