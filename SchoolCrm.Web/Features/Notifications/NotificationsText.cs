namespace SchoolCrm.Web.Features.Notifications;

/// <summary>Marker for the texts of notifications (NotificationsText.resx, .de.resx, .it.resx).</summary>
public sealed class NotificationsText;
