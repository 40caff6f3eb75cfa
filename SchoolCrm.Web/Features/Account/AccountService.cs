using Microsoft.AspNetCore.Identity;
using SchoolCrm.Domain;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Account;

/// <summary>
/// What every signed-in user may do to their own account. Each call takes its own scope (and so its own
/// UserManager and DbContext), like <see cref="UserService"/>: a circuit lives for hours, a DbContext must not.
/// </summary>
public sealed class AccountService(IServiceScopeFactory scopes, CurrentUser currentUser)
{
    public async Task<string> SetCultureAsync(string culture)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await FindMeAsync(users);
        me.Culture = Localization.Normalize(culture);
        ThrowIfFailed(await users.UpdateAsync(me));
        return me.Culture;
    }

    /// <summary>
    /// Returns Identity's error codes (e.g. PasswordMismatch, PasswordTooShort); empty on success. Success gives
    /// the user a new security stamp, which ends their other sessions; the caller renews this session's cookie.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangePasswordAsync(string currentPassword, string newPassword)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var me = await FindMeAsync(users);
        var result = await users.ChangePasswordAsync(me, currentPassword, newPassword);
        return result.Succeeded ? [] : [.. result.Errors.Select(e => e.Code)];
    }

    private async Task<AppUser> FindMeAsync(UserManager<AppUser> users)
    {
        var actor = await currentUser.GetAsync();
        return await users.FindByIdAsync(actor.UserId) ?? throw new DomainException("user.not_found");
    }

    private static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Code + ": " + e.Description)));
        }
    }
}
