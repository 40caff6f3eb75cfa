using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>Saving while another connection holds SQLite's write lock, in Chromium against the running app.</summary>
public sealed partial class BusyDatabaseTests(ShortBusyTimeoutServer server, ITestOutputHelper output)
    : BrowserTest<ShortBusyTimeoutServer>(server, output)
{
    [Fact]
    public async Task A_new_lead_saved_while_the_database_is_locked_says_try_again_keeps_every_value_and_saves_later()
    {
        var school = await App.NewFieldAsync(CustomFieldType.Text);
        var schoolInput = $"#{CustomFieldInputs.InputId(school.Id)}";
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync("/leads/new");
        await WaitForInteractiveAsync(page);

        var typed = new Dictionary<string, string>
        {
            ["#lead-FirstName"] = "Lorenzo",
            ["#lead-LastName"] = "Bianchi",
            ["#lead-CompanyName"] = "Bianchi & Figli",
            ["#lead-Email"] = "lorenzo.bianchi@example.it",
            ["#lead-Mobile"] = "+39 333 7654321",
            ["#lead-City"] = "Trento",
            ["#lead-Notes"] = "Wants the evening course",
            [schoolInput] = "Liceo Galilei",
        };
        foreach (var (selector, value) in typed)
        {
            await page.FillAsync(selector, value);
        }

        await page.FillAsync("#lead-DateOfBirth", "03/04/2001");
        await page.PressAsync("#lead-DateOfBirth", "Tab");
        await MudInputs.ChooseAsync(page, "#lead-Gender", "Male");
        await MudInputs.ChooseAsync(page, "#lead-StatusId", "Contacted");
        await page.CheckAsync("input#lead-PrivacyConsent");

        await using (await WriteLock.HoldAsync(App.ConnectionString))
        {
            await page.ClickAsync("#save-lead");

            await Expect(page.Locator("#form-error")).ToHaveTextAsync("Could not save. Please try again.");
            await Expect(page.Locator("#error-boundary")).ToHaveCountAsync(0);
            await Expect(page).ToHaveURLAsync(new Regex("/leads/new$"));
            foreach (var (selector, value) in typed)
            {
                await Expect(page.Locator(selector)).ToHaveValueAsync(value);
            }

            await Expect(page.Locator("#lead-DateOfBirth")).ToHaveValueAsync("03/04/2001");
            await Expect(page.Locator("#lead-Gender")).ToHaveValueAsync("Male");
            await Expect(page.Locator("#lead-StatusId")).ToHaveValueAsync("Contacted");
            await Expect(page.Locator("input#lead-PrivacyConsent")).ToBeCheckedAsync();
            await Expect(page.Locator("#save-lead")).ToBeEnabledAsync();
        }

        await page.ClickAsync("#save-lead");

        await Expect(page).ToHaveURLAsync(LeadPage());
        await Expect(page.Locator("#lead-name")).ToHaveTextAsync("Lorenzo Bianchi");
        await Expect(page.Locator("#value-Notes")).ToHaveTextAsync("Wants the evening course");
        await using var db = App.Db();
        Assert.Equal(1, await db.Leads.CountAsync(l => l.FirstName == "Lorenzo"));
    }

    [Fact]
    public async Task A_comment_added_while_the_database_is_locked_stays_in_the_box_until_it_is_saved()
    {
        var admin = await App.AdminAsync();
        var leadId = await App.NewLeadAsync(admin, "Marta");
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync($"/leads/{leadId}");
        await WaitForInteractiveAsync(page);
        await page.FillAsync("#comment-text", "Asked for the brochure");

        await using (await WriteLock.HoldAsync(App.ConnectionString))
        {
            await page.ClickAsync("#add-comment");

            await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Could not save. Please try again.");
            await Expect(page.Locator("#comment-text")).ToHaveValueAsync("Asked for the brochure");
            await Expect(page.Locator("#add-comment")).ToBeEnabledAsync();
            await Expect(page.Locator("[data-testid=comment]")).ToHaveCountAsync(0);
        }

        await page.ClickAsync("#add-comment");

        await Expect(page.Locator("[data-testid=comment] .comment-text")).ToHaveTextAsync("Asked for the brochure");
        await Expect(page.Locator("#comment-text")).ToHaveValueAsync("");
    }

    [GeneratedRegex(@"/leads/\d+$")]
    private static partial Regex LeadPage();
}
