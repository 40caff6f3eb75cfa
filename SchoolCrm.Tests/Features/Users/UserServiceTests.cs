using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Users;

public sealed class UserServiceTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private const string GoodPassword = "Good-Pass-1234!";

    [Fact]
    public async Task The_last_active_admin_cannot_be_disabled()
    {
        await using var fresh = new CrmAppFactory();
        var admin = await fresh.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = fresh.Services.CreateScopeAs(admin, isAdmin: true);
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        var error = await Assert.ThrowsAsync<DomainException>(() => users.SetDisabledAsync(admin.Id, true));

        Assert.Equal("user.last_admin", error.Code);
        Assert.False((await fresh.Services.FindUserAsync(CrmAppFactory.AdminEmail)).IsDisabled);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted_even_when_a_disabled_admin_exists()
    {
        await using var fresh = new CrmAppFactory();
        var admin = await fresh.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var sleeping = await fresh.Services.CreateUserAsync("sleeping-admin@school.test", Roles.Admin);
        await using var scope = fresh.Services.CreateScopeAs(admin, isAdmin: true);
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        await users.SetDisabledAsync(sleeping.Id, true);

        var error = await Assert.ThrowsAsync<DomainException>(() => users.UpdateAsync(admin.Id, "Administrator", Roles.Operator));

        Assert.Equal("user.last_admin", error.Code);
        Assert.Contains(Roles.Admin, await RolesOfAsync(fresh, admin.Id));
    }

    [Fact]
    public async Task An_admin_can_be_disabled_and_demoted_while_another_admin_stays_active()
    {
        var other = await app.Services.CreateUserAsync("second-admin@school.test", Roles.Admin);
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        await users.SetDisabledAsync(other.Id, true);
        var errors = await users.UpdateAsync(other.Id, "Former Admin", Roles.Operator);

        Assert.Empty(errors);
        var row = Assert.Single(await users.ListAsync(), u => u.Id == other.Id);
        Assert.Equal(("Former Admin", Roles.Operator, true), (row.DisplayName, row.Role, row.IsDisabled));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_their_security_stamp_changes()
    {
        var user = await app.Services.CreateUserAsync("to-disable@school.test", Roles.Operator, password: GoodPassword);
        Assert.Equal(SignInResult.Success, await CheckPasswordAsync(user.Email!, GoodPassword));
        await using var scope = await AsAdminAsync();

        await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(user.Id, true);

        Assert.Equal(SignInResult.NotAllowed, await CheckPasswordAsync(user.Email!, GoodPassword));
        var stored = await app.Services.FindUserAsync(user.Email!);
        Assert.True(stored.IsDisabled);
        Assert.NotEqual(user.SecurityStamp, stored.SecurityStamp);
    }

    [Fact]
    public async Task An_enabled_user_can_sign_in_again()
    {
        var user = await app.Services.CreateUserAsync("to-enable@school.test", Roles.Operator, password: GoodPassword);
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        await users.SetDisabledAsync(user.Id, true);
        await users.SetDisabledAsync(user.Id, false);

        Assert.Equal(SignInResult.Success, await CheckPasswordAsync(user.Email!, GoodPassword));
    }

    [Fact]
    public async Task An_operator_is_refused_every_admin_method()
    {
        var operatorUser = await app.Services.CreateUserAsync("not-an-admin@school.test", Roles.Operator);
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using var scope = app.Services.CreateScopeAs(operatorUser, isAdmin: false);
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        Func<Task>[] calls =
        [
            () => users.ListAsync(),
            () => users.CreateAsync(new NewUser("Mallory", "mallory@school.test", Roles.Admin, GoodPassword)),
            () => users.UpdateAsync(operatorUser.Id, "Me", Roles.Admin),
            () => users.SetDisabledAsync(admin.Id, true),
            () => users.ResetPasswordAsync(admin.Id, GoodPassword),
        ];

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<DomainException>(call);
            Assert.Equal("auth.admin_only", error.Code);
        }

        Assert.Null(await FindOrNullAsync("mallory@school.test"));
        Assert.DoesNotContain(Roles.Admin, await RolesOfAsync(app, operatorUser.Id));
    }

    [Fact]
    public async Task A_created_user_has_the_role_the_name_and_the_creation_time_and_can_sign_in()
    {
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var before = DateTime.UtcNow.AddSeconds(-1);

        var errors = await users.CreateAsync(new NewUser("  Olga Operator ", " olga@school.test ", Roles.Operator, GoodPassword));

        Assert.Empty(errors);
        var row = Assert.Single(await users.ListAsync(), u => u.Email == "olga@school.test");
        Assert.Equal(("Olga Operator", Roles.Operator, false), (row.DisplayName, row.Role, row.IsDisabled));
        Assert.InRange(row.CreatedAt, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(SignInResult.Success, await CheckPasswordAsync("olga@school.test", GoodPassword));
    }

    [Fact]
    public async Task A_weak_initial_password_comes_back_as_password_field_errors_and_nothing_is_created()
    {
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        var errors = await users.CreateAsync(new NewUser("Weak", "weak@school.test", Roles.Operator, "short"));

        Assert.All(errors, e => Assert.Equal("Password", e.Field));
        Assert.Contains(errors, e => e.Code == "PasswordTooShort");
        Assert.Null(await FindOrNullAsync("weak@school.test"));
    }

    [Fact]
    public async Task Missing_name_e_mail_role_and_password_are_reported_per_field()
    {
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        var errors = await users.CreateAsync(new NewUser(" ", "", "Boss", ""));

        Assert.Equal(
            [new FieldError("DisplayName", "name.required"), new FieldError("Email", "required"),
             new FieldError("Role", "user.role_invalid"), new FieldError("Password", "required")],
            errors);
    }

    [Fact]
    public async Task An_e_mail_that_is_already_used_is_refused_ignoring_case()
    {
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        var errors = await users.CreateAsync(new NewUser("Copy", CrmAppFactory.AdminEmail.ToUpperInvariant(), Roles.Operator, GoodPassword));

        Assert.Equal([new FieldError("Email", "user.email_taken")], errors);
    }

    [Fact]
    public async Task A_display_name_over_100_characters_is_refused()
    {
        var user = await app.Services.CreateUserAsync("long-name@school.test", Roles.Operator);
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        var errors = await users.UpdateAsync(user.Id, new string('x', 101), Roles.Operator);

        Assert.Equal([new FieldError("DisplayName", "user.name_too_long")], errors);
        Assert.Empty(await users.UpdateAsync(user.Id, new string('x', 100), Roles.Operator));
    }

    [Fact]
    public async Task Promoting_an_operator_makes_them_an_admin_and_ends_their_sessions()
    {
        var user = await app.Services.CreateUserAsync("promoted@school.test", Roles.Operator);
        await using var scope = await AsAdminAsync();

        await scope.ServiceProvider.GetRequiredService<UserService>().UpdateAsync(user.Id, "Promoted", Roles.Admin);

        Assert.Equal([Roles.Admin], await RolesOfAsync(app, user.Id));
        Assert.NotEqual(user.SecurityStamp, (await app.Services.FindUserAsync(user.Email!)).SecurityStamp);
    }

    [Fact]
    public async Task A_reset_password_replaces_the_old_one_and_lifts_a_lockout()
    {
        var user = await app.Services.CreateUserAsync("forgetful@school.test", Roles.Operator, password: GoodPassword);
        for (var i = 0; i < 5; i++)
        {
            await CheckPasswordAsync(user.Email!, "wrong-password", lockoutOnFailure: true);
        }

        Assert.Equal(SignInResult.LockedOut, await CheckPasswordAsync(user.Email!, GoodPassword));
        await using var scope = await AsAdminAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();

        Assert.Contains(await users.ResetPasswordAsync(user.Id, "weak"), e => e.Field == "Password");
        Assert.Empty(await users.ResetPasswordAsync(user.Id, "Brand-New-Pass-42!"));

        Assert.Equal(SignInResult.Success, await CheckPasswordAsync(user.Email!, "Brand-New-Pass-42!"));
        Assert.Equal(SignInResult.Failed, await CheckPasswordAsync(user.Email!, GoodPassword));
    }

    [Fact]
    public async Task Assignable_users_are_the_active_ones_ordered_by_name_and_any_user_may_list_them()
    {
        var zoe = await app.Services.CreateUserAsync("zoe@school.test", Roles.Operator, displayName: "Zoe Assignable");
        var adam = await app.Services.CreateUserAsync("adam@school.test", Roles.Operator, displayName: "Adam Assignable");
        var gone = await app.Services.CreateUserAsync("gone@school.test", Roles.Operator, displayName: "Gone Assignable");
        await using (var admin = await AsAdminAsync())
        {
            await admin.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(gone.Id, true);
        }

        await using var scope = app.Services.CreateScopeAs(zoe, isAdmin: false);
        var assignable = await scope.ServiceProvider.GetRequiredService<UserService>().ListAssignableAsync();

        var mine = assignable.Where(u => u.DisplayName.EndsWith("Assignable", StringComparison.Ordinal)).ToList();
        Assert.Equal([new AssignableUser(adam.Id, "Adam Assignable"), new AssignableUser(zoe.Id, "Zoe Assignable")], mine);
    }

    [Fact]
    public async Task The_bootstrap_admin_has_a_creation_time()
    {
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);

        Assert.InRange(admin.CreatedAt, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddSeconds(1));
    }

    private async Task<AsyncServiceScope> AsAdminAsync()
    {
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        return app.Services.CreateScopeAs(admin, isAdmin: true);
    }

    private async Task<SignInResult> CheckPasswordAsync(string email, string password, bool lockoutOnFailure = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var user = await signIn.UserManager.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        return await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
    }

    private async Task<AppUser?> FindOrNullAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
    }

    private static async Task<IList<string>> RolesOfAsync(CrmAppFactory factory, string userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(userId))!);
    }
}
