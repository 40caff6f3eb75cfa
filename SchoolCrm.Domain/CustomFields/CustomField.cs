namespace SchoolCrm.Domain.CustomFields;

/// <summary>An admin-defined field that leads and students share (the school's "interests" and the like).</summary>
public sealed class CustomField
{
    public const int NameMaxLength = 60;

    private CustomField()
    {
        Name = "";
        NormalizedName = "";
    }

    public CustomField(string name, CustomFieldType type, int sortOrder, bool isRequired)
        : this()
    {
        if (!Enum.IsDefined(type))
        {
            throw new DomainException("customfield.type.invalid", nameof(Type));
        }

        Rename(name);
        Type = type;
        SortOrder = sortOrder;
        IsRequired = isRequired;
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    public string NormalizedName { get; private set; }

    public CustomFieldType Type { get; private set; }

    public int SortOrder { get; private set; }

    public bool IsRequired { get; private set; }

    /// <summary>Hidden from forms and lists; its values are kept and come back when it is restored.</summary>
    public bool IsArchived { get; private set; }

    public List<CustomFieldOption> Options { get; private set; } = [];

    public bool HasOptions => Type is CustomFieldType.SingleChoice or CustomFieldType.MultipleChoice;

    public void Rename(string name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainException("name.required", nameof(Name));
        }

        if (trimmed.Length > NameMaxLength)
        {
            throw new DomainException("name.too_long", nameof(Name));
        }

        Name = trimmed;
        NormalizedName = trimmed.ToUpperInvariant();
    }

    public void SetRequired(bool isRequired) => IsRequired = isRequired;

    public void MoveTo(int sortOrder) => SortOrder = sortOrder;

    public void Archive() => IsArchived = true;

    public void Restore() => IsArchived = false;

    public CustomFieldOption AddOption(string label)
    {
        if (!HasOptions)
        {
            throw new DomainException("customfield.options.not_allowed", nameof(Options));
        }

        var option = new CustomFieldOption(label, Options.Count == 0 ? 0 : Options.Max(o => o.SortOrder) + 1);
        if (Options.Any(o => string.Equals(o.Label, option.Label, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainException("customfield.option.duplicate", nameof(Options));
        }

        Options.Add(option);
        return option;
    }

    public void RenameOption(CustomFieldOption option, string label)
    {
        EnsureOwn(option);
        var trimmed = label?.Trim() ?? "";
        if (Options.Any(o => o != option && string.Equals(o.Label, trimmed, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainException("customfield.option.duplicate", nameof(Options));
        }

        option.Rename(trimmed);
    }

    /// <summary>Takes the option out of the field; the values that chose it go with it (the database cascades).</summary>
    public void RemoveOption(CustomFieldOption option)
    {
        EnsureOwn(option);

        // A choice field without choices could never be filled in, and a required one would block every save.
        if (Options.Count == 1)
        {
            throw new DomainException("customfield.options.required", nameof(Options));
        }

        Options.Remove(option);
    }

    private void EnsureOwn(CustomFieldOption option)
    {
        if (!Options.Contains(option))
        {
            throw new DomainException("stale");
        }
    }
}
