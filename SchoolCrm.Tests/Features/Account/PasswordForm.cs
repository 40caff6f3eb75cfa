using SchoolCrm.Tests.Infrastructure;

namespace SchoolCrm.Tests.Features.Account;

/// <summary>The password page's form as a browser posts it.</summary>
internal static class PasswordForm
{
    /// <param name="page">The GET of /account/password, which carries the antiforgery token.</param>
    public static FormUrlEncodedContent Content(string page, string current, string newPassword) => new(new Dictionary<string, string>
    {
        ["_handler"] = "change-password",
        ["__RequestVerificationToken"] = SignIn.AntiforgeryTokenIn(page),
        ["Input.Current"] = current,
        ["Input.New"] = newPassword,
        ["Input.Repeat"] = newPassword,
    });
}
