using SchoolCrm.Domain.Configuration;

namespace SchoolCrm.Domain.Filters;

/// <summary>
/// A filter someone saved under a name: private to its owner, or shared with everyone by an admin. The tree is
/// kept as the versioned JSON of <see cref="FilterJson"/>, checked against the catalogue whenever it is loaded,
/// so a condition on a field deleted since then is shown as broken instead of failing the filter.
/// </summary>
public sealed class SavedFilter
{
    public const int NameMaxLength = ConfigurationName.MaxLength;

    private SavedFilter()
    {
        Name = "";
        NormalizedName = "";
        OwnerUserId = "";
        Json = "";
        UpdatedByUserId = "";
    }

    public SavedFilter(string name, string ownerUserId, string json, DateTime nowUtc)
        : this()
    {
        Rename(name);
        OwnerUserId = ownerUserId;
        Json = json;
        CreatedAt = nowUtc;
        UpdatedAt = nowUtc;
        UpdatedByUserId = ownerUserId;
        Version = Guid.NewGuid();
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>The name compared for uniqueness: trimmed and upper-cased, so "Newsletter" and "NEWSLETTER" collide.</summary>
    public string NormalizedName { get; private set; }

    public string OwnerUserId { get; private set; }

    /// <summary>Shared filters are offered to everyone and edited by admins only.</summary>
    public bool IsShared { get; private set; }

    public string Json { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedByUserId { get; private set; }

    /// <summary>Changes with every save, so an editor opened before someone else's save gets a conflict.</summary>
    public Guid Version { get; private set; }

    /// <summary>Names follow the rules of status and task type names (trimmed, 1–60 characters, compared ignoring case).</summary>
    public void Rename(string name)
    {
        Name = ConfigurationName.Clean(name);
        NormalizedName = Normalize(Name);
    }

    public void Change(string name, string json, string byUserId, DateTime nowUtc)
    {
        Rename(name);
        Json = json;
        Touch(byUserId, nowUtc);
    }

    public void SetShared(bool shared, string byUserId, DateTime nowUtc)
    {
        IsShared = shared;
        Touch(byUserId, nowUtc);
    }

    public void Touch(string byUserId, DateTime nowUtc)
    {
        UpdatedAt = nowUtc;
        UpdatedByUserId = byUserId;
        Version = Guid.NewGuid();
    }

    public static string Normalize(string name) => ConfigurationName.Normalize((name ?? "").Trim());
}
