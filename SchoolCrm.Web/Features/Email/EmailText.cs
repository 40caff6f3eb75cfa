namespace SchoolCrm.Web.Features.Email;

/// <summary>Marker for the texts of e-mails and the admin's e-mail page (EmailText.resx, .de.resx, .it.resx).</summary>
public sealed class EmailText;
