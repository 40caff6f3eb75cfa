using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Users;
using Xunit.Abstractions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>One lead from "Add contact" to removal, in Chromium against the running app.</summary>
public sealed partial class LeadRecordTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const string Xss = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task A_lead_is_added_changed_in_place_commented_and_removed()
    {
        await App.Services.CreateUserAsync("olga@school.test", Roles.Operator, "Olga Operator");
        var evening = await App.NewFieldAsync(CustomFieldType.Checkbox);
        var page = await NewPageAsync();
        var alerts = 0;
        page.Dialog += (_, dialog) =>
        {
            alerts++;
            _ = dialog.DismissAsync();
        };
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        // Add contact with every standard field.
        await page.GotoAsync("/leads/new");
        await WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator($"input#{CustomFieldInputs.InputId(evening.Id)}")).ToBeVisibleAsync();
        await page.FillAsync("#lead-FirstName", "Mario");
        await page.FillAsync("#lead-LastName", "Rossi");
        await page.FillAsync("#lead-CompanyName", "Rossi Srl");
        await page.FillAsync("#lead-TaxCode", "RSSMRA85T10A562S");
        await page.FillAsync("#lead-Email", "mario.rossi@example.it");
        await page.FillAsync("#lead-Phone", "0471 123456");
        await page.FillAsync("#lead-Mobile", "+39 333 1234567");
        await page.FillAsync("#lead-Address", "Via Roma 1");
        await page.FillAsync("#lead-Zip", "01234");
        await page.FillAsync("#lead-City", "Bolzano");
        await page.FillAsync("#lead-Province", "BZ");
        await page.FillAsync("#lead-Notes", "Notes " + Xss);
        await page.FillAsync("#lead-DateOfBirth", "12/10/1985");
        await page.PressAsync("#lead-DateOfBirth", "Tab");
        await MudInputs.ChooseAsync(page, "#lead-Gender", "Male");
        await MudInputs.ChooseAsync(page, "#lead-StatusId", "Contacted");
        await MudInputs.ChooseAsync(page, "#lead-AssignedToUserId", "Olga Operator");
        await page.CheckAsync("input#lead-PrivacyConsent");
        await page.ClickAsync("#save-lead");

        await Assertions.Expect(page).ToHaveURLAsync(LeadPageUrl());
        await Assertions.Expect(page.Locator("#lead-name")).ToHaveTextAsync("Mario Rossi");
        await Assertions.Expect(page.Locator("#value-Zip")).ToHaveTextAsync("01234");
        await Assertions.Expect(page.Locator("#value-Email")).ToHaveTextAsync("mario.rossi@example.it");
        await Assertions.Expect(page.Locator("#value-DateOfBirth")).ToHaveTextAsync("12/10/1985");
        await Assertions.Expect(page.Locator("#value-Gender")).ToHaveTextAsync("Male");
        await Assertions.Expect(page.Locator("#value-City")).ToHaveTextAsync("Bolzano");
        await Assertions.Expect(page.Locator("#value-Notes")).ToHaveTextAsync("Notes " + Xss);
        await Assertions.Expect(page.Locator("#lead-status")).ToHaveValueAsync("Contacted");
        await Assertions.Expect(page.Locator("#lead-assignee")).ToHaveValueAsync("Olga Operator");
        var checkbox = page.Locator($"input#{CustomFieldInputs.InputId(evening.Id)}");
        await Assertions.Expect(checkbox).Not.ToBeCheckedAsync();
        var leadId = int.Parse(LeadIdInUrl().Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // Status, operator and the checkbox field change in place and are saved at once.
        await MudInputs.ChooseAsync(page, "#lead-status", "Interested");
        await Assertions.Expect(History(page, "StatusId")).ToContainTextAsync("Contacted → Interested");
        await MudInputs.ChooseAsync(page, "#lead-assignee", "Administrator");
        await Assertions.Expect(History(page, "AssignedToUserId")).ToContainTextAsync("Olga Operator → Administrator");
        await checkbox.CheckAsync();
        await Assertions.Expect(History(page, CustomValueRules.FieldKey(evening.Id))).ToContainTextAsync("No → Yes");

        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#lead-status")).ToHaveValueAsync("Interested");
        await Assertions.Expect(page.Locator("#lead-assignee")).ToHaveValueAsync("Administrator");
        await Assertions.Expect(page.Locator($"input#{CustomFieldInputs.InputId(evening.Id)}")).ToBeCheckedAsync();

        // A comment with author and time, then edited; user text stays text.
        await page.FillAsync("#comment-text", "First call " + Xss);
        await page.ClickAsync("#add-comment");
        var comment = page.Locator("[data-testid=comment]").First;
        await Assertions.Expect(comment.Locator(".comment-text")).ToHaveTextAsync("First call " + Xss);
        await Assertions.Expect(comment.Locator(".comment-author")).ToHaveTextAsync("Administrator");
        await Assertions.Expect(comment.Locator(".comment-time")).ToHaveTextAsync(new Regex(@"\d"));
        await comment.Locator("[id^=edit-comment-]").ClickAsync();
        await page.FillAsync("#edit-comment-text", "First call, no answer " + Xss);
        await page.ClickAsync("#save-comment");
        await Assertions.Expect(comment.Locator(".comment-text")).ToHaveTextAsync("First call, no answer " + Xss);
        await Assertions.Expect(comment.Locator(".comment-edited")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#comments img, #lead-data img").CountAsync());
        Assert.Equal(0, alerts);

        // Removing asks first (admins only).
        await page.ClickAsync("#remove-lead");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/leads$"));
        await using var db = App.Db();
        Assert.False(await db.Leads.AnyAsync(l => l.Id == leadId));
    }

    [Fact]
    public async Task Bad_input_and_an_edit_conflict_keep_what_was_typed()
    {
        var admin = await App.AdminAsync();
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync("/leads/new?returnUrl=%2Fleads%3Fpage%3D2");
        await WaitForInteractiveAsync(page);

        await page.FillAsync("#lead-FirstName", "Giulia");
        await page.FillAsync("#lead-Email", "not-an-address");
        await page.FillAsync("#lead-TaxCode", "RSSMRA85T10A562X");
        await Assertions.Expect(page.Locator(".taxcode-warning")).ToContainTextAsync("check character");
        await page.ClickAsync("#save-lead");

        await Assertions.Expect(page.Locator("#form-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Enter a valid e-mail address.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#lead-FirstName")).ToHaveValueAsync("Giulia");
        await Assertions.Expect(page.Locator("#lead-TaxCode")).ToHaveValueAsync("RSSMRA85T10A562X");
        await page.FillAsync("#lead-Email", "giulia@example.it");
        await page.ClickAsync("#save-lead");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/leads/\d+\?returnUrl="));
        await Assertions.Expect(page.Locator("#value-TaxCode")).ToHaveTextAsync("RSSMRA85T10A562X");
        await Assertions.Expect(page.Locator("#back-to-list")).ToHaveAttributeAsync("href", "/leads?page=2");
        var leadId = int.Parse(new Regex(@"/leads/(\d+)").Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        await page.ClickAsync("#edit-lead");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/leads/\d+/edit"));
        await Assertions.Expect(page.Locator("#lead-FirstName")).ToHaveValueAsync("Giulia");
        await page.FillAsync("#lead-City", "Roma");
        await App.AsAsync(admin, true, leads => leads.AddCommentAsync(leadId, "not a change of the lead"));
        await App.AsAsync(admin, true, leads => leads.AssignAsync(leadId, admin.Id));
        await page.ClickAsync("#save-lead");

        await Assertions.Expect(page.Locator("#lead-conflict")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#lead-City")).ToHaveValueAsync("Roma");
        await page.ClickAsync("#reload-lead");
        await Assertions.Expect(page.Locator("#lead-conflict")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#lead-City")).ToHaveValueAsync("");
        await page.FillAsync("#lead-City", "Roma");
        await page.ClickAsync("#save-lead");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/leads/\d+\?returnUrl="));
        await Assertions.Expect(page.Locator("#value-City")).ToHaveTextAsync("Roma");
        await Assertions.Expect(page.Locator("#lead-assignee")).ToHaveValueAsync("Administrator");
    }

    private static ILocator History(IPage page, string field) => page.Locator($"[data-testid=history-row][data-field='{field}']");

    private static Regex LeadPageUrl() => LeadIdInUrl();

    [GeneratedRegex(@"/leads/(\d+)$")]
    private static partial Regex LeadIdInUrl();
}
