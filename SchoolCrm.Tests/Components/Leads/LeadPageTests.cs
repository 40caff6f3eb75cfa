using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Leads;

/// <summary>The lead page rendered by bUnit over the real LeadService and a real SQLite database.</summary>
public sealed class LeadPageTests(CrmAppFactory app) : AppComponentTest<CrmAppFactory>(app)
{
    [Fact]
    public async Task Ticking_a_checkbox_field_on_the_lead_page_saves_it_at_once()
    {
        var admin = await App.AdminAsync();
        var field = await App.NewFieldAsync(CustomFieldType.Checkbox);
        var leadId = await App.NewLeadAsync(admin, "Chiara");

        var page = RenderAs(admin, isAdmin: true, leadId);
        var checkbox = page.WaitForElement($"input#{CustomFieldInputs.InputId(field.Id)}");
        await checkbox.ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        page.WaitForAssertion(() => Assert.Contains(
            page.FindAll("[data-testid=history-row]"),
            row => row.GetAttribute("data-field") == CustomValueRules.FieldKey(field.Id)));
        await using var db = App.Db();
        Assert.True(await db.CustomFieldValues.AnyAsync(v => v.LeadId == leadId && v.CustomFieldId == field.Id && v.BoolValue == true));
    }

    [Fact]
    public async Task An_operator_gets_no_remove_button()
    {
        var op = await App.NewOperatorAsync();
        var leadId = await App.NewLeadAsync(op, "Paola");

        var page = RenderAs(op, isAdmin: false, leadId);

        page.WaitForElement("#edit-lead");
        Assert.Empty(page.FindAll("#remove-lead"));
    }

    [Fact]
    public async Task An_admin_gets_the_remove_button()
    {
        var admin = await App.AdminAsync();
        var leadId = await App.NewLeadAsync(admin, "Paola");

        var page = RenderAs(admin, isAdmin: true, leadId);

        page.WaitForElement("#remove-lead");
    }

    private IRenderedComponent<LeadPage> RenderAs(AppUser user, bool isAdmin, int leadId) =>
        RenderAs<LeadPage>(user, isAdmin, p => p.Add(x => x.Id, leadId));
}
