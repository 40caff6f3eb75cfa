using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain.Import;

/// <summary>What a row is read against: the column mapping, the user's choices and the CRM's current lists.</summary>
public sealed class LeadRowContext
{
    /// <summary>The target of each column, by column index.</summary>
    public required IReadOnlyList<ImportTarget> Columns { get; init; }

    public required DateOrder DateOrder { get; init; }

    public required DateOnly Today { get; init; }

    /// <summary>Active custom fields with their options, by id.</summary>
    public required IReadOnlyDictionary<int, CustomField> CustomFields { get; init; }

    /// <summary>Status ids by <see cref="ConfigurationName.Normalize"/> of their name.</summary>
    public required IReadOnlyDictionary<string, int> StatusIds { get; init; }

    public bool CreateMissingStatuses { get; init; }

    /// <summary>Assignable users' ids by upper-case e-mail.</summary>
    public required IReadOnlyDictionary<string, string> UserIdsByEmail { get; init; }

    /// <summary>Assignable users' ids by upper-case display name; null where two users share the name.</summary>
    public required IReadOnlyDictionary<string, string?> UserIdsByName { get; init; }

    public int ColumnOf(ImportTarget target)
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == target)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One problem in a row. <see cref="Column"/> is -1 when no single column is to blame.</summary>
public sealed record RowError(int Column, string Code, string Value);

/// <summary>A row read into values, or the reasons it cannot be.</summary>
public sealed class ParsedLeadRow
{
    public LeadPatch Patch { get; internal set; } = new();

    /// <summary>An existing status the row names.</summary>
    public int? StatusId { get; internal set; }

    /// <summary>A status the row names that does not exist yet (only with "create missing statuses").</summary>
    public string? NewStatusName { get; internal set; }

    public bool AssigneeGiven { get; internal set; }

    public string? AssignedUserId { get; internal set; }

    /// <summary>Values without an owner yet; one per option for multiple choice.</summary>
    public List<CustomFieldValue> CustomValues { get; } = [];

    /// <summary>The custom fields this row gives a value for; an update replaces only those.</summary>
    public HashSet<int> CustomFieldsGiven { get; } = [];

    public List<RowError> Errors { get; } = [];

    public bool IsEmpty { get; internal set; }

    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// Reads one spreadsheet row into lead values with the import parsers, then checks the result with the same
/// rules as the lead form (<see cref="PersonRules"/>). Never throws for bad data: every problem becomes a
/// <see cref="RowError"/> naming the column and the value.
/// </summary>
public static class LeadRowReader
{
    /// <summary>The separator of several choices in one cell; the export writes "; " too.</summary>
    public const char ChoiceSeparator = ';';

    /// <summary>
    /// Stands in for an existing lead when an update is checked before the lead is loaded (the preview):
    /// an existing lead always has a first name, so a row without one is still a valid update.
    /// </summary>
    public static PersonDetails ExistingLeadStandIn(DateOnly today) => new() { FirstName = "-", CaptureDate = today };

    public static PersonDetails NewLeadDefaults(DateOnly today) => new() { CaptureDate = today };

    public static ParsedLeadRow Read(IReadOnlyList<object?> cells, LeadRowContext context)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(context);

        var row = new ParsedLeadRow { IsEmpty = cells.All(IsBlank) };
        if (row.IsEmpty)
        {
            return row;
        }

        var patch = new LeadPatch();
        for (int column = 0; column < context.Columns.Count && column < cells.Count; column++)
        {
            var target = context.Columns[column];
            var cell = cells[column];
            if (target.Standard is { } field)
            {
                ReadStandard(row, patch, field, column, cell, context);
            }
            else if (target.CustomFieldId is { } fieldId && context.CustomFields.TryGetValue(fieldId, out var customField))
            {
                ReadCustom(row, customField, column, cell, context);
            }
        }

        row.Patch = patch;
        return row;
    }

    /// <summary>
    /// Applies the row over <paramref name="current"/> (defaults for a new lead, the lead's details for an
    /// update), checks the lead rules and adds their errors to the row. Returns the cleaned details.
    /// </summary>
    public static PersonDetails Check(ParsedLeadRow row, PersonDetails current, bool isNewLead, LeadRowContext context)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(context);
        var check = PersonRules.Check(row.Patch.ApplyTo(current), context.Today);
        foreach (var error in check.Errors)
        {
            if (Enum.TryParse<StandardField>(error.Field, out var field))
            {
                var column = context.ColumnOf(ImportTarget.For(field));
                row.Errors.Add(new RowError(column, error.Code, ShownValue(row.Patch, field)));
            }
            else
            {
                row.Errors.Add(new RowError(-1, error.Code, ""));
            }
        }

