namespace SchoolCrm.Domain.CustomFields;

public sealed class CustomFieldOption
{
    public const int LabelMaxLength = 100;

    private CustomFieldOption()
    {
        Label = "";
    }

    internal CustomFieldOption(string label, int sortOrder)
        : this()
    {
        Rename(label);
        SortOrder = sortOrder;
    }

    public int Id { get; private set; }

    public int CustomFieldId { get; private set; }

    public string Label { get; private set; }

    public int SortOrder { get; private set; }

    public void Rename(string label)
    {
        var trimmed = label?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > LabelMaxLength)
        {
            throw new DomainException(trimmed.Length == 0 ? "name.required" : "name.too_long", nameof(Label));
        }

        Label = trimmed;
    }

    public void MoveTo(int sortOrder) => SortOrder = sortOrder;
}
