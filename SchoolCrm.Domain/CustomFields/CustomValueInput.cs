namespace SchoolCrm.Domain.CustomFields;

/// <summary>
/// A custom field's value as a form or an import row gives it. Only the slot that matches the field's type
/// is read; <see cref="OptionIds"/> holds the chosen options of a single or multiple choice field.
/// </summary>
public sealed record CustomValueInput(
    int FieldId,
    string? Text,
    double? Number,
    DateOnly? Date,
    bool? Checkbox,
    IReadOnlyList<int> OptionIds)
{
    public static CustomValueInput Empty(int fieldId) => new(fieldId, null, null, null, null, []);

    public static CustomValueInput OfText(int fieldId, string? text) => Empty(fieldId) with { Text = text };

    public static CustomValueInput OfNumber(int fieldId, double? number) => Empty(fieldId) with { Number = number };

    public static CustomValueInput OfDate(int fieldId, DateOnly? date) => Empty(fieldId) with { Date = date };

    public static CustomValueInput OfCheckbox(int fieldId, bool? value) => Empty(fieldId) with { Checkbox = value };

    public static CustomValueInput OfOptions(int fieldId, params int[] optionIds) => Empty(fieldId) with { OptionIds = optionIds };

    /// <summary>The stored rows of one field turned back into the input a form edits.</summary>
    public static CustomValueInput FromRows(int fieldId, IEnumerable<CustomFieldValue> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var input = Empty(fieldId);
        var optionIds = new List<int>();
        foreach (var row in rows.Where(r => r.CustomFieldId == fieldId))
        {
            input = input with
            {
                Text = row.TextValue ?? input.Text,
                Number = row.NumberValue ?? input.Number,
                Date = row.DateValue ?? input.Date,
                Checkbox = row.BoolValue ?? input.Checkbox,
            };
            if (row.OptionId is { } optionId)
            {
                optionIds.Add(optionId);
            }
        }

        return input with { OptionIds = optionIds };
    }
}
