namespace SchoolCrm.Web.Features.Users;

/// <summary>Marker for the Users page strings (UsersText.resx, UsersText.de.resx).</summary>
public sealed class UsersText;
