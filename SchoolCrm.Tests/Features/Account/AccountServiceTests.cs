using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Account;

public sealed class AccountServiceTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    [Fact]
    public async Task A_user_changes_their_own_password_only_with_the_current_one()
    {
        var user = await app.Services.CreateUserAsync("pw@school.test", Roles.Operator);
        await using var scope = app.Services.CreateScopeAs(user, isAdmin: false);
        var account = scope.ServiceProvider.GetRequiredService<AccountService>();

        var wrong = await account.ChangePasswordAsync("not-it", "New-Pass-9876!");
        var tooShort = await account.ChangePasswordAsync("Test-Pass-1234!", "Sh0rt!");
        var done = await account.ChangePasswordAsync("Test-Pass-1234!", "New-Pass-9876!");

        Assert.Contains("PasswordMismatch", wrong);
        Assert.Contains("PasswordTooShort", tooShort);
        Assert.Empty(done);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(user.Id))!, "New-Pass-9876!"));
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("DE", "de")]
    [InlineData("it-IT", "it")]
    [InlineData("fr", "en")]
    public async Task The_language_choice_is_stored_on_the_user(string chosen, string stored)
    {
        var user = await app.Services.CreateUserAsync($"lang-{Guid.NewGuid():N}@school.test", Roles.Operator);
        await using var scope = app.Services.CreateScopeAs(user, isAdmin: false);

        var saved = await scope.ServiceProvider.GetRequiredService<AccountService>().SetCultureAsync(chosen);

        Assert.Equal(stored, saved);
        Assert.Equal(stored, (await app.Services.FindUserAsync(user.Email!)).Culture);
    }
}
