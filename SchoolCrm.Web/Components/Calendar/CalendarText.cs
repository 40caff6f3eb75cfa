namespace SchoolCrm.Web.Components.Calendar;

/// <summary>Marker for the calendar's texts (CalendarText.resx, CalendarText.de.resx, CalendarText.it.resx).</summary>
public sealed class CalendarText;
