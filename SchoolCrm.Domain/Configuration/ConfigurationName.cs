namespace SchoolCrm.Domain.Configuration;

/// <summary>Names of statuses and task types: trimmed, 1–60 characters, unique ignoring case.</summary>
public static class ConfigurationName
{
    public const int MaxLength = 60;

    public static string Clean(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainException("name.required", "Name");
        }

        if (trimmed.Length > MaxLength)
        {
            throw new DomainException("name.too_long", "Name");
        }

        return trimmed;
    }

    /// <summary>The key a unique index compares, so "Neu" and "NEU" collide on every database.</summary>
    public static string Normalize(string cleanName) => cleanName.ToUpperInvariant();
}
