using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Users;

/// <summary>An admin disables a user through the Users service; the real sign-in form then refuses them.</summary>
public sealed class DisabledUserSignInTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private const string Password = "Disabled-Pass-1234!";

    [Fact]
    public async Task A_user_signs_in_through_the_form_until_an_admin_disables_them()
    {
        var user = await app.Services.CreateUserAsync("soon-disabled@school.test", Roles.Operator, password: Password);

        using var before = await PostLoginFormAsync(user.Email!);
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.True(SetsAuthCookie(before));

        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using (var scope = app.Services.CreateScopeAs(admin, isAdmin: true))
        {
            await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(user.Id, true);
        }

        using var after = await PostLoginFormAsync(user.Email!);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.False(SetsAuthCookie(after));
        Assert.Contains("id=\"login-error\"", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostLoginFormAsync(string email)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return await SignIn.PostLoginFormAsync(client, email, Password);
    }

    private static bool SetsAuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
        && cookies.Any(c => c.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal));
}
