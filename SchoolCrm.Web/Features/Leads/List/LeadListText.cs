namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>Marker for the lead list's texts (LeadListText.resx, LeadListText.de.resx).</summary>
public sealed class LeadListText;
