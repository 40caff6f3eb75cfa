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

    public async Task InitializeAsync()
    {
        var admin = await app.AdminAsync();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddLogging();
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<SchoolClock>());
        ctx.Services.AddScoped<CurrentUser>();
        ctx.Services.AddCrmFeatures();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(CrmAppFactory.AdminEmail);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
        auth.SetRoles(Roles.Admin);
        auth.SetAuthenticationType("Test");
        ctx.SetRendererInfo(new RendererInfo("Server", true));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ctx.DisposeAsync();

    [Fact]
    public async Task Ticking_a_checkbox_field_on_the_lead_page_saves_it_at_once()
    {
        var admin = await app.AdminAsync();
        var field = await app.NewFieldAsync(CustomFieldType.Checkbox);
        var leadId = await app.NewLeadAsync(admin, "Chiara");
        ctx.Render<MudPopoverProvider>();

        var page = ctx.Render<LeadPage>(p => p.Add(x => x.Id, leadId));
        var checkbox = page.WaitForElement($"input#{CustomFieldInputs.InputId(field.Id)}");
        await checkbox.ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        page.WaitForAssertion(() => Assert.Contains(
            page.FindAll("[data-testid=history-row]"),
            row => row.GetAttribute("data-field") == CustomValueRules.FieldKey(field.Id)));
        await using var db = app.Db();
        Assert.True(await db.CustomFieldValues.AnyAsync(v => v.LeadId == leadId && v.CustomFieldId == field.Id && v.BoolValue == true));
    }
}
