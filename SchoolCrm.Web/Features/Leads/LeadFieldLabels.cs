using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>
/// The labels of the lead fields in <see cref="LeadFields"/>, one resource per standard field (LeadsText's
/// "Field_" keys), for the forms, the history, the list, the Excel template and export. Custom fields are
/// labelled by their own names. The static methods take a culture, so the import can match headers in every
/// supported language at once.
/// </summary>
public sealed class LeadFieldLabels(IStringLocalizer<LeadsText> text)
{
    private static readonly ResourceManager Resources = new(typeof(LeadsText).FullName!, typeof(LeadsText).Assembly);

    /// <summary>A field's label in <paramref name="culture"/>.</summary>
    public static string For(LeadField field, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.CustomFieldName ?? Resources.GetString(field.LabelKey!, culture) ?? field.Name;
    }

    public static string For(Gender gender, CultureInfo culture) => Resources.GetString("Gender_" + gender, culture) ?? gender.ToString();

    /// <summary>A standard field's label by its <see cref="LeadField.Name"/>; an unknown name comes back as it is.</summary>
    public string this[string field]
    {
        get
        {
            var label = text[LeadFields.ByName(field)?.LabelKey ?? "Field_" + field];
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
