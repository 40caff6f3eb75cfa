namespace SchoolCrm.Web.Features.Tasks;

/// <summary>Marker for the calendar page's texts (CalendarPageText.resx, .de.resx, .it.resx).</summary>
public sealed class CalendarPageText;
