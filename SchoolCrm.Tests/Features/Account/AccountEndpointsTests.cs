using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SchoolCrm.Tests.Infrastructure;

namespace SchoolCrm.Tests.Features.Account;

public sealed class AccountEndpointsTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    [Theory]
    [InlineData("/leads?page=2", "/leads?page=2")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("http://evil.example/", "/")]
    public async Task The_language_switch_leads_back_only_to_a_page_of_this_site(string returnUrl, string expected)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (await SignIn.PostLoginFormAsync(client, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword))
        {
        }

        using var response = await client.GetAsync("/account/culture?culture=de&returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }
}
