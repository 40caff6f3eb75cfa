using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>The lead list in a real browser: leads appear, filters and search narrow them, the URL keeps the state
/// through a reload and the lead page's "Back to list".</summary>
public sealed class LeadListTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const int FillerCount = 28;

    [Fact]
    public async Task Leads_appear_page_filter_and_search_narrow_them_and_reload_and_back_to_list_keep_the_state()
    {
        var (contactedId, zanettiId) = await AddLeadsAsync();
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        // The start page leads to the list; the first page shows 25 of the 30 leads, sorted by name.
        await Expect(page).ToHaveURLAsync(UrlEnding("/leads"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Leads (CRM)");
        await Expect(LeadLinks(page)).ToHaveCountAsync(25);
        await Expect(page.Locator($"#lead-link-{zanettiId}")).ToHaveCountAsync(0);

        // The rows come first and the count after them; once counted the pager reads the total.
        await Expect(page.Locator("#leads-grid")).ToHaveAttributeAsync("data-count", "known");
        await Expect(page.Locator("#leads-grid")).ToContainTextAsync("1-25 of 30");
        await page.Locator("button[aria-label='Next page']").ClickAsync();
        await Expect(page).ToHaveURLAsync(UrlEnding("/leads?page=2"));
        await Expect(LeadLinks(page)).ToHaveCountAsync(FillerCount + 2 - 25);
        await Expect(page.Locator($"#lead-link-{zanettiId}")).ToHaveTextAsync("Lucia Zanetti");

        // A status narrows the list and starts again at its first page.
        await page.Locator($"#status-filter-{contactedId}").ClickAsync();
        await Expect(page).ToHaveURLAsync(UrlEnding($"/leads?status={contactedId}"));
        await Expect(LeadLinks(page)).ToHaveTextAsync(["Emre Yilmaz", "Lucia Zanetti"]);
        await Expect(page.Locator("#leads-grid .lead-status")).ToHaveTextAsync(["Contacted", "Contacted"]);

        // Quick search (debounced) narrows further.
        await page.Locator("#lead-search").FillAsync("zanet");
        await Expect(page).ToHaveURLAsync(UrlEnding($"/leads?status={contactedId}&q=zanet"));
        await Expect(LeadLinks(page)).ToHaveTextAsync(["Lucia Zanetti"]);

        // A reload restores status, search and the list from the URL.
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await Expect(page.Locator("#lead-search")).ToHaveValueAsync("zanet");
        await Expect(page.Locator($"#status-filter-{contactedId}")).ToHaveAttributeAsync("data-selected", "true");
        await Expect(LeadLinks(page)).ToHaveTextAsync(["Lucia Zanetti"]);

        // The lead's page and its "Back to list" return to the same filtered list.
        await page.Locator($"#lead-link-{zanettiId}").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/leads/{zanettiId}?returnUrl=")));
        await page.Locator("#back-to-list").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(UrlEnding($"/leads?status={contactedId}&q=zanet"));
        await Expect(LeadLinks(page)).ToHaveTextAsync(["Lucia Zanetti"]);
    }

    // The list replaces its URL in place (no page load), so the URL is polled rather than awaited as a navigation.
    private static Regex UrlEnding(string pathAndQuery) => new(Regex.Escape(pathAndQuery) + "$");

    private static ILocator LeadLinks(IPage page) => page.Locator("#leads-grid a[id^=lead-link-]");

    private async Task<(int ContactedId, int ZanettiId)> AddLeadsAsync()
    {
        var admin = await App.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var factory = App.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var statuses = await db.LeadStatuses.ToDictionaryAsync(s => s.Name, s => s.Id);
        var now = DateTime.UtcNow;
        Lead Person(string first, string last, int status) =>
            Lead.Create(new PersonDetails { FirstName = first, LastName = last, CaptureDate = DateOnly.FromDateTime(now) }, status, null, admin.Id, now);

        var zanetti = Person("Lucia", "Zanetti", statuses["Contacted"]);
        db.Leads.AddRange(Enumerable.Range(1, FillerCount)
            .Select(i => Person("Filler", "Aaa " + i.ToString("D2", CultureInfo.InvariantCulture), statuses["New"])));
        db.Leads.AddRange(Person("Emre", "Yilmaz", statuses["Contacted"]), zanetti);
        await db.SaveChangesAsync();
        return (statuses["Contacted"], zanetti.Id);
    }
}
