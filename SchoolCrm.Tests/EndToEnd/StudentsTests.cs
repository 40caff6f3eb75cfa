using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Students;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Students;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>The custom field admin screen, conversion and the students screens in Chromium.</summary>
public sealed class StudentsTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const string Xss = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task A_converted_lead_is_in_students_with_its_custom_values_and_comments()
    {
        var page = await SignInAsAdminAsync("/configuration/custom-fields");
        await page.FillAsync("#new-field-name", "Favourite subject");
        await page.ClickAsync("#add-field");
        await Expect(FieldRow(page, "Favourite subject")).ToBeVisibleAsync();

        var admin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var fieldId = await FieldIdAsync("Favourite subject");
        var lead = await App.Services.AddLeadAsync(
            new PersonDetails { FirstName = "Chiara", LastName = "Verdi", Email = "chiara.verdi@example.it", City = "Padova", CaptureDate = new DateOnly(2026, 10, 1) },
            admin.Id,
            CustomFieldValue.Text(fieldId, Xss));
        await App.Services.AddCommentAsync(lead.Id, admin.Id, "Came to the open day", StudentTestData.Now);

        await page.GotoAsync($"/leads/{lead.Id}");
        await WaitForInteractiveAsync(page);
        await page.ClickAsync("#convert-lead");
        await Expect(page.Locator("#convert-dialog")).ToContainTextAsync("Chiara Verdi");
        await page.ClickAsync("#convert-confirm");
        await Expect(page).ToHaveURLAsync(new Regex(@"/students/\d+$"));

        await Expect(page.Locator("#student-name")).ToHaveTextAsync("Chiara Verdi");
        await Expect(page.Locator("#student-origin")).ToContainTextAsync($"#{lead.Id}");
        var value = page.Locator($"[data-testid=custom-value][data-field-id='{fieldId}']");
        await Expect(value.Locator(".field-label")).ToHaveTextAsync("Favourite subject");
        await Expect(value.Locator(".field-value")).ToHaveTextAsync(Xss);
        await Expect(page.Locator("[data-testid=comment] .comment-text")).ToHaveTextAsync("Came to the open day");
        await Expect(page.Locator("[data-testid=history-row][data-field=Converted]")).ToHaveCountAsync(1);
        Assert.Empty(await page.Locator("#student-custom-values img").AllAsync());

        // Out of the CRM: the lead grid only lists leads that are not converted, and the lead page says so.
        await using (var db = await App.Services.DbAsync())
        {
            Assert.False(await db.Leads.AnyAsync(l => l.Id == lead.Id && l.ConvertedAt == null));
        }

        await page.GotoAsync($"/leads/{lead.Id}");
        await WaitForInteractiveAsync(page);
        await Expect(page.Locator("#lead-converted")).ToBeVisibleAsync();
        await Expect(page.Locator("#convert-lead")).ToHaveCountAsync(0);

        await page.ClickAsync("#nav-students");
        await page.FillAsync("#student-search", "verdi");
        var link = page.Locator("[data-testid=student-link]", new() { HasText = "Chiara Verdi" });
        await Expect(link).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Deleting_a_field_asks_first_and_says_how_many_values_go()
    {
        var page = await SignInAsAdminAsync("/configuration/custom-fields");
        await page.FillAsync("#new-field-name", "Shoe size");
        await page.ClickAsync("#add-field");
        await Expect(FieldRow(page, "Shoe size")).ToBeVisibleAsync();
        var admin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var fieldId = await FieldIdAsync("Shoe size");
        await App.Services.AddLeadAsync(
            new PersonDetails { FirstName = "Piedi", CaptureDate = new DateOnly(2026, 10, 1) }, admin.Id, CustomFieldValue.Text(fieldId, "42"));
        await App.Services.AddLeadAsync(
            new PersonDetails { FirstName = "Scarpe", CaptureDate = new DateOnly(2026, 10, 1) }, admin.Id, CustomFieldValue.Text(fieldId, "38"));

        await page.ClickAsync($"#delete-{fieldId}");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("(leads: 2, students: 0)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(FieldRow(page, "Shoe size")).ToBeVisibleAsync();

        await page.ClickAsync($"#delete-{fieldId}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(FieldRow(page, "Shoe size")).ToHaveCountAsync(0);
        await using var db = await App.Services.DbAsync();
        Assert.False(await db.CustomFieldValues.AnyAsync(v => v.CustomFieldId == fieldId));
    }

    [Fact]
    public async Task A_choice_field_gets_its_options_and_removing_a_chosen_one_says_how_many_values_go()
    {
        var page = await SignInAsAdminAsync("/configuration/custom-fields");
        await page.FillAsync("#new-field-name", "Instruments");
        // MudSelect puts the id on a hidden input; the visible control around it opens the list.
        await page.Locator("div.mud-select").Filter(new() { Has = page.Locator("#new-field-type") }).First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Multiple choice" }).ClickAsync();
        await page.FillAsync("#new-field-options", "Piano\nGuitar\nViolin");
        await page.ClickAsync("#add-field");
        await Expect(FieldRow(page, "Instruments")).ToBeVisibleAsync();
        var fieldId = await FieldIdAsync("Instruments");
        var options = page.Locator($"[data-testid=field-options][data-field-id='{fieldId}'] .option-label");
        await Expect(options).ToHaveTextAsync(["Piano", "Guitar", "Violin"]);

        var admin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        int guitar;
        await using (var db = await App.Services.DbAsync())
        {
            guitar = await db.CustomFieldOptions.Where(o => o.CustomFieldId == fieldId && o.Label == "Guitar").Select(o => o.Id).SingleAsync();
        }

        foreach (var name in new[] { "Uno", "Due", "Tre" })
        {
            await App.Services.AddLeadAsync(new PersonDetails { FirstName = name, CaptureDate = new DateOnly(2026, 10, 1) }, admin.Id, CustomFieldValue.Option(fieldId, guitar));
        }

        await page.ClickAsync($"#remove-option-{guitar}");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("will be deleted: 3");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove option" }).ClickAsync();

        await Expect(options).ToHaveTextAsync(["Piano", "Violin"]);
        await using var check = await App.Services.DbAsync();
        Assert.False(await check.CustomFieldValues.AnyAsync(v => v.CustomFieldId == fieldId));
    }

    private static ILocator FieldRow(IPage page, string name) => page.Locator($"[data-testid=field-row][data-field-name='{name}']");

    private async Task<int> FieldIdAsync(string name)
    {
        await using var db = await App.Services.DbAsync();
        return await db.CustomFields.Where(f => f.Name == name).Select(f => f.Id).SingleAsync();
    }

    private async Task<IPage> SignInAsAdminAsync(string path)
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        return page;
    }
}
