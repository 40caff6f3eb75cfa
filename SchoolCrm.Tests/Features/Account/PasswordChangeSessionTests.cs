using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Account;

/// <summary>
/// The security stamp checks run as they would an hour later: the stamp validator's clock is an hour ahead, so
/// every request compares the cookie's stamp with the user's (normally once every five minutes).
/// </summary>
public sealed class PasswordChangeSessionTests : IAsyncLifetime
{
    private const string OldPassword = "Test-Pass-1234!";
    private const string NewPassword = "Brand-New-Pass-42!";

    private readonly CrmAppFactory root = new();
    private WebApplicationFactory<Program> app = default!;

    public Task InitializeAsync()
    {
        app = root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Configure<SecurityStampValidatorOptions>(o => o.TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1)))));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await root.DisposeAsync();

    [Fact]
    public async Task Changing_your_own_password_keeps_this_session_signed_in_and_ends_the_users_other_sessions()
    {
        var user = await app.Services.CreateUserAsync("changer@school.test", Roles.Operator, password: OldPassword);
        using var here = Client();
        using var elsewhere = Client();
        using (var signIn = await SignIn.PostLoginFormAsync(here, user.Email!, OldPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        string otherCookie;
        using (var signIn = await SignIn.PostLoginFormAsync(elsewhere, user.Email!, OldPassword))
        {
            otherCookie = AuthCookie(signIn);
        }

        using var change = await PostChangePasswordAsync(here, OldPassword, NewPassword);

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Contains("id=\"password-changed\"", await change.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var renewedCookie = AuthCookie(change);

        using var stillHere = await here.GetAsync("/leads");
        using var signedOut = await elsewhere.GetAsync("/leads");
        Assert.Equal(HttpStatusCode.OK, stillHere.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/login", signedOut.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // An open circuit is revalidated against the user it started with: one started with the renewed cookie
        // stays, one from the other session is ended.
        await using var scope = app.Services.CreateAsyncScope();
        var revalidation = (RevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.True(await revalidation.IsStillValidAsync(Principal(renewedCookie)));
        Assert.False(await revalidation.IsStillValidAsync(Principal(otherCookie)));
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_says_so()
    {
        var user = await app.Services.CreateUserAsync("mistyped@school.test", Roles.Operator, password: OldPassword);
        using var here = Client();
        using (await SignIn.PostLoginFormAsync(here, user.Email!, OldPassword))
        {
        }

        using var change = await PostChangePasswordAsync(here, "not-my-password", NewPassword);

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Contains("The current password is wrong.", await change.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var stillHere = await here.GetAsync("/leads");
        Assert.Equal(HttpStatusCode.OK, stillHere.StatusCode);
    }

    [Theory]
    [InlineData("/leads?page=2", "/leads?page=2")]
    [InlineData("//evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    public async Task The_password_page_leads_back_only_to_a_page_of_this_site(string returnUrl, string back)
    {
        using var here = Client();
        using (await SignIn.PostLoginFormAsync(here, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword))
        {
        }

        var page = await here.GetStringAsync("/account/password?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Contains($"href=\"{WebUtility.HtmlEncode(back)}\" id=\"password-back\"", page, StringComparison.Ordinal);
    }

    private HttpClient Client() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static async Task<HttpResponseMessage> PostChangePasswordAsync(HttpClient client, string current, string newPassword)
    {
        var form = await client.GetStringAsync("/account/password");
        using var content = PasswordForm.Content(form, current, newPassword);
        return await client.PostAsync("/account/password", content);
    }

    private static string AuthCookie(HttpResponseMessage response)
    {
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal));
        return header["SchoolCrm.Auth=".Length..header.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>The user a circuit started with this cookie would carry.</summary>
    private ClaimsPrincipal Principal(string cookie)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        return options.TicketDataFormat.Unprotect(Uri.UnescapeDataString(cookie))?.Principal
            ?? throw new InvalidOperationException("The cookie does not decrypt.");
    }
}
