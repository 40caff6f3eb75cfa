namespace SchoolCrm.Domain.Tasks;

/// <summary>
/// What a task and an event share for loading, saving and deleting them: the record they are about (its history
/// names their title), the concurrency version a stale form is checked against, and the delete rule.
/// </summary>
public interface IPlannedItem
{
    int Id { get; }

    int? LeadId { get; }

    int? StudentId { get; }

    string Title { get; }

    Guid Version { get; }

    /// <summary>Throws the item's "not_allowed" error unless the user may delete it.</summary>
    void RequireDeleter(string byUserId, bool byAdmin);
}
