using System.Globalization;

namespace SchoolCrm.Domain.Import;

/// <summary>Where a spreadsheet column goes: a standard field, a custom field, or nowhere.</summary>
public readonly record struct ImportTarget
{
    private const string CustomPrefix = "custom:";

    private ImportTarget(StandardField? standard, int? customFieldId)
    {
        Standard = standard;
        CustomFieldId = customFieldId;
    }

    public static ImportTarget Ignore => default;

    public StandardField? Standard { get; }

    public int? CustomFieldId { get; }

    public bool IsIgnored => Standard is null && CustomFieldId is null;

    /// <summary>A stable text form for select boxes and remembered choices: "Email", "custom:12" or "".</summary>
    public string Key => Standard is { } standard
        ? standard.ToString()
        : CustomFieldId is { } id ? CustomPrefix + id.ToString(CultureInfo.InvariantCulture) : "";

    public static ImportTarget For(StandardField field) => new(field, null);

    public static ImportTarget ForCustomField(int customFieldId) => new(null, customFieldId);

    /// <summary>Anything that is not a known key is <see cref="Ignore"/>.</summary>
    public static ImportTarget Parse(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return Ignore;
        }

        if (key.StartsWith(CustomPrefix, StringComparison.Ordinal)
            && int.TryParse(key.AsSpan(CustomPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return ForCustomField(id);
        }

        return Enum.TryParse<StandardField>(key, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? For(parsed) : Ignore;
    }

    public override string ToString() => Key;
}
