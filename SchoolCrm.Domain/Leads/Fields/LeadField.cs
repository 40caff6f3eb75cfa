using System.Linq.Expressions;
using SchoolCrm.Domain.Import;

namespace SchoolCrm.Domain.Leads.Fields;

/// <summary>What a field holds; it decides how the field is shown, written to a sheet and filtered.</summary>
public enum LeadFieldType
{
    Text,
    LongText,
    Number,
    Date,

    /// <summary>A point in time (UTC), shown in the school's time zone.</summary>
    Instant,
    Checkbox,
    Gender,

    /// <summary>The value is a status id.</summary>
    Status,

    /// <summary>The value is a user id.</summary>
    User,

    /// <summary>The value is an option id.</summary>
    SingleChoice,

    /// <summary>The value is the chosen option ids.</summary>
    MultipleChoice,

    /// <summary>The value is the id of the import that created the lead.</summary>
    Import,

    /// <summary>The deadlines of the lead's open tasks, asked whether one has passed when the filter runs (ticked /
    /// not ticked): "has an overdue task".</summary>
    OverdueTask,

    /// <summary>The deadlines of the lead's open tasks, asked whether one is still ahead and within the next N days.</summary>
    NextDeadline,

    /// <summary>The value is the task type ids of the lead's tasks: "has a task of type".</summary>
    TaskType,
}

/// <summary>Where a field takes part besides its form. Sorting and importing are described by
/// <see cref="LeadField.Sort"/> and <see cref="LeadField.ImportTarget"/>.</summary>
[Flags]
public enum LeadFieldUses
{
    None = 0,

    /// <summary>A column the lead list offers.</summary>
    Listed = 1,

    /// <summary>The list's quick search looks in it.</summary>
    Searchable = 2,

    /// <summary>A column of the Excel export.</summary>
    Exportable = 4,

    /// <summary>A saved filter may have a condition on it.</summary>
    Filterable = 8,
}

/// <summary>How the list sorts by a field.</summary>
public enum LeadFieldSort
{
    /// <summary>Not sortable (several values per lead, or nothing the list shows).</summary>
    None,

    /// <summary>By the <see cref="LeadField.SortKeys"/>, then the id in the same direction, so an index on the
    /// key (which ends in the row id) serves both directions.</summary>
    Column,

    /// <summary>By the single <see cref="LeadField.SortKeys"/> entry, a custom value looked up per lead (the list
    /// reads its pages from the value indexes instead), ties by id in the same direction.</summary>
    Computed,

    /// <summary>By the configured order of the status the value names.</summary>
    StatusOrder,

    /// <summary>By the display name of the user the value names.</summary>
    UserName,

    /// <summary>By the configured order of the option the value names.</summary>
    OptionOrder,
}

/// <summary>
/// One field of a lead, described once: the lead list, its sorts, the Excel export, the import's header matching
/// and the saved filters enumerate these instead of naming fields themselves. Standard fields are the fixed
/// entries of <see cref="LeadFields"/>; custom fields join at run time (<see cref="LeadFields.ForCustomField(int, string, CustomFields.CustomFieldType, bool)"/>).
/// </summary>
public sealed class LeadField
{
    private readonly Lazy<Func<Lead, object?>> reader;

    internal LeadField(string key, string name, LeadFieldType type, LambdaExpression value)
    {
        Key = key;
        Name = name;
        Type = type;
        Value = value;
        reader = new Lazy<Func<Lead, object?>>(() =>
            Expression.Lambda<Func<Lead, object?>>(Expression.Convert(value.Body, typeof(object)), value.Parameters).Compile());
    }

    /// <summary>Short and stable, as it lives in URLs and saved filters: "company", "captured", "cf12".</summary>
    public string Key { get; }

    /// <summary>The property the field is stored in ("CompanyName"), which is also its name in the history and
    /// in field messages; a custom field's is <see cref="CustomFields.CustomValueRules.FieldKey"/>.</summary>
    public string Name { get; }

    public LeadFieldType Type { get; }

    /// <summary>An <c>Expression&lt;Func&lt;Lead, T&gt;&gt;</c> that reads the value and translates to SQL.</summary>
    public LambdaExpression Value { get; }

    /// <summary>The resource key of a standard field's label (in LeadsText); null for a custom field.</summary>
    public string? LabelKey { get; internal init; }

    /// <summary>A custom field's label: its own name.</summary>
    public string? CustomFieldName { get; internal init; }

    public int? CustomFieldId { get; internal init; }

    /// <summary>The most characters a text value may have; null where no limit applies.</summary>
    public int? MaxLength { get; internal init; }

    public LeadFieldUses Uses { get; internal init; }

    public LeadFieldSort Sort { get; internal init; }

    /// <summary>What the list orders by, most significant first (one plain expression per key, each an
    /// <c>Expression&lt;Func&lt;Lead, T&gt;&gt;</c>). Empty for the sorts the list computes from other tables.</summary>
    public IReadOnlyList<LambdaExpression> SortKeys { get; internal init; } = [];

    /// <summary>The stored folded copy (<see cref="TextFolding"/>) of a standard text field, an
    /// <c>Expression&lt;Func&lt;Lead, string?&gt;&gt;</c> such as <c>l => l.CityKey</c>: what its text conditions compare
    /// and its sort orders by. Null for fields without one (phones, ZIP, tax code, notes, custom fields, whose
    /// values carry <see cref="CustomFields.CustomFieldValue.TextKey"/>).</summary>
    public LambdaExpression? FoldedKey { get; internal init; }

    /// <summary>The spreadsheet column the field is imported from and exported to; <see cref="ImportTarget.Ignore"/>
    /// when it cannot be imported.</summary>
    public ImportTarget ImportTarget { get; internal init; }

    /// <summary>A field of <see cref="PersonRecord"/>, which students have too.</summary>
    public bool IsPersonField { get; internal init; }

    /// <summary>An archived custom field: no longer offered, but its stored values can still be filtered.</summary>
    public bool IsArchived { get; internal init; }

    public bool IsCustom => CustomFieldId is not null;

    public bool IsListed => Uses.HasFlag(LeadFieldUses.Listed);

    public bool IsSearchable => Uses.HasFlag(LeadFieldUses.Searchable);

    public bool IsSortable => Sort != LeadFieldSort.None;

    public bool IsExportable => Uses.HasFlag(LeadFieldUses.Exportable);

    public bool IsImportable => !ImportTarget.IsIgnored;

    public bool IsFilterable => Uses.HasFlag(LeadFieldUses.Filterable);

    /// <summary>The value of a loaded lead (the export writes standard fields from it). A custom field reads
    /// <see cref="Lead.CustomValues"/>, which must then be loaded.</summary>
    public object? ReadFrom(Lead lead) => reader.Value(lead);

    public override string ToString() => Key;
}
