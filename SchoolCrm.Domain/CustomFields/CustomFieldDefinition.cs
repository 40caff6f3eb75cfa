namespace SchoolCrm.Domain.CustomFields;

/// <summary>
/// What forms, the value rules and imports need to know about a custom field, without its entity:
/// read models project into it, so the rules run the same on a form, a quick edit and an import row.
/// </summary>
public sealed record CustomFieldDefinition(
    int Id,
    string Name,
    CustomFieldType Type,
    bool IsRequired,
    bool IsArchived,
    IReadOnlyList<CustomFieldOptionDefinition> Options)
{
    public bool HasOptions => Type is CustomFieldType.SingleChoice or CustomFieldType.MultipleChoice;

    public static CustomFieldDefinition From(CustomField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new CustomFieldDefinition(
            field.Id,
            field.Name,
            field.Type,
            field.IsRequired,
            field.IsArchived,
            [.. field.Options.OrderBy(o => o.SortOrder).Select(o => new CustomFieldOptionDefinition(o.Id, o.Label))]);
    }
}

public sealed record CustomFieldOptionDefinition(int Id, string Label);
