using Microsoft.AspNetCore.Identity;

namespace SchoolCrm.Web.Features.Users;

/// <summary>A staff member who signs in: an admin or an operator.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The user's own language choice ("en", "de", "it"), applied to the culture cookie at sign-in;
    /// empty until they choose, so they follow the school's language (see SchoolCulture).</summary>
    public string Culture { get; set; } = "";

    /// <summary>A disabled user cannot sign in and is not offered as assignee, but keeps their history.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>When the account was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";

    public static readonly IReadOnlyList<string> All = [Admin, Operator];
}
