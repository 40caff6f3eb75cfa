namespace SchoolCrm.Web.Features.Students;

/// <summary>Marker for the student screens' and the conversion dialog's strings (StudentsText.resx, StudentsText.de.resx).</summary>
public sealed class StudentsText;
