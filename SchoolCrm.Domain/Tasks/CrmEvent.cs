namespace SchoolCrm.Domain.Tasks;

/// <summary>
/// Something in the calendar with a start and an end (a meeting, an open day), optionally about a lead (and its
/// student after conversion), seen by its participants. An all-day event names its days (<see cref="StartDate"/>
/// to <see cref="EndDate"/>, both included); its UTC range is those days at the school, for range queries.
/// </summary>
public sealed class CrmEvent : IPlannedItem
{
    public const int TitleMaxLength = 200;
    public const int LocationMaxLength = 200;
    public const int DescriptionMaxLength = 4000;

    private CrmEvent()
    {
        Title = "";
        CreatedByUserId = "";
        UpdatedByUserId = "";
    }

    public int Id { get; private set; }

    public int? LeadId { get; private set; }

    public int? StudentId { get; private set; }

    public string Title { get; private set; }

    public string? Location { get; private set; }

    public string? Description { get; private set; }

    public bool AllDay { get; private set; }

    /// <summary>The start instant; for an all-day event the start of its first day at the school.</summary>
    public DateTime StartUtc { get; private set; }

    /// <summary>The end instant (after or at the start); for an all-day event the end of its last day at the school.</summary>
    public DateTime EndUtc { get; private set; }

    /// <summary>All-day events only: the first day.</summary>
    public DateOnly? StartDate { get; private set; }

    /// <summary>All-day events only: the last day, included.</summary>
    public DateOnly? EndDate { get; private set; }

    public string CreatedByUserId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedByUserId { get; private set; }

    public Guid Version { get; private set; }

    public List<EventParticipant> Participants { get; private set; } = [];

    public static CrmEvent Create(int? leadId, EventContent content, string byUserId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(content);
        var item = new CrmEvent { LeadId = leadId, CreatedByUserId = byUserId, CreatedAt = nowUtc };
        item.Apply(content.Cleaned());
        item.Touch(byUserId, nowUtc);
        return item;
    }

    /// <summary>Participants, the creator and admins may edit.</summary>
    public bool MayEdit(string userId, bool isAdmin) =>
        isAdmin || userId == CreatedByUserId || Participants.Any(p => p.UserId == userId);

    /// <summary>The creator and admins may delete, as with tasks.</summary>
    public bool MayDelete(string userId, bool isAdmin) => isAdmin || userId == CreatedByUserId;

    /// <summary>Applies the form; returns whether anything changed. Participants are set by <see cref="SetParticipants"/>.</summary>
    public bool Edit(EventContent content, string byUserId, bool byAdmin, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!MayEdit(byUserId, byAdmin))
        {
            throw new DomainException("event.not_allowed");
        }

        var cleaned = content.Cleaned();
        var before = Snapshot();
        Apply(cleaned);
        if (before == Snapshot())
        {
            return false;
        }

        Touch(byUserId, nowUtc);
        return true;
    }

    /// <summary>Replaces the participants; returns whether the set changed. At least one is required.</summary>
    public bool SetParticipants(IReadOnlyCollection<string> userIds, string byUserId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var wanted = userIds.Where(id => !string.IsNullOrWhiteSpace(id)).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new DomainException("event.participants_required", nameof(Participants));
        }

        var current = Participants.Select(p => p.UserId).ToHashSet(StringComparer.Ordinal);
        if (current.SetEquals(wanted))
        {
            return false;
        }

        Participants.RemoveAll(p => !wanted.Contains(p.UserId));
        Participants.AddRange(wanted.Where(id => !current.Contains(id)).Select(id => new EventParticipant(Id, id)));
        Touch(byUserId, nowUtc);
        return true;
    }

    public void RequireDeleter(string byUserId, bool byAdmin)
    {
        if (!MayDelete(byUserId, byAdmin))
        {
            throw new DomainException("event.not_allowed");
        }
    }

    private (string, string?, string?, bool, DateTime, DateTime, DateOnly?, DateOnly?) Snapshot() =>
        (Title, Location, Description, AllDay, StartUtc, EndUtc, StartDate, EndDate);

    private void Apply(EventContent cleaned)
    {
        Title = cleaned.Title;
        Location = cleaned.Location;
        Description = cleaned.Description;
        AllDay = cleaned.AllDay;
        StartUtc = cleaned.StartUtc;
        EndUtc = cleaned.EndUtc;
        StartDate = cleaned.StartDate;
        EndDate = cleaned.EndDate;
    }

    private void Touch(string byUserId, DateTime nowUtc)
    {
        UpdatedAt = nowUtc;
        UpdatedByUserId = byUserId;
        Version = Guid.NewGuid();
    }
}

/// <summary>An operator who sees the event in their calendar.</summary>
public sealed class EventParticipant
{
    public EventParticipant(int eventId, string userId)
    {
        EventId = eventId;
        UserId = userId;
    }

    public int EventId { get; private set; }

    public string UserId { get; private set; }
}

/// <summary>
/// What the event form edits, as instants. Build it with <see cref="Timed"/> or <see cref="AllDayEvent"/>, which
/// apply the school's time rules (<see cref="SchoolTime"/>).
/// </summary>
public sealed record EventContent(
    string Title,
    string? Location,
    string? Description,
    bool AllDay,
    DateTime StartUtc,
    DateTime EndUtc,
    DateOnly? StartDate,
    DateOnly? EndDate)
{
    /// <summary>A timed event from local dates and times; a time the clocks skip is refused (field "Start" or "End").</summary>
    public static EventContent Timed(string title, string? location, string? description, DateOnly startDate, TimeOnly startTime, DateOnly endDate, TimeOnly endTime, TimeZoneInfo zone)
    {
        var start = SchoolTime.ToUtc(startDate, startTime, zone, "Start");
        var end = SchoolTime.ToUtc(endDate, endTime, zone, "End");
        return new EventContent(title, location, description, false, start, end, null, null);
    }

    /// <summary>An all-day event over the days <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static EventContent AllDayEvent(string title, string? location, string? description, DateOnly first, DateOnly last, TimeZoneInfo zone)
    {
        var (start, end) = SchoolTime.Days(first, last, zone);
        return new EventContent(title, location, description, true, start, end, first, last);
    }

    public EventContent Cleaned()
    {
        var title = Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            throw new DomainException("required", nameof(Title));
        }

        if (title.Length > CrmEvent.TitleMaxLength)
        {
            throw new DomainException("text.too_long", nameof(Title));
        }

        var location = Optional(Location, CrmEvent.LocationMaxLength, nameof(Location));
        var description = Optional(Description, CrmEvent.DescriptionMaxLength, nameof(Description));
        if (EndUtc < StartUtc || (AllDay && (StartDate is null || EndDate is null || EndDate < StartDate)))
        {
            throw new DomainException("time.end_before_start", "End");
        }

        return this with
        {
            Title = title,
            Location = location,
            Description = description,
            StartUtc = DateTime.SpecifyKind(StartUtc, DateTimeKind.Utc),
            EndUtc = DateTime.SpecifyKind(EndUtc, DateTimeKind.Utc),
            StartDate = AllDay ? StartDate : null,
            EndDate = AllDay ? EndDate : null,
        };
    }

    private static string? Optional(string? value, int maxLength, string field)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return trimmed?.Length > maxLength ? throw new DomainException("text.too_long", field) : trimmed;
    }
}
