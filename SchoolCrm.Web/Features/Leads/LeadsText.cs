namespace SchoolCrm.Web.Features.Leads;

/// <summary>Marker for the lead record's texts (LeadsText.resx, LeadsText.de.resx).</summary>
public sealed class LeadsText;
