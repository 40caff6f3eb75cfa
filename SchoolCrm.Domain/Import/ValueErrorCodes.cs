namespace SchoolCrm.Domain.Import;

/// <summary>
/// The stable keys of <see cref="ValueError.Code"/>; the UI maps each one to a localized message.
/// </summary>
public static class ValueErrorCodes
{
    public const string DateInvalid = "date.invalid";

    /// <summary>The shape of a date, but no such day: 31.02.2020, 30/13/2020.</summary>
    public const string DateImpossible = "date.impossible";

    /// <summary>Not produced by the parsers, which get the order from the caller; for the import
    /// step that finds <see cref="ImportDates.IsAmbiguous"/> true and has no answer from the user yet.</summary>
    public const string DateAmbiguous = "date.ambiguous";

    public const string BooleanInvalid = "boolean.invalid";

    public const string GenderInvalid = "gender.invalid";

    public const string NumberInvalid = "number.invalid";

    public const string TextTooLong = "text.too_long";
}
