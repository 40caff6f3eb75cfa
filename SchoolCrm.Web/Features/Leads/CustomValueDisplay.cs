using System.Globalization;
using SchoolCrm.Domain.CustomFields;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>A custom value as a page shows it in the user's culture; null when there is none.</summary>
public static class CustomValueDisplay
{
    public static string? Format(CustomFieldDefinition field, CustomValueInput? value, string yes, string no)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (value is null)
        {
            return field.Type == CustomFieldType.Checkbox ? no : null;
        }

        return field.Type switch
        {
            CustomFieldType.Text or CustomFieldType.LongText => value.Text,
            CustomFieldType.Number => value.Number?.ToString("G", CultureInfo.CurrentCulture),
            CustomFieldType.Date => value.Date?.ToString("d", CultureInfo.CurrentCulture),
            CustomFieldType.Checkbox => value.Checkbox == true ? yes : no,
            _ => value.OptionIds.Count == 0
                ? null
                : string.Join(", ", field.Options.Where(o => value.OptionIds.Contains(o.Id)).Select(o => o.Label)),
        };
    }
}
