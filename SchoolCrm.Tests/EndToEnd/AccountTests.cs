using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

public sealed partial class AccountTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    [Fact]
    public async Task A_user_changes_their_password_from_the_user_menu_and_is_back_on_their_page_still_signed_in()
    {
        const string email = "new-password@school.test";
        await App.Services.CreateUserAsync(email, Roles.Operator, password: "Test-Pass-1234!");
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, email, "Test-Pass-1234!");
        await page.GotoAsync("/students");
        await WaitForInteractiveAsync(page);

        await page.Locator("#user-menu button").ClickAsync();
        await page.Locator("#change-password").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Change password");
        await page.Locator("#current-password").FillAsync("Test-Pass-1234!");
        await page.Locator("#new-password").FillAsync("Brand-New-Pass-42!");
        await page.Locator("#repeat-password").FillAsync("Brand-New-Pass-42!");
        await page.Locator("#save-password").ClickAsync();

        await Expect(page.Locator("#password-changed")).ToHaveTextAsync("Your password has been changed.");
        await page.Locator("#password-back").ClickAsync();
        await Expect(page).ToHaveURLAsync(StudentsUrl());
        await WaitForInteractiveAsync(page);
        await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
    }

    [GeneratedRegex("/students$")]
    private static partial Regex StudentsUrl();
}
