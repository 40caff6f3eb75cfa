namespace SchoolCrm.Web.Features.Common;

/// <summary>Marker for the strings every screen uses (SharedText.resx, SharedText.de.resx).</summary>
public sealed class SharedText;
