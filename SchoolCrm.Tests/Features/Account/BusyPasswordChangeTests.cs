using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Account;

/// <summary>The password form (a server-rendered form) posted while another connection holds the write lock.</summary>
public sealed class BusyPasswordChangeTests(ShortBusyTimeoutApp app) : IClassFixture<ShortBusyTimeoutApp>
{
    private const string OldPassword = "Test-Pass-1234!";
    private const string NewPassword = "Brand-New-Pass-42!";

    [Fact]
    public async Task A_password_change_while_the_database_is_locked_says_try_again_keeps_the_typed_fields_and_changes_nothing()
    {
        var user = await app.Services.CreateUserAsync($"busy-{Guid.NewGuid():N}@school.test", Roles.Operator, password: OldPassword);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (await SignIn.PostLoginFormAsync(client, user.Email!, OldPassword))
        {
        }

        var form = await client.GetStringAsync("/account/password");
        using var content = PasswordForm.Content(form, OldPassword, NewPassword);

        HttpResponseMessage response;
        await using (await WriteLock.HoldAsync(app.ConnectionString))
        {
            response = await client.PostAsync("/account/password", content);
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains("Could not save. Please try again.", page, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"password-changed\"", page, StringComparison.Ordinal);
            Assert.Contains($"value=\"{OldPassword}\"", page, StringComparison.Ordinal);
            Assert.Equal(2, Occurrences(page, $"value=\"{NewPassword}\""));
        }

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var stored = await users.FindByIdAsync(user.Id);
        Assert.True(await users.CheckPasswordAsync(stored!, OldPassword));
    }

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;
}
