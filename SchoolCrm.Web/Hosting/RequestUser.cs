using Microsoft.AspNetCore.Components.Authorization;

namespace SchoolCrm.Web.Hosting;

public static class RequestUser
{
    /// <summary>
    /// Lets the services' <c>CurrentUser</c> see the signed-in user of a plain HTTP request (a file download),
    /// the way a circuit does, so the services' own authorization checks apply to endpoints too.
    /// </summary>
    public static void UseAsCurrentUser(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.RequestServices.GetRequiredService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        }
    }
}
