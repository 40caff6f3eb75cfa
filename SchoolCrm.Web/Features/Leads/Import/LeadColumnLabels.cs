using System.Globalization;
using System.Resources;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// The words of lead spreadsheets in a given language, read straight from ImportText's resources: the cell words
/// (yes/no, genders) and the import's own texts. Column headers are the catalogue's labels
/// (<see cref="LeadFieldLabels"/>), so the template, the export and the header matching name a field alike.
/// </summary>
public static class LeadColumnLabels
{
    private static readonly ResourceManager Resources = new(typeof(ImportText).FullName!, typeof(ImportText).Assembly);

    public static string YesNo(bool value, CultureInfo culture) => Text(value ? "Value_Yes" : "Value_No", culture);

    public static string Gender(Gender gender, CultureInfo culture) => gender switch
    {
        Domain.Leads.Gender.Male => Text("Value_Male", culture),
        Domain.Leads.Gender.Female => Text("Value_Female", culture),
        _ => "",
    };

    public static string Text(string key, CultureInfo culture) => Resources.GetString(key, culture) ?? key;

    /// <summary>Every name a column header may use for each importable field of the catalogue: its labels in all
    /// languages, its import name, archive spellings; standard fields first, then custom fields by their name.</summary>
    public static IReadOnlyList<FieldCandidate> Candidates(IEnumerable<CustomField> customFields)
    {
        var cultures = Localization.SupportedCultures.Select(CultureInfo.GetCultureInfo).ToList();
        var candidates = LeadFields.Importable
            .Select(field => new FieldCandidate(
                field.ImportTarget,
                [.. cultures.Select(c => LeadFieldLabels.For(field, c)), .. StandardFieldAliases.For(field.ImportTarget.Standard!.Value)]))
            .ToList();
        candidates.AddRange(customFields.Select(f => new FieldCandidate(ImportTarget.ForCustomField(f.Id), [f.Name])));
        return candidates;
    }
}
