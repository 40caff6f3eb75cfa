using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SchoolCrm.Tests.EndToEnd;

public sealed class LeadImportPageTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    [Fact]
    public async Task A_filled_template_is_uploaded_previewed_with_its_error_row_and_imported()
    {
        var kit = await ImportTestKit.CreateAsync(App);
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync("/leads/import");
        await WaitForInteractiveAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#import-template"));
        var template = kit.NewPath();
        await download.SaveAsAsync(template);
        var headers = ImportTestKit.ReadSheet(template)[0].Select(h => (string)h!).ToList();
        var filled = Path.Combine(App.DataFolder, "archive.xlsx");
        ImportTestKit.WriteXlsx(filled, headers, [Row(headers, "Anna", "anna@example.it", "03.05.2001"), Row(headers, "Bad date", "bad@example.it", "31.02.2001")]);

        await page.SetInputFilesAsync("#import-file", filled);
        await Assertions.Expect(page.Locator("#import-mapping")).ToBeVisibleAsync();
        await page.ClickAsync("#import-preview");

        await Assertions.Expect(page.GetByTestId("preview-create")).ToContainTextAsync("1");
        await Assertions.Expect(page.GetByTestId("preview-errors")).ToContainTextAsync("1");
        var errorRow = page.GetByTestId("import-error-row");
        await Assertions.Expect(errorRow).ToHaveCountAsync(1);
        await Assertions.Expect(errorRow).ToContainTextAsync("31.02.2001");
        await Assertions.Expect(errorRow).ToContainTextAsync("3");

        await page.ClickAsync("#import-start");
        await Assertions.Expect(page.Locator("#import-progress[data-outcome=Completed]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var history = page.GetByTestId("import-history-row").First;
        await Assertions.Expect(history).ToContainTextAsync("archive.xlsx");

        await page.ClickAsync("#import-back");
        await Assertions.Expect(page.Locator("#leads-grid")).ToContainTextAsync("Anna");
        await Assertions.Expect(page.Locator("#leads-grid")).Not.ToContainTextAsync("Bad date");

        await using var db = await kit.DbAsync();
        var lead = Assert.Single(await db.Leads.ToListAsync());
        Assert.Equal(("Anna", new DateOnly(2001, 5, 3)), (lead.FirstName, lead.DateOfBirth!.Value));
    }

    private static object?[] Row(List<string> headers, string firstName, string email, string dateOfBirth)
    {
        var row = new object?[headers.Count];
        row[headers.IndexOf("First name")] = firstName;
        row[headers.IndexOf("E-mail")] = email;
        row[headers.IndexOf("Date of birth")] = dateOfBirth;
        return row;
    }
}
