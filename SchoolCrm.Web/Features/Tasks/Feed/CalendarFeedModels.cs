namespace SchoolCrm.Web.Features.Tasks.Feed;

/// <summary>The current user's subscription as the profile shows it: when its token was issued (UTC).</summary>
public sealed record CalendarFeedState(DateTime IssuedAt);

/// <summary>A task as the feed writes it: its title, type and lead name, nothing else about the lead.</summary>
public sealed record FeedTask(
    int Id,
    string Title,
    string TaskTypeName,
    DateTime DeadlineUtc,
    bool IsDone,
    DateTime UpdatedAt,
    string? LeadFirstName,
    string? LeadLastName);

/// <summary>An event as the feed writes it (no description, no participants).</summary>
public sealed record FeedEvent(
    int Id,
    string Title,
    string? Location,
    bool AllDay,
    DateTime StartUtc,
    DateTime EndUtc,
    DateOnly? StartDate,
    DateOnly? EndDate,
    DateTime UpdatedAt,
    string? LeadFirstName,
    string? LeadLastName);

/// <summary>What a feed request reads: whose feed, and their tasks and events in the feed's window.</summary>
public sealed record FeedContent(int FeedId, string OwnerName, IReadOnlyList<FeedTask> Tasks, IReadOnlyList<FeedEvent> Events);

/// <summary>The feed as sent: the iCalendar text, its strong ETag (a hash of the text) and when it last changed.</summary>
public sealed record FeedDocument(string Body, string ETag, DateTimeOffset LastModified);
