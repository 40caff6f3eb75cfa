using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>An Italian browser at a school that set no language: Italian from the first screen, with Italian dates.</summary>
public sealed class ItalianSchoolTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const string Italian = "it-IT";

    [Fact]
    public async Task An_italian_browser_sees_the_sign_in_page_in_italian()
    {
        var page = await NewPageAsync(Italian);

        await page.GotoAsync("/account/login");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "it");
        await Expect(page.Locator("label[for=email]")).ToHaveTextAsync("E-mail");
        await Expect(page.Locator("label[for=remember]")).ToHaveTextAsync("Resta collegato");
        await Expect(page.Locator("#sign-in")).ToHaveTextAsync("Accedi");
    }

    [Fact]
    public async Task After_sign_in_the_lead_list_the_lead_the_import_screen_and_dates_read_italian()
    {
        const string email = "segreteria@school.test";
        await App.Services.CreateUserAsync(email, Roles.Operator, displayName: "Segreteria", password: "Segreteria-Pass-1!");
        var leadId = await AddLeadAsync();
        var page = await NewPageAsync(Italian);

        await SignIn.AsAsync(page, email, "Segreteria-Pass-1!");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Contatti (CRM)");
        await Expect(page.Locator("#leads-grid th").Filter(new() { HasText = "Data acquisizione" })).ToBeVisibleAsync();
        await Expect(page.Locator("#leads-grid")).ToContainTextAsync("24/12/2025");
        await Expect(page.Locator("#leads-grid")).ToContainTextAsync("1–1 di 1");

        await page.Locator($"#lead-link-{leadId}").ClickAsync();
        await Expect(page.Locator("#value-DateOfBirth")).ToHaveTextAsync("25/12/2001");

        await page.GotoAsync("/leads/import");
        await WaitForInteractiveAsync(page);
        await Expect(page.Locator("#import-title")).ToHaveTextAsync("Importa contatti");
        await Expect(page.Locator("#import-template")).ToHaveTextAsync("Scarica il modello vuoto");
    }

    [Fact]
    public async Task An_italian_user_types_dates_day_first_and_the_calendar_starts_on_monday()
    {
        const string email = "iscrizioni@school.test";
        await App.Services.CreateUserAsync(email, Roles.Operator, displayName: "Iscrizioni", password: "Iscrizioni-Pass-1!");
        var page = await NewPageAsync(Italian);
        await SignIn.AsAsync(page, email, "Iscrizioni-Pass-1!");
        await page.GotoAsync("/leads/new");
        await WaitForInteractiveAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Apri il calendario" }).First.ClickAsync();
        await Expect(page.Locator(".mud-picker-calendar-header-day .mud-day-label").First).ToHaveTextAsync(new Regex("^lu", RegexOptions.IgnoreCase));
        await CloseCalendarAsync(page);

        await page.FillAsync("#lead-FirstName", "Chiara");
        await page.FillAsync("#lead-DateOfBirth", "25/12/2001");
        await page.PressAsync("#lead-DateOfBirth", "Tab");
        await page.ClickAsync("#save-lead");

        await Expect(page.Locator("#value-DateOfBirth")).ToHaveTextAsync("25/12/2001");
    }

    private static Task CloseCalendarAsync(IPage page) =>
        MudInputs.PressEscapeUntilGoneAsync(page, page.Locator(".mud-picker-calendar-header-day"));

    private async Task<int> AddLeadAsync()
    {
        var admin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var factory = App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var status = await db.LeadStatuses.Where(s => s.Name == "New").Select(s => s.Id).SingleAsync();
        var lead = Lead.Create(
            new PersonDetails { FirstName = "Giulia", LastName = "Esposito", CaptureDate = new DateOnly(2025, 12, 24), DateOfBirth = new DateOnly(2001, 12, 25) },
            status,
            null,
            admin.Id,
            DateTime.UtcNow);
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead.Id;
    }
}
