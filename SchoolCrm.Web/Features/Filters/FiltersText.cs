namespace SchoolCrm.Web.Features.Filters;

/// <summary>Marker for the saved filter screens' strings (FiltersText.resx, .de.resx, .it.resx), operators included.</summary>
public sealed class FiltersText;
