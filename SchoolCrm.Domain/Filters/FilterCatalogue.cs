using System.Linq.Expressions;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// What a filter is checked against when it is loaded: the filterable fields of the lead catalogue (standard ones,
/// the comment, import and task conditions, and every custom field, archived ones included, since leads may still
/// hold their values), the statuses, the users, the imports, the task types and each choice field's options as they
/// are now. Fields and
/// operators outside it never reach SQL.
/// </summary>
public sealed class FilterCatalogue
{
    private readonly Dictionary<string, LeadField> fields;
    private readonly HashSet<int> statusIds;
    private readonly HashSet<string> userIds;
    private readonly HashSet<int> importIds;
    private readonly HashSet<int> taskTypeIds;
    private readonly Dictionary<int, HashSet<int>> optionIds;

    /// <param name="importIds">The imports a condition may name: those matching <see cref="OfferedImports"/>.</param>
    /// <param name="taskTypeIds">The configured task types "has a task of type" may name.</param>
    public FilterCatalogue(
        IEnumerable<CustomFieldDefinition> customFields,
        IEnumerable<int> statusIds,
        IEnumerable<string> userIds,
        IEnumerable<int> importIds,
        IEnumerable<int> taskTypeIds)
    {
        ArgumentNullException.ThrowIfNull(customFields);
        ArgumentNullException.ThrowIfNull(statusIds);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(importIds);
        ArgumentNullException.ThrowIfNull(taskTypeIds);
        var custom = customFields.ToList();
        Fields =
        [
            .. LeadFields.Standard.Where(f => f.IsFilterable),
            .. LeadFields.FilterOnly,
            .. custom.Select(LeadFields.ForCustomField).Where(f => f.IsFilterable),
        ];
        fields = Fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        this.statusIds = [.. statusIds];
        this.userIds = new HashSet<string>(userIds, StringComparer.Ordinal);
        this.importIds = [.. importIds];
        this.taskTypeIds = [.. taskTypeIds];
        optionIds = custom.ToDictionary(f => f.Id, f => f.Options.Select(o => o.Id).ToHashSet());
    }

    /// <summary>
    /// The imports "imported by" offers and accepts: completed and not undone. A failed or cancelled import has
    /// rolled its leads back and an undone one has deleted them, so a condition naming one is broken, like one
    /// naming a deleted status.
    /// </summary>
    public static Expression<Func<LeadImport, bool>> OfferedImports { get; } =
        i => i.State == LeadImportState.Completed && i.UndoneAt == null;

    /// <summary>Every field a condition may name: the filterable standard fields, the comment, import and task
    /// conditions (<see cref="LeadFields.FilterOnly"/>), then the custom fields.</summary>
    public IReadOnlyList<LeadField> Fields { get; }

    public LeadField? Field(string key) => fields.GetValueOrDefault(key);

    public bool HasStatus(int id) => statusIds.Contains(id);

    public bool HasUser(string id) => userIds.Contains(id);

    public bool HasImport(int id) => importIds.Contains(id);

    public bool HasTaskType(int id) => taskTypeIds.Contains(id);

    public bool HasOption(int customFieldId, int optionId) =>
        optionIds.TryGetValue(customFieldId, out var options) && options.Contains(optionId);
}
