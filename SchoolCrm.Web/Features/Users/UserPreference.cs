namespace SchoolCrm.Web.Features.Users;

/// <summary>A small remembered choice of one user, such as the columns last exported. Values are short text.</summary>
public sealed class UserPreference
{
    public const int KeyMaxLength = 100;
    public const int ValueMaxLength = 4000;

    public string UserId { get; set; } = "";

    public string Key { get; set; } = "";

    public string Value { get; set; } = "";
}
