namespace SchoolCrm.Domain.CustomFields;

/// <summary>
/// One stored value of a custom field for a lead or a student, in a typed column so SQL can filter and sort
/// on it. A multiple-choice field has one row per chosen option; every other type has at most one row.
/// </summary>
public sealed class CustomFieldValue
{
    public const int TextMaxLength = 500;
    public const int LongTextMaxLength = 4000;

    private CustomFieldValue()
    {
    }

    public int Id { get; private set; }

    public int CustomFieldId { get; private set; }

    public int? LeadId { get; private set; }

    public int? StudentId { get; private set; }

    public string? TextValue { get; private set; }

    /// <summary>
    /// <see cref="TextValue"/> folded by <see cref="TextFolding"/> (null for blank), which text filter conditions
    /// compare and text sorts order by, as <see cref="Leads.PersonRecord.CityKey"/> and its like do for the standard
    /// fields. Set with the text by every factory; rows from before it existed get it from the start-up backfill.
    /// Unlike those keys it is "" rather than null for a blank text, so "text without key" finds exactly the rows the
    /// backfill still has to do.
    /// </summary>
    public string? TextKey { get; private set; }

    public double? NumberValue { get; private set; }

    public DateOnly? DateValue { get; private set; }

    public bool? BoolValue { get; private set; }

    public int? OptionId { get; private set; }

    public static CustomFieldValue Text(int fieldId, string text) => new() { CustomFieldId = fieldId, TextValue = text, TextKey = KeyOf(text) };

    public static CustomFieldValue Number(int fieldId, double number) => new() { CustomFieldId = fieldId, NumberValue = number };

    public static CustomFieldValue Date(int fieldId, DateOnly date) => new() { CustomFieldId = fieldId, DateValue = date };

    public static CustomFieldValue Checkbox(int fieldId, bool value) => new() { CustomFieldId = fieldId, BoolValue = value };

    public static CustomFieldValue Option(int fieldId, int optionId) => new() { CustomFieldId = fieldId, OptionId = optionId };

    /// <summary>A value as it was stored before (an import's undo journal brings it back).</summary>
    public static CustomFieldValue Restore(CustomValueSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new()
        {
            CustomFieldId = snapshot.CustomFieldId,
            TextValue = snapshot.TextValue,
            TextKey = KeyOf(snapshot.TextValue),
            NumberValue = snapshot.NumberValue,
            DateValue = snapshot.DateValue,
            BoolValue = snapshot.BoolValue,
            OptionId = snapshot.OptionId,
        };
    }

    public CustomValueSnapshot Snapshot() => new(CustomFieldId, TextValue, NumberValue, DateValue, BoolValue, OptionId);

    /// <summary>A copy for another owner (a lead's value carried over to the student).</summary>
    public CustomFieldValue CopyForNewOwner() => new()
    {
        CustomFieldId = CustomFieldId,
        TextValue = TextValue,
        TextKey = KeyOf(TextValue),
        NumberValue = NumberValue,
        DateValue = DateValue,
        BoolValue = BoolValue,
        OptionId = OptionId,
    };

    /// <summary>Recomputes <see cref="TextKey"/> from the text, for rows written before the key existed.</summary>
    public void RefreshKey() => TextKey = KeyOf(TextValue);

    private static string? KeyOf(string? text) => text is null ? null : TextFolding.Fold(text);
}

/// <summary>One stored value without its owner and id, as an undo journal keeps it.</summary>
public sealed record CustomValueSnapshot(int CustomFieldId, string? TextValue, double? NumberValue, DateOnly? DateValue, bool? BoolValue, int? OptionId);
