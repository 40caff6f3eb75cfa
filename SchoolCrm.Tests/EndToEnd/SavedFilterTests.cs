using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>Saved filters in a real browser: built and shared by an admin, copied and used by an operator.</summary>
public sealed class SavedFilterTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    private const string OperatorPassword = "Operator-Pass-1234!";

    private static readonly Regex FilterUrl = new(@"/filters/(\d+)$");

    [Fact]
    public async Task An_admin_builds_and_shares_a_filter_and_an_operator_copies_it_and_sees_exactly_its_leads_in_the_list_and_the_export()
    {
        var matching = await AddLeadsAsync();
        var admin = await NewPageAsync();
        await SignIn.AsAsync(admin, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        // Newsletter ticked AND (status is any of New, Contacted OR captured in the last 7 days).
        await admin.Locator("#nav-filters").ClickAsync();
        await Expect(admin.Locator("h1")).ToHaveTextAsync("Custom filters");
        await admin.Locator("#new-filter").ClickAsync();
        await Expect(admin.Locator("h1")).ToHaveTextAsync("New custom filter");
        await admin.Locator("#filter-name").FillAsync("Newsletter leads");
        await admin.Locator("#add-condition-root").ClickAsync();
        await MudInputs.ChooseAsync(admin, "#field-root-0", "Newsletter");
        await admin.Locator("#add-group-root").ClickAsync();
        await MudInputs.ChooseAsync(admin, "#field-root-1-0", "Status");
        await MudInputs.ChooseSeveralAsync(admin, "#value-root-1-0", "New", "Contacted");
        await admin.Locator("#add-condition-root-1").ClickAsync();
        await MudInputs.ChooseAsync(admin, "#field-root-1-1", "Capture date");
        await MudInputs.ChooseAsync(admin, "#op-root-1-1", "in the last N days");
        await Expect(admin.Locator("#value-editor-root-1-1")).ToHaveAttributeAsync("data-kind", "Days");
        await admin.Locator("#value-root-1-1").FillAsync("7");

        // The live preview counts the matching leads and lists them.
        await Expect(admin.Locator("#preview-ignored")).ToHaveCountAsync(0);
        await Expect(admin.Locator("#preview-count")).ToHaveAttributeAsync("data-count", matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(admin.Locator("[data-testid=preview-lead] a")).ToHaveTextAsync([.. matching.Order(StringComparer.Ordinal)]);

        // The switch is an input inside its label (where the id lands depends on MudBlazor's version).
        var shared = admin.Locator("input#filter-shared, #filter-shared input");
        await admin.Locator("label", new() { Has = shared }).ClickAsync();
        await Expect(shared).ToBeCheckedAsync();
        await admin.Locator("#save-filter").ClickAsync();
        await Expect(admin).ToHaveURLAsync(FilterUrl);
        var filterId = int.Parse(FilterUrl.Match(admin.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The operator finds it among the shared filters, cannot change it, and copies it into a private one.
        await App.Services.CreateUserAsync("filters-op@school.test", Roles.Operator, "Otto Operator", OperatorPassword);
        var op = await NewPageAsync();
        await SignIn.AsAsync(op, "filters-op@school.test", OperatorPassword);
        await op.GotoAsync("/filters");
        await WaitForInteractiveAsync(op);
        var row = op.Locator($"[data-testid=filter-row][data-filter-id='{filterId}']");
        await Expect(row.GetByTestId("filter-name")).ToHaveTextAsync("Newsletter leads");
        await Expect(row.GetByTestId("filter-visibility")).ToHaveTextAsync("Everyone (shared)");
        await Expect(row.Locator($"#delete-{filterId}")).ToHaveCountAsync(0);
        await row.Locator($"#copy-{filterId}").ClickAsync();
        await Expect(op).Not.ToHaveURLAsync(new Regex($"/filters/{filterId}$"));
        await Expect(op).ToHaveURLAsync(FilterUrl);
        await Expect(op.Locator("#filter-name")).ToHaveValueAsync("Newsletter leads (2)");
        await Expect(op.Locator("#save-filter")).ToBeVisibleAsync();
        await Expect(op.Locator("#preview-count")).ToHaveAttributeAsync("data-count", matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // In the lead list the shared filter's chip shows exactly the matching leads, and the export holds exactly them.
        await op.Locator("#nav-leads").ClickAsync();
        await op.Locator($"#saved-filter-{filterId}").ClickAsync();
        await Expect(op.Locator($"#saved-filter-{filterId}")).ToHaveAttributeAsync("data-selected", "true");
        var links = op.Locator("#leads-grid a[id^=lead-link-]");
        await Expect(links).ToHaveCountAsync(matching.Count);
        Assert.Equal(matching.Order(StringComparer.Ordinal), (await links.AllTextContentsAsync()).Order(StringComparer.Ordinal));

        await op.ClickAsync("#leads-export");
        var download = await op.RunAndWaitForDownloadAsync(() => op.ClickAsync("#export-start"));
        var path = Path.Combine(App.DataFolder, Guid.NewGuid().ToString("N") + ".xlsx");
        await download.SaveAsAsync(path);
        var sheet = ImportTestKit.ReadSheet(path);
        var first = Array.IndexOf(sheet[0], "First name");
        var last = Array.IndexOf(sheet[0], "Last name");
        Assert.Equal(
            matching.Order(StringComparer.Ordinal),
            sheet.Skip(1).Select(r => $"{r[first]} {r[last]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_german_browser_sees_the_builder_in_german()
    {
        await App.Services.CreateUserAsync("filter-de@school.test", Roles.Operator, "Dora Deutsch", OperatorPassword);
        var page = await NewPageAsync("de-DE");
        await SignIn.AsAsync(page, "filter-de@school.test", OperatorPassword);

        await Expect(page.Locator("#nav-filters")).ToHaveTextAsync("Benutzerdefinierte Filter");
        await page.GotoAsync("/filters/new");
        await WaitForInteractiveAsync(page);

        await Expect(page.Locator("h1")).ToHaveTextAsync("Neuer benutzerdefinierter Filter");
        await Expect(page.Locator("#add-condition-root")).ToHaveTextAsync("Bedingung hinzufügen");
        await Expect(page.Locator("#add-group-root")).ToHaveTextAsync("Gruppe hinzufügen");
        await Expect(page.Locator("#filter-preview h2")).ToHaveTextAsync("Vorschau");
        await page.Locator("#add-condition-root").ClickAsync();
        await MudInputs.ChooseAsync(page, "#field-root-0", "Erfassungsdatum");
        await MudInputs.ChooseAsync(page, "#op-root-0", "in den letzten N Tagen");

        await page.Locator("#save-filter").ClickAsync();

        await Expect(page.Locator("#problem-root-0")).ToHaveTextAsync("Geben Sie einen Wert ein oder wählen Sie einen aus.");
        await Expect(page.Locator("#save-error")).ToContainTextAsync("Der Filter kann noch nicht gespeichert werden");
    }

    /// <summary>Six leads, three of which match; returns the matching ones' full names.</summary>
    private async Task<List<string>> AddLeadsAsync()
    {
        var admin = await App.AdminAsync();
        var today = App.Services.GetRequiredService<SchoolClock>().Today;
        int newsletter;
        Dictionary<string, int> statuses;
        await using (var db = App.Db())
        {
            var field = new CustomField("Newsletter", CustomFieldType.Checkbox, 10, false);
            db.CustomFields.Add(field);
            await db.SaveChangesAsync();
            newsletter = field.Id;
            statuses = db.LeadStatuses.ToDictionary(s => s.Name, s => s.Id);
        }

        async Task AddAsync(string first, string last, string status, int daysAgo, bool? ticked) =>
            await App.AsAsync(admin, isAdmin: true, leads => leads.CreateAsync(
                new PersonDetails { FirstName = first, LastName = last, CaptureDate = today.AddDays(-daysAgo) },
                statuses[status],
                null,
                ticked is null ? [] : [CustomValueInput.Empty(newsletter) with { Checkbox = ticked }]));

        await AddAsync("Anna", "Alpha", "New", 30, ticked: true);
        await AddAsync("Bruno", "Beta", "Interested", 2, ticked: true);
        await AddAsync("Carla", "Gamma", "Interested", 30, ticked: true);
        await AddAsync("Dario", "Delta", "Contacted", 0, ticked: false);
        await AddAsync("Elena", "Epsilon", "Contacted", 20, ticked: true);
        await AddAsync("Fabio", "Zeta", "New", 0, ticked: null);
        return ["Anna Alpha", "Bruno Beta", "Elena Epsilon"];
    }
}
