using Microsoft.AspNetCore.Identity;
using SchoolCrm.Domain;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Account;

/// <summary>What every signed-in user may do to their own account.</summary>
public sealed class AccountService(UserManager<AppUser> users, CurrentUser currentUser)
{
    public async Task<AppUser> GetMeAsync()
    {
        var actor = await currentUser.GetAsync();
        return await users.FindByIdAsync(actor.UserId) ?? throw new DomainException("user.not_found");
    }

    public async Task<string> SetCultureAsync(string culture)
    {
        var me = await GetMeAsync();
        me.Culture = Localization.Normalize(culture);
        await users.UpdateAsync(me);
        return me.Culture;
    }

    /// <summary>Returns Identity's error codes (e.g. PasswordMismatch, PasswordTooShort); empty on success.</summary>
    public async Task<IReadOnlyList<string>> ChangePasswordAsync(string currentPassword, string newPassword)
    {
        var me = await GetMeAsync();
        var result = await users.ChangePasswordAsync(me, currentPassword, newPassword);
        return result.Succeeded ? [] : [.. result.Errors.Select(e => e.Code)];
    }
}
