using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Calls the app's services as a given user, the way a circuit does: a scope whose authentication state
/// is that user, so the services' own authorization checks run for real.
/// </summary>
public static class ActingUser
{
    public static AsyncServiceScope CreateScopeAs(this IServiceProvider services, AppUser user, bool isAdmin)
    {
        var scope = services.CreateAsyncScope();
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new(ClaimTypes.Role, isAdmin ? Roles.Admin : Roles.Operator),
        };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IHostEnvironmentAuthenticationStateProvider)provider)
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }

    /// <summary>Creates an active user with the role; the password meets the app's policy.</summary>
    public static async Task<AppUser> CreateUserAsync(this IServiceProvider services, string email, string role, string displayName = "Test User", string password = "Test-Pass-1234!")
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, LockoutEnabled = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, role);
        return user;
    }

    public static async Task<AppUser> FindUserAsync(this IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("No user " + email);
    }
}
