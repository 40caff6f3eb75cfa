namespace SchoolCrm.Web.Features.Tasks.Feed;

/// <summary>Marker for the texts of the calendar subscription (CalendarFeedText.resx, .de.resx, .it.resx).</summary>
public sealed class CalendarFeedText;
