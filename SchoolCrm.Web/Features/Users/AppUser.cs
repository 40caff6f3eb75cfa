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

    /// <summary>How the user hears of a task given to them (profile: popup, e-mail, both or none).</summary>
    public NotificationDelivery AssignmentDelivery { get; set; } = NotificationDelivery.PopupAndEmail;

    /// <summary>How the user hears of a task's reminder.</summary>
    public NotificationDelivery ReminderDelivery { get; set; } = NotificationDelivery.PopupAndEmail;
}

/// <summary>Every notification is stored and listed under the bell; this says what else happens.</summary>
[Flags]
public enum NotificationDelivery
{
    None = 0,
    Popup = 1,
    Email = 2,
    PopupAndEmail = Popup | Email,
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";

    public static readonly IReadOnlyList<string> All = [Admin, Operator];
}
