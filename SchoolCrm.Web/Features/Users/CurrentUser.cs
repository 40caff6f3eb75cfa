using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using SchoolCrm.Domain;

namespace SchoolCrm.Web.Features.Users;

/// <summary>The signed-in user as the services see it.</summary>
public sealed record Actor(string UserId, bool IsAdmin);

/// <summary>
/// Gives services the user of the current circuit or request, so they enforce authorization themselves
/// instead of trusting the UI to hide buttons.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authenticationState)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authenticationState.GetAuthenticationStateAsync();
        var principal = state.User;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || userId is null)
        {
            throw new DomainException("auth.required");
        }

        return new Actor(userId, principal.IsInRole(Roles.Admin));
    }

    public async Task<Actor> RequireAdminAsync()
    {
        var actor = await GetAsync();
        if (!actor.IsAdmin)
        {
            throw new DomainException("auth.admin_only");
        }

        return actor;
    }
}
