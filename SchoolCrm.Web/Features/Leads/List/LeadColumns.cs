using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// The lead list's columns are the listed fields of <see cref="LeadFields"/> and the active custom fields, by
/// their <see cref="LeadField.Key"/>: short and stable, because they live in URLs (sort=city&amp;cols=name,city,cf12).
/// </summary>
public static class LeadColumns
{
    /// <summary>The name column: always shown, and the sort when none or an unknown one is asked for.</summary>
    public static readonly string Name = LeadFields.Name.Key;

    public static readonly IReadOnlyList<string> DefaultVisible =
    [
        .. new[] { LeadFields.Name, LeadFields.CompanyName, LeadFields.Email, LeadFields.Mobile, LeadFields.Status, LeadFields.AssignedTo, LeadFields.CaptureDate }
            .Select(f => f.Key),
    ];

    /// <summary>A custom field's column key: "cf" + its id.</summary>
    public static string ForCustomField(int fieldId) => LeadFields.CustomKey(fieldId);
}
