using Microsoft.AspNetCore.Http.HttpResults;

namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// The one check for every returnUrl the app follows (sign-in, language switch, password page, back to the
/// lead list): only a path of this site, never another site (<c>//evil</c>, <c>/\evil</c>, <c>https://...</c>).
/// </summary>
public static class LocalUrl
{
    /// <summary><paramref name="returnUrl"/> if it is a local path, otherwise <paramref name="fallback"/>.</summary>
    public static string Or(string? returnUrl, string fallback = "/") =>
        // ASP.NET Core's own check (also refuses control characters); the app's links are always rooted paths,
        // so the "~/" form IsLocalUrl also accepts is not followed either.
        RedirectHttpResult.IsLocalUrl(returnUrl) && returnUrl![0] == '/'
            ? returnUrl
            : fallback;
}
