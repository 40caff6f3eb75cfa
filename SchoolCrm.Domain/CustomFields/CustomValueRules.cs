using System.Globalization;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain.CustomFields;

/// <summary>The checked rows of the fields a form or import row edited, and what was wrong.</summary>
public sealed record CustomValuesCheck(
    IReadOnlyList<int> FieldIds,
    IReadOnlyList<CustomFieldValue> Values,
    IReadOnlyList<FieldMessage> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>The rows that left the record (to delete) and the history lines of the fields that changed.</summary>
public sealed record CustomValuesChange(IReadOnlyList<CustomFieldValue> Removed, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// Turns custom field input into stored rows, the same way for leads, students, quick edits and imports.
/// Text is trimmed and a blank is no value; a checkbox stores a row only when ticked (an unticked box is
/// the answer "no", so "required" asks nothing of a checkbox); a choice must be one of the field's options.
/// </summary>
public static class CustomValueRules
{
    public const string FieldPrefix = "CustomField:";

    /// <summary>The name a custom field goes by in field messages and history ("CustomField:12").</summary>
    public static string FieldKey(int fieldId) => FieldPrefix + fieldId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseFieldKey(string? field, out int fieldId)
    {
        fieldId = 0;
        return field is not null
            && field.StartsWith(FieldPrefix, StringComparison.Ordinal)
            && int.TryParse(field.AsSpan(FieldPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out fieldId);
    }

    /// <summary>
    /// Checks the input of every field given. Inputs for archived or unknown (deleted) fields are ignored, so
    /// their stored values stay as they are; an active required field without input counts as empty.
    /// </summary>
    public static CustomValuesCheck Check(IReadOnlyList<CustomFieldDefinition> fields, IEnumerable<CustomValueInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(inputs);
        var byField = inputs.GroupBy(i => i.FieldId).ToDictionary(g => g.Key, g => g.Last());
        var fieldIds = new List<int>();
        var values = new List<CustomFieldValue>();
        var errors = new List<FieldMessage>();

        foreach (var field in fields.Where(f => !f.IsArchived))
        {
            if (byField.TryGetValue(field.Id, out var input))
            {
                fieldIds.Add(field.Id);
            }
            else if (field.IsRequired && field.Type != CustomFieldType.Checkbox)
            {
                errors.Add(new FieldMessage(FieldKey(field.Id), "required"));
                continue;
            }
            else
            {
                continue;
            }

            var (rows, error) = CheckField(field, input);
            values.AddRange(rows);
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        return new CustomValuesCheck(fieldIds, values, errors);
    }

    /// <summary>One field's rows, or the reason there are none.</summary>
    public static (IReadOnlyList<CustomFieldValue> Rows, FieldMessage? Error) CheckField(CustomFieldDefinition field, CustomValueInput input)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(input);
        if (input.FieldId != field.Id)
        {
            throw new ArgumentException("The input belongs to another field.", nameof(input));
        }

        var key = FieldKey(field.Id);
        FieldMessage Problem(string code) => new(key, code);

        List<CustomFieldValue> rows = [];
        string? error = null;
        switch (field.Type)
        {
            case CustomFieldType.Text:
            case CustomFieldType.LongText:
                var text = string.IsNullOrWhiteSpace(input.Text) ? null : input.Text.Trim();
                var max = field.Type == CustomFieldType.Text ? CustomFieldValue.TextMaxLength : CustomFieldValue.LongTextMaxLength;
                if (text is not null && text.Length > max)
                {
                    error = "text.too_long";
                }
                else if (text is not null)
                {
                    rows.Add(CustomFieldValue.Text(field.Id, text));
                }

                break;

            case CustomFieldType.Number:
                if (input.Number is { } number && !double.IsFinite(number))
                {
                    error = "number.invalid";
                }
                else if (input.Number is { } finite)
                {
                    rows.Add(CustomFieldValue.Number(field.Id, finite));
                }

                break;

            case CustomFieldType.Date:
                if (input.Date is { } date)
                {
                    rows.Add(CustomFieldValue.Date(field.Id, date));
                }

                break;

            case CustomFieldType.Checkbox:
                if (input.Checkbox == true)
                {
                    rows.Add(CustomFieldValue.Checkbox(field.Id, true));
                }

                break;

            case CustomFieldType.SingleChoice:
            case CustomFieldType.MultipleChoice:
                var chosen = (input.OptionIds ?? []).Distinct().ToList();
                if (chosen.Any(id => field.Options.All(o => o.Id != id)))
                {
                    error = "customfield.option_invalid";
                }
                else if (field.Type == CustomFieldType.SingleChoice && chosen.Count > 1)
                {
                    error = "customfield.single_option";
                }
                else
                {
                    rows.AddRange(chosen.Order().Select(id => CustomFieldValue.Option(field.Id, id)));
                }

                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Type, "Unknown custom field type.");
        }

        if (error is null && rows.Count == 0 && field.IsRequired && field.Type != CustomFieldType.Checkbox)
        {
            error = "required";
        }

        return error is null ? (rows, null) : ([], Problem(error));
    }

    /// <summary>
    /// One field's rows as the history stores them: text as is, numbers and dates invariant, a ticked box
    /// "true", options as their ids ascending ("3,7"; names are looked up when the history is shown).
    /// </summary>
    public static string? Format(IEnumerable<CustomFieldValue> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return null;
        }

        if (list.Any(r => r.OptionId is not null))
        {
            return string.Join(',', list.Select(r => r.OptionId).OfType<int>().Order().Select(id => id.ToString(CultureInfo.InvariantCulture)));
        }

        var row = list[0];
        return row.TextValue
            ?? FieldChange.Format(row.NumberValue)
            ?? FieldChange.Format(row.DateValue)
            ?? FieldChange.Format(row.BoolValue);
    }

    /// <summary>
    /// Replaces, in a record's value list, the rows of the checked fields whose value changed. Rows of other
    /// fields (archived ones, fields the input did not cover) stay untouched.
    /// </summary>
    public static CustomValuesChange Replace(List<CustomFieldValue> current, CustomValuesCheck check)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(check);
        if (!check.IsValid)
        {
            throw new DomainException(check.Errors[0].Code, check.Errors[0].Field);
        }

        var removed = new List<CustomFieldValue>();
        var changes = new List<FieldChange>();
        foreach (var fieldId in check.FieldIds.Distinct())
        {
            var oldRows = current.Where(v => v.CustomFieldId == fieldId).ToList();
            var newRows = check.Values.Where(v => v.CustomFieldId == fieldId).ToList();
            var oldValue = Format(oldRows);
            var newValue = Format(newRows);
            if (oldValue == newValue)
            {
                continue;
            }

            foreach (var row in oldRows)
            {
                current.Remove(row);
            }

            removed.AddRange(oldRows);
            current.AddRange(newRows);
            changes.Add(new FieldChange(FieldKey(fieldId), oldValue, newValue));
        }

        return new CustomValuesChange(removed, changes);
    }
}
