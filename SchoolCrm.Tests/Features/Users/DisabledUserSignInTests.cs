using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Users;

/// <summary>Signs in through the real login form (with its antiforgery token), as a browser would.</summary>
public sealed partial class DisabledUserSignInTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    private const string Password = "Disabled-Pass-1234!";

    [Fact]
    public async Task A_user_signs_in_through_the_form_until_an_admin_disables_them()
    {
        var user = await app.Services.CreateUserAsync("soon-disabled@school.test", Roles.Operator, password: Password);

        using var before = await PostLoginFormAsync(user.Email!, Password);
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Contains(before.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal)));

        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        await using (var scope = app.Services.CreateScopeAs(admin, isAdmin: true))
        {
            await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(user.Id, true);
        }

        using var after = await PostLoginFormAsync(user.Email!, Password);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain(after.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal)));
        Assert.Contains("id=\"login-error\"", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostLoginFormAsync(string email, string password)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
