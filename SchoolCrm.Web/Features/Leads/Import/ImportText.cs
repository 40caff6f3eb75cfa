namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>Marker for the import screen's texts (ImportText.resx, ImportText.de.resx), and the spreadsheet words
/// the import and export share: field labels, yes/no, genders.</summary>
public sealed class ImportText;
