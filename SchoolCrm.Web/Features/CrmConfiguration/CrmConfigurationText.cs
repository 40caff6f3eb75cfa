namespace SchoolCrm.Web.Features.CrmConfiguration;

/// <summary>Marker for the CRM configuration strings (CrmConfigurationText.resx, CrmConfigurationText.de.resx).</summary>
public sealed class CrmConfigurationText;
