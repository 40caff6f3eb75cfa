using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.CrmConfiguration;
using SchoolCrm.Web.Features.Leads;

namespace SchoolCrm.Tests.Components.Common;

/// <summary>
/// Pages that save while another connection holds the write lock: they say "could not save, try again" where the
/// user looks and keep what was entered, instead of the error boundary.
/// </summary>
public sealed class BusyDatabaseComponentTests(ShortBusyTimeoutApp app) : AppComponentTest<ShortBusyTimeoutApp>(app)
{
    private const string CouldNotSave = "Could not save. Please try again.";

    [Fact]
    public async Task A_checkbox_ticked_while_the_database_is_locked_says_try_again_and_shows_what_is_stored()
    {
        var admin = await App.AdminAsync();
        var field = await App.NewFieldAsync(CustomFieldType.Checkbox);
        var leadId = await App.NewLeadAsync(admin, "Bruna");
        var page = RenderAs<LeadPage>(admin, isAdmin: true, p => p.Add(x => x.Id, leadId));
        var selector = $"input#{CustomFieldInputs.InputId(field.Id)}";

        await using (await WriteLock.HoldAsync(App.ConnectionString))
        {
            await page.WaitForElement(selector).ChangeAsync(new ChangeEventArgs { Value = true });
        }

        var snackbars = Snackbars!;
        snackbars.WaitForAssertion(() => Assert.Contains(CouldNotSave, snackbars.Markup, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.False(page.Find(selector).HasAttribute("checked")));
        await using var db = App.Db();
        Assert.False(await db.CustomFieldValues.AnyAsync(v => v.LeadId == leadId && v.CustomFieldId == field.Id));
    }

    [Fact]
    public async Task A_status_added_while_the_database_is_locked_keeps_its_name_in_the_field_with_the_message()
    {
        var admin = await App.AdminAsync();
        var name = LeadTestData.Unique("Busy status");
        var page = RenderAs<CrmConfigurationPage>(admin, isAdmin: true);
        await page.WaitForElement("#status-new-name").InputAsync(new ChangeEventArgs { Value = name });

        await using (await WriteLock.HoldAsync(App.ConnectionString))
        {
            await page.Find("#status-add").ClickAsync(new());
        }

        page.WaitForAssertion(() => Assert.Contains(CouldNotSave, page.Find("[data-testid=status-list]").TextContent, StringComparison.Ordinal));
        Assert.Equal(name, page.Find("#status-new-name").GetAttribute("value"));
        await using var db = App.Db();
        Assert.False(await db.LeadStatuses.AnyAsync(s => s.Name == name));
    }
}
