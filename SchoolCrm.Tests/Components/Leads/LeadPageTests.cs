using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Components.Leads;

/// <summary>The lead page rendered by bUnit over the real LeadService and a real SQLite database.</summary>
public sealed class LeadPageTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime, IAsyncDisposable
{
    private readonly BunitContext ctx = new();

    public Task InitializeAsync()
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddLogging();
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<SchoolClock>());
        ctx.Services.AddScoped<CurrentUser>();
        ctx.Services.AddCrmFeatures();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ctx.DisposeAsync();

    [Fact]
    public async Task Ticking_a_checkbox_field_on_the_lead_page_saves_it_at_once()
    {
        var admin = await app.AdminAsync();
        var field = await app.NewFieldAsync(CustomFieldType.Checkbox);
        var leadId = await app.NewLeadAsync(admin, "Chiara");

        var page = RenderAs(admin, isAdmin: true, leadId);
        var checkbox = page.WaitForElement($"input#{CustomFieldInputs.InputId(field.Id)}");
        await checkbox.ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        page.WaitForAssertion(() => Assert.Contains(
            page.FindAll("[data-testid=history-row]"),
            row => row.GetAttribute("data-field") == CustomValueRules.FieldKey(field.Id)));
        await using var db = app.Db();
        Assert.True(await db.CustomFieldValues.AnyAsync(v => v.LeadId == leadId && v.CustomFieldId == field.Id && v.BoolValue == true));
    }

    [Fact]
    public async Task An_operator_gets_no_remove_button()
    {
        var op = await app.NewOperatorAsync();
        var leadId = await app.NewLeadAsync(op, "Paola");

        var page = RenderAs(op, isAdmin: false, leadId);

        page.WaitForElement("#edit-lead");
        Assert.Empty(page.FindAll("#remove-lead"));
    }

    [Fact]
    public async Task An_admin_gets_the_remove_button()
    {
        var admin = await app.AdminAsync();
        var leadId = await app.NewLeadAsync(admin, "Paola");

        var page = RenderAs(admin, isAdmin: true, leadId);

        page.WaitForElement("#remove-lead");
    }

    private IRenderedComponent<LeadPage> RenderAs(AppUser user, bool isAdmin, int leadId)
    {
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(user.UserName!);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        auth.SetRoles(isAdmin ? Roles.Admin : Roles.Operator);
        auth.SetAuthenticationType("Test");
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        ctx.Render<MudPopoverProvider>();
        return ctx.Render<LeadPage>(p => p.Add(x => x.Id, leadId));
    }
}
