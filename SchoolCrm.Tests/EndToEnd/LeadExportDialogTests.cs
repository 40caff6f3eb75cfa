using Microsoft.Playwright;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SchoolCrm.Tests.EndToEnd;

public sealed class LeadExportDialogTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    [Fact]
    public async Task Export_with_three_chosen_columns_downloads_a_file_with_exactly_those()
    {
        var kit = await ImportTestKit.CreateAsync(App);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail", "Date of birth", "City"], ["Anna", "anna@example.it", "03.05.2001", "Napoli"]));
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await WaitForInteractiveAsync(page);

        await page.ClickAsync("#leads-export");
        await page.ClickAsync("#export-select-none");
        await Assertions.Expect(page.Locator("#export-start")).ToBeDisabledAsync();
        foreach (var key in new[] { "FirstName", "Email", "DateOfBirth" })
        {
            var box = page.Locator($"input[data-testid=export-column-{key}]");
            await page.Locator("label", new() { Has = box }).ClickAsync();
            await Assertions.Expect(box).ToBeCheckedAsync();
        }

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-start"));

        Assert.Matches(@"^leads-\d{4}-\d{2}-\d{2}\.xlsx$", download.SuggestedFilename);
        var path = kit.NewPath();
        await download.SaveAsAsync(path);
        var rows = ImportTestKit.ReadSheet(path);
        Assert.Equal(["First name", "E-mail", "Date of birth"], rows[0]);
        Assert.Equal(["Anna", "anna@example.it", new DateTime(2001, 5, 3)], rows[1]);
    }
}
