using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>
/// The admin screens in a real browser against a freshly started app. The tests share the app (one database per
/// class), so each signs in with its own user where it changes something user-specific (language, lockout).
/// </summary>
public sealed class AdminScreensTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const string OperatorPassword = "Operator-Pass-1234!";

    private static readonly Regex LoginUrl = new("/account/login$");

    [Fact]
    public async Task An_admin_configures_the_crm_and_creates_an_operator_who_cannot_reach_the_admin_screens()
    {
        var page = await SignInAsync(CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await Expect(page.Locator("#nav-configuration")).ToBeVisibleAsync();
        await page.Locator("#nav-configuration").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("CRM configuration");

        // Statuses: add "Neu" with "+", then rename it in place.
        await page.Locator("#status-new-name").FillAsync("Neu");
        await page.Locator("#status-add").ClickAsync();
        await Expect(Names(page, "status")).ToHaveTextAsync(["New", "Contacted", "Interested", "Not interested", "Neu"]);
        await Row(page, "status", "Neu").GetByTestId("rename").ClickAsync();
        await page.Locator("#status-rename-input").FillAsync("Neu (Web)");
        await page.Locator("#status-rename-input").PressAsync("Enter");
        await Expect(Names(page, "status")).ToHaveTextAsync(["New", "Contacted", "Interested", "Not interested", "Neu (Web)"]);

        // A second "neu (web)" is refused at the field, and the typed text stays.
        await page.Locator("#status-new-name").FillAsync("neu (web)");
        await page.Locator("#status-add").ClickAsync();
        await Expect(page.GetByTestId("status-list").GetByText("This name is already in use.")).ToBeVisibleAsync();
        await Expect(page.Locator("#status-new-name")).ToHaveValueAsync("neu (web)");

        // Task types: add "Rückruf" with Enter, move it up, delete the unused "Meeting".
        await page.Locator("#tasktype-new-name").FillAsync("Rückruf");
        await page.Locator("#tasktype-new-name").PressAsync("Enter");
        await Expect(Names(page, "tasktype")).ToHaveTextAsync(["Call", "E-mail", "Meeting", "Rückruf"]);
        await Row(page, "tasktype", "Rückruf").GetByTestId("move-up").ClickAsync();
        await Expect(Names(page, "tasktype")).ToHaveTextAsync(["Call", "E-mail", "Rückruf", "Meeting"]);
        await Row(page, "tasktype", "Meeting").GetByTestId("delete").ClickAsync();
        await Expect(page.GetByTestId("delete-message")).ToHaveTextAsync("Nothing uses this entry. Delete it?");
        await page.Locator("#delete-confirm").ClickAsync();
        await Expect(Names(page, "tasktype")).ToHaveTextAsync(["Call", "E-mail", "Rückruf"]);

        // Users: create an operator.
        await page.Locator("#nav-users").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Users");
        await page.Locator("#add-user").ClickAsync();
        await page.Locator("#user-name").FillAsync("Olga Operator");
        await page.Locator("#user-email").FillAsync("olga@school.test");
        await page.Locator("#user-password").FillAsync(OperatorPassword);
        await page.Locator("#user-save").ClickAsync();
        var olga = page.Locator("tr").Filter(new() { HasText = "olga@school.test" });
        await Expect(olga.GetByTestId("user-role")).ToHaveTextAsync("Operator");
        await Expect(olga.GetByTestId("user-status")).ToHaveTextAsync("Active");

        // Sign out; the operator signs in and sees no admin screens, and their URLs are refused.
        await page.Locator("#user-menu button").ClickAsync();
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(LoginUrl);

        var operatorPage = await SignInAsync("olga@school.test", OperatorPassword, page);
        await Expect(operatorPage.Locator("#nav-configuration")).ToHaveCountAsync(0);
        await Expect(operatorPage.Locator("#nav-users")).ToHaveCountAsync(0);

        foreach (var path in new[] { "/configuration", "/users" })
        {
            await operatorPage.GotoAsync(path);
            await WaitForInteractiveAsync(operatorPage);
            await Expect(operatorPage.Locator("#access-denied")).ToBeVisibleAsync();
            await Expect(operatorPage.GetByTestId("status-list")).ToHaveCountAsync(0);
            await Expect(operatorPage.Locator("#users-table")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_the_right_one_is_refused_next()
    {
        await App.Services.CreateUserAsync("lock-me@school.test", Roles.Operator, password: OperatorPassword);
        var page = await NewPageAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await SubmitLoginAsync(page, "lock-me@school.test", "Wrong-Pass-" + attempt);
            await Expect(page.Locator("#login-error")).ToHaveTextAsync(
                attempt < 5 ? "Wrong e-mail or password." : "Too many failed attempts: this account is locked for 5 minutes.");
        }

        await SubmitLoginAsync(page, "lock-me@school.test", OperatorPassword);

        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Too many failed attempts: this account is locked for 5 minutes.");
        Assert.EndsWith("/account/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switching_to_deutsch_shows_german_labels_and_dates_and_is_remembered()
    {
        const string email = "sprache@school.test";
        await App.Services.CreateUserAsync(email, Roles.Admin, displayName: "Sprach Admin", password: OperatorPassword);
        var bootstrapAdmin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var created = App.Services.GetRequiredService<SchoolClock>().ToSchoolTime(bootstrapAdmin.CreatedAt)
            .ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        var page = await SignInAsync(email, OperatorPassword);
        await page.GotoAsync("/users");
        await WaitForInteractiveAsync(page);
        var adminRow = page.Locator("tr").Filter(new() { HasText = CrmAppFactory.AdminEmail });
        await Expect(page.Locator("h1")).ToHaveTextAsync("Users");

        await page.Locator("#user-menu button").ClickAsync();
        await page.Locator("#language-de").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Benutzer");
        await WaitForInteractiveAsync(page);
        await Expect(page.Locator("#nav-configuration")).ToHaveTextAsync("CRM-Konfiguration");
        await Expect(page.Locator("th").Filter(new() { HasText = "Angelegt am" })).ToBeVisibleAsync();
        await Expect(adminRow.GetByTestId("user-created")).ToHaveTextAsync(created);
        await Expect(adminRow.GetByTestId("user-role")).ToHaveTextAsync("Administrator");
        await Expect(adminRow.GetByTestId("user-status")).ToHaveTextAsync("Aktiv");

        // The choice belongs to the user: a new browser signing in gets German right away.
        var again = await SignInAsync(email, OperatorPassword);
        await again.GotoAsync("/configuration");
        await WaitForInteractiveAsync(again);
        await Expect(again.Locator("h1")).ToHaveTextAsync("CRM-Konfiguration");
        await Expect(again.GetByTestId("status-list").Locator("h2")).ToHaveTextAsync("Lead-Status");
    }

    private static ILocator Names(IPage page, string kind) => page.GetByTestId($"{kind}-list").GetByTestId("name");

    private static ILocator Row(IPage page, string kind, string name) =>
        page.GetByTestId($"{kind}-row").Filter(new() { Has = page.GetByTestId("name").GetByText(name, new() { Exact = true }) });

    /// <summary>Signs in through the login form (in <paramref name="page"/> or a new browser context) and waits for the circuit.</summary>
    private async Task<IPage> SignInAsync(string email, string password, IPage? page = null)
    {
        page ??= await NewPageAsync();
        await SubmitLoginAsync(page, email, password);
        await Expect(page).Not.ToHaveURLAsync(LoginUrl);
        await WaitForInteractiveAsync(page);
        return page;
    }

    private static async Task SubmitLoginAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);

        // Callers wait for what the answer shows (the message, or the page after sign-in), not for a load event.
        await page.Locator("#sign-in").ClickAsync();
    }
}
