using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post (antiforgery-checked by the framework because it binds a form).
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        });

        // The language menu saves the choice on the user first, then comes here so the cookie follows it.
        app.MapGet("/account/culture", (HttpContext context, string culture, string? returnUrl) =>
        {
            Localization.WriteCultureCookie(context.Response, culture);
            return TypedResults.LocalRedirect(LocalUrl.Or(returnUrl));
        });

        return app;
    }
}
