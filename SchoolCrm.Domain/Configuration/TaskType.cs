namespace SchoolCrm.Domain.Configuration;

/// <summary>An activity type for tasks ("Callback", "Open day invitation").</summary>
public sealed class TaskType
{
    private TaskType()
    {
        Name = "";
        NormalizedName = "";
    }

    public TaskType(string name, int sortOrder)
        : this()
    {
        Rename(name);
        SortOrder = sortOrder;
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    public string NormalizedName { get; private set; }

    public int SortOrder { get; private set; }

    public void Rename(string name)
    {
        Name = ConfigurationName.Clean(name);
        NormalizedName = ConfigurationName.Normalize(Name);
    }

    public void MoveTo(int sortOrder) => SortOrder = sortOrder;
}
