using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Users;

public sealed class BootstrapTests
{
    [Fact]
    public async Task With_both_bootstrap_settings_the_first_admin_is_created_from_them()
    {
        await using var app = new CrmAppFactory();

        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
        Assert.True(await users.CheckPasswordAsync(admin, CrmAppFactory.AdminPassword));
    }

    [Fact]
    public async Task Without_bootstrap_settings_admin_at_localhost_gets_a_generated_password()
    {
        await using var app = new CrmAppFactory()
            .WithSetting("Bootstrap:AdminEmail", "")
            .WithSetting("Bootstrap:AdminPassword", "");

        var admin = await app.Services.FindUserAsync(FirstAdminBootstrap.DefaultAdminEmail);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
        Assert.False(await users.CheckPasswordAsync(admin, CrmAppFactory.AdminPassword));
        Assert.Single(users.Users);
    }

    [Fact]
    public async Task Bootstrap_never_touches_existing_users()
    {
        await using var app = new CrmAppFactory();
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        string stampBefore;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var stored = (await users.FindByIdAsync(admin.Id))!;
            Assert.True((await users.ChangePasswordAsync(stored, CrmAppFactory.AdminPassword, "Changed-Pass-5678!")).Succeeded);
            stampBefore = (await users.FindByIdAsync(admin.Id))!.SecurityStamp!;
        }

        // A later start with other bootstrap settings, as after an edit of appsettings.json.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var config = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Bootstrap:AdminEmail"] = "other@school.test",
                    ["Bootstrap:AdminPassword"] = "Other-Pass-1234!",
                })
                .Build();
            var bootstrap = ActivatorUtilities.CreateInstance<FirstAdminBootstrap>(scope.ServiceProvider, config);
            await bootstrap.RunAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.Null(await users.FindByEmailAsync("other@school.test"));
            var after = (await users.FindByIdAsync(admin.Id))!;
            Assert.Equal(stampBefore, after.SecurityStamp);
            Assert.True(await users.CheckPasswordAsync(after, "Changed-Pass-5678!"));
        }
    }

    [Fact]
    public async Task A_new_database_starts_with_a_default_status_and_some_task_types()
    {
        await using var app = new CrmAppFactory();
        await using var scope = app.Services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SchoolCrm.Web.Data.CrmDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();

        Assert.Single(db.LeadStatuses, s => s.IsDefault);
        Assert.NotEmpty(db.TaskTypes);
    }
}
