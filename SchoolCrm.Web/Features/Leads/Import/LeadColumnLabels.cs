using System.Globalization;
using System.Resources;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Column headers and cell words of lead spreadsheets in a given language, read straight from ImportText's
/// resources so the import can match headers in every supported language at once.
/// To be replaced by the lead record's LeadFieldLabels for the standard fields once that exists.
/// </summary>
public static class LeadColumnLabels
{
    private static readonly ResourceManager Resources = new(typeof(ImportText).FullName!, typeof(ImportText).Assembly);

    public static string For(StandardField field, CultureInfo culture) => Text("Field_" + field, culture);

    public static string YesNo(bool value, CultureInfo culture) => Text(value ? "Value_Yes" : "Value_No", culture);

    public static string Gender(Gender gender, CultureInfo culture) => gender switch
    {
        Domain.Leads.Gender.Male => Text("Value_Male", culture),
        Domain.Leads.Gender.Female => Text("Value_Female", culture),
        _ => "",
    };

    public static string Text(string key, CultureInfo culture) => Resources.GetString(key, culture) ?? key;

    /// <summary>Every name a column header may use for each field: labels in all languages, the field's own
    /// name, archive spellings; standard fields first, then custom fields by their name.</summary>
    public static IReadOnlyList<FieldCandidate> Candidates(IEnumerable<CustomField> customFields)
    {
        var cultures = Localization.SupportedCultures.Select(CultureInfo.GetCultureInfo).ToList();
        var candidates = Enum.GetValues<StandardField>()
            .Select(field => new FieldCandidate(
                ImportTarget.For(field),
                [.. cultures.Select(c => For(field, c)), .. StandardFieldAliases.For(field)]))
            .ToList();
        candidates.AddRange(customFields.Select(f => new FieldCandidate(ImportTarget.ForCustomField(f.Id), [f.Name])));
        return candidates;
    }
}
