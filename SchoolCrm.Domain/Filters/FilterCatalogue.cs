using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// What a filter is checked against when it is loaded: the filterable fields of the lead catalogue (standard ones
/// and every custom field, archived ones included, since leads may still hold their values), the statuses,
/// the users and each choice field's options as they are now. Fields and operators outside it never reach SQL.
/// </summary>
public sealed class FilterCatalogue
{
    private readonly Dictionary<string, LeadField> fields;
    private readonly HashSet<int> statusIds;
    private readonly HashSet<string> userIds;
    private readonly Dictionary<int, HashSet<int>> optionIds;

    public FilterCatalogue(IEnumerable<CustomFieldDefinition> customFields, IEnumerable<int> statusIds, IEnumerable<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(customFields);
        ArgumentNullException.ThrowIfNull(statusIds);
        ArgumentNullException.ThrowIfNull(userIds);
        var custom = customFields.ToList();
        Fields = [.. LeadFields.Standard.Where(f => f.IsFilterable), .. custom.Select(LeadFields.ForCustomField).Where(f => f.IsFilterable)];
        fields = Fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        this.statusIds = [.. statusIds];
        this.userIds = new HashSet<string>(userIds, StringComparer.Ordinal);
        optionIds = custom.ToDictionary(f => f.Id, f => f.Options.Select(o => o.Id).ToHashSet());
    }

    /// <summary>Every field a condition may name: the filterable standard fields, then the custom fields.</summary>
    public IReadOnlyList<LeadField> Fields { get; }

    public LeadField? Field(string key) => fields.GetValueOrDefault(key);

    public bool HasStatus(int id) => statusIds.Contains(id);

    public bool HasUser(string id) => userIds.Contains(id);

    public bool HasOption(int customFieldId, int optionId) =>
        optionIds.TryGetValue(customFieldId, out var options) && options.Contains(optionId);
}