        if (isNewLead)
        {
            foreach (var field in context.CustomFields.Values.Where(f => f.IsRequired && f.Type != CustomFieldType.Checkbox))
            {
                if (!row.CustomFieldsGiven.Contains(field.Id))
                {
                    row.Errors.Add(new RowError(context.ColumnOf(ImportTarget.ForCustomField(field.Id)), "required", ""));
                }
            }
        }

        return check.Cleaned;
    }

    private static void ReadStandard(ParsedLeadRow row, LeadPatch patch, StandardField field, int column, object? cell, LeadRowContext context)
    {
        switch (field)
        {
            case StandardField.CompanyName:
                patch.CompanyName = Text(row, column, cell, PersonFieldLimits.CompanyName);
                return;
            case StandardField.FirstName:
                patch.FirstName = Text(row, column, cell, PersonFieldLimits.FirstName);
                return;
            case StandardField.LastName:
                patch.LastName = Text(row, column, cell, PersonFieldLimits.LastName);
                return;
            case StandardField.Email:
                patch.Email = Text(row, column, cell, PersonFieldLimits.Email);
                return;
            case StandardField.TaxCode:
                patch.TaxCode = Text(row, column, cell, PersonFieldLimits.TaxCode);
                return;
            case StandardField.Address:
                patch.Address = Text(row, column, cell, PersonFieldLimits.Address);
                return;
            case StandardField.City:
                patch.City = Text(row, column, cell, PersonFieldLimits.City);
                return;
            case StandardField.Zip:
                patch.Zip = Text(row, column, cell, PersonFieldLimits.Zip);
                return;
            case StandardField.Province:
                patch.Province = Text(row, column, cell, PersonFieldLimits.Province);
                return;
            case StandardField.Phone:
                patch.Phone = Text(row, column, cell, PersonFieldLimits.Phone);
                return;
            case StandardField.Mobile:
                patch.Mobile = Text(row, column, cell, PersonFieldLimits.Mobile);
                return;
            case StandardField.Notes:
                patch.Notes = Text(row, column, cell, PersonFieldLimits.Notes);
                return;
            case StandardField.CaptureDate:
                patch.CaptureDate = Value(row, column, ImportDates.Parse(cell, context.DateOrder));
                return;
            case StandardField.DateOfBirth:
                patch.DateOfBirth = Value(row, column, ImportDates.Parse(cell, context.DateOrder));
                return;
            case StandardField.PrivacyConsent:
                patch.PrivacyConsent = Value(row, column, ImportBooleans.Parse(cell));
                return;
            case StandardField.Gender:
                // A blank cell says nothing: an update keeps the gender the CRM has.
                if (!IsBlank(cell))
                {
                    patch.Gender = Value(row, column, ImportGender.Parse(cell));
                }

                return;
            case StandardField.Status:
                ReadStatus(row, column, Text(row, column, cell, ConfigurationName.MaxLength), context);
                return;
            case StandardField.AssignedTo:
                ReadAssignee(row, column, Text(row, column, cell, 256), context);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    private static void ReadStatus(ParsedLeadRow row, int column, string? name, LeadRowContext context)
    {
        if (name is null)
        {
            return;
        }

        if (context.StatusIds.TryGetValue(ConfigurationName.Normalize(name), out var statusId))
        {
            row.StatusId = statusId;
        }
        else if (context.CreateMissingStatuses)
        {
            row.NewStatusName = name;
        }
        else
        {
            row.Errors.Add(new RowError(column, "status.unknown", name));
        }
    }

    private static void ReadAssignee(ParsedLeadRow row, int column, string? text, LeadRowContext context)
    {
        if (text is null)
        {
            return;
        }

        var key = text.ToUpperInvariant();
        if (context.UserIdsByEmail.TryGetValue(key, out var byEmail))
        {
            row.AssigneeGiven = true;
            row.AssignedUserId = byEmail;
        }
        else if (context.UserIdsByName.TryGetValue(key, out var byName))
        {
            if (byName is null)
            {
                row.Errors.Add(new RowError(column, "assignee.ambiguous", text));
                return;
            }

            row.AssigneeGiven = true;
            row.AssignedUserId = byName;
        }
        else
        {
            row.Errors.Add(new RowError(column, "assignee.unknown", text));
        }
    }

    private static void ReadCustom(ParsedLeadRow row, CustomField field, int column, object? cell, LeadRowContext context)
    {
        if (IsBlank(cell))
        {
            return;
        }

        int errorsBefore = row.Errors.Count;
        var values = new List<CustomFieldValue>();
        switch (field.Type)
        {
            case CustomFieldType.Text:
            case CustomFieldType.LongText:
                var max = field.Type == CustomFieldType.Text ? CustomFieldValue.TextMaxLength : CustomFieldValue.LongTextMaxLength;
                if (Text(row, column, cell, max) is { } text)
                {
                    values.Add(CustomFieldValue.Text(field.Id, text));
                }

                break;
            case CustomFieldType.Number:
                if (Value(row, column, ImportNumbers.Parse(cell)) is { } number)
                {
                    values.Add(CustomFieldValue.Number(field.Id, number));
                }

                break;
            case CustomFieldType.Date:
                if (Value(row, column, ImportDates.Parse(cell, context.DateOrder)) is { } date)
                {
                    values.Add(CustomFieldValue.Date(field.Id, date));
                }

                break;
            case CustomFieldType.Checkbox:
                if (Value(row, column, ImportBooleans.Parse(cell)) is { } flag)
                {
                    values.Add(CustomFieldValue.Checkbox(field.Id, flag));
                }

                break;
            case CustomFieldType.SingleChoice:
            case CustomFieldType.MultipleChoice:
                ReadChoices(row, field, column, Text(row, column, cell, CustomFieldValue.LongTextMaxLength), values);
                break;
        }

        if (row.Errors.Count == errorsBefore && values.Count > 0)
        {
            row.CustomFieldsGiven.Add(field.Id);
            row.CustomValues.AddRange(values);
        }
    }

    private static void ReadChoices(ParsedLeadRow row, CustomField field, int column, string? text, List<CustomFieldValue> values)
    {
        if (text is null)
        {
            return;
        }

        // One cell may hold "Music; Sport"; a single choice must name exactly one option.
        string[] labels = field.Type == CustomFieldType.MultipleChoice
            ? text.Split(ChoiceSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [text];
        foreach (var label in labels.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var option = field.Options.FirstOrDefault(o => string.Equals(o.Label, label, StringComparison.OrdinalIgnoreCase));
            if (option is null)
            {
                row.Errors.Add(new RowError(column, "option.unknown", label));
                continue;
            }

            values.Add(CustomFieldValue.Option(field.Id, option.Id));
        }
    }

    private static string? Text(ParsedLeadRow row, int column, object? cell, int maxLength)
    {
        var result = ImportText.Parse(cell, maxLength);
        var text = Value(row, column, result);
        return text is null ? null : FormulaSafety.Unprotect(text);
    }

    private static T? Value<T>(ParsedLeadRow row, int column, ParseResult<T> result)
    {
        if (result.Ok)
        {
            return result.Value;
        }

        row.Errors.Add(new RowError(column, result.Error!.Code, result.Error.Value));
        return default;
    }

    private static string ShownValue(LeadPatch patch, StandardField field) => field switch
    {
        StandardField.FirstName => patch.FirstName ?? "",
        StandardField.LastName => patch.LastName ?? "",
        StandardField.CompanyName => patch.CompanyName ?? "",
        StandardField.Email => patch.Email ?? "",
        StandardField.TaxCode => patch.TaxCode ?? "",
        StandardField.Address => patch.Address ?? "",
        StandardField.City => patch.City ?? "",
        StandardField.Zip => patch.Zip ?? "",
        StandardField.Province => patch.Province ?? "",
        StandardField.Phone => patch.Phone ?? "",
        StandardField.Mobile => patch.Mobile ?? "",
        StandardField.Notes => patch.Notes ?? "",
        StandardField.DateOfBirth => FieldChange.Format(patch.DateOfBirth) ?? "",
        StandardField.CaptureDate => FieldChange.Format(patch.CaptureDate) ?? "",
        _ => "",
    };

    private static bool IsBlank(object? cell) => cell is null || (cell is string text && string.IsNullOrWhiteSpace(text));
}
