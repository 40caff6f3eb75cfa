using System.Text.RegularExpressions;

namespace SchoolCrm.Domain.Configuration;

public sealed partial class LeadStatus
{
    public const string DefaultColor = "#1E88E5";

    private LeadStatus()
    {
        Name = "";
        NormalizedName = "";
        Color = DefaultColor;
    }

    public LeadStatus(string name, int sortOrder, string? color = null)
        : this()
    {
        Rename(name);
        SortOrder = sortOrder;
        ChangeColor(color ?? DefaultColor);
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    public string NormalizedName { get; private set; }

    /// <summary>A CSS colour as #RRGGBB.</summary>
    public string Color { get; private set; }

    public int SortOrder { get; private set; }

    /// <summary>New leads get this status unless the user picks another. Exactly one status is the default.</summary>
    public bool IsDefault { get; private set; }

    public void Rename(string name)
    {
        Name = ConfigurationName.Clean(name);
        NormalizedName = ConfigurationName.Normalize(Name);
    }

    public void ChangeColor(string color)
    {
        if (!ColorPattern().IsMatch(color))
        {
            throw new DomainException("color.invalid", nameof(Color));
        }

        Color = color.ToUpperInvariant();
    }

    public void MoveTo(int sortOrder) => SortOrder = sortOrder;

    public void SetDefault(bool isDefault) => IsDefault = isDefault;

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();
}
