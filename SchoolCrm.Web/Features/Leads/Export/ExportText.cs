namespace SchoolCrm.Web.Features.Leads.Export;

/// <summary>Marker for the export dialog's texts (ExportText.resx, ExportText.de.resx).</summary>
public sealed class ExportText;
