using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Account;

public sealed class SignInTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private HttpClient Client() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task The_bootstrap_admin_signs_in_and_is_sent_to_the_return_url()
    {
        using var client = Client();

        using var response = await SignIn.PostLoginFormAsync(client, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal));
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_shows_a_message_and_sets_no_cookie()
    {
        using var client = Client();

        using var response = await SignIn.PostLoginFormAsync(client, CrmAppFactory.AdminEmail, "wrong-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"login-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await app.Services.CreateUserAsync("locked@school.test", Roles.Operator);
        using var client = Client();

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SignIn.PostLoginFormAsync(client, user.Email!, "not-the-password");
        }

        using var right = await SignIn.PostLoginFormAsync(client, user.Email!, "Test-Pass-1234!");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("5 minutes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        var user = await app.Services.CreateUserAsync("disabled@school.test", Roles.Operator);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            stored.IsDisabled = true;
            await users.UpdateAsync(stored);
        }

        using var client = Client();
        using var response = await SignIn.PostLoginFormAsync(client, user.Email!, "Test-Pass-1234!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"login-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("http://evil.example/")]
    public async Task Sign_in_never_redirects_to_another_site(string returnUrl)
    {
        using var client = Client();
        var form = await client.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = CrmAppFactory.AdminEmail,
            ["Input.Password"] = CrmAppFactory.AdminPassword,
        });

        using var response = await client.PostAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl), content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
    }
}
