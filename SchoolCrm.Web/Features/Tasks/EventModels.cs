namespace SchoolCrm.Web.Features.Tasks;

/// <summary>
/// The event form as entered, at the school: a timed event has start and end times; an all-day one only dates
/// (several days when <see cref="EndDate"/> is later). No participants means the current user.
/// </summary>
public sealed record EventInput(
    int? LeadId,
    string Title,
    string? Location,
    string? Description,
    bool AllDay,
    DateOnly StartDate,
    TimeOnly? StartTime,
    DateOnly EndDate,
    TimeOnly? EndTime,
    IReadOnlyList<string> ParticipantIds);

public sealed record EventParticipantItem(string UserId, string DisplayName, bool IsDisabled);

/// <summary>An event as lists and the calendar show it, with the current user's rights on it.</summary>
public sealed record EventItem(
    int Id,
    string Title,
    string? Location,
    bool AllDay,
    DateTime StartUtc,
    DateTime EndUtc,
    DateOnly? StartDate,
    DateOnly? EndDate,
    int? LeadId,
    int? StudentId,
    string? LeadFirstName,
    string? LeadLastName,
    bool CanEdit,
    bool CanDelete,
    Guid Version)
{
    public string? LeadName =>
        PlannedItems.LeadName(LeadId, LeadFirstName, LeadLastName);
}

/// <summary>One event for its edit form: the list fields, the rest, and the participants.</summary>
public sealed record EventDetails(EventItem Item, string? Description, string CreatedByName, IReadOnlyList<EventParticipantItem> Participants);

/// <summary>A lead the event form offers: its id and name (no other personal data).</summary>
public sealed record LeadChoice(int Id, string FirstName, string? LastName)
{
    public string Name => string.IsNullOrEmpty(LastName) ? FirstName : FirstName + " " + LastName;
}
