using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Leads.Export;

/// <summary>The export dialog, opened from its button, while another connection holds the write lock.</summary>
public sealed class LeadExportDialogComponentTests : AppComponentTest<ShortBusyTimeoutApp>
{
    // The app's temp folder and download list (they read the data folder from the app's configuration).
    public LeadExportDialogComponentTests(ShortBusyTimeoutApp app)
        : base(app)
    {
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<TempFiles>());
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<ExportFiles>());
    }

    [Fact]
    public async Task An_export_whose_column_choice_cannot_be_saved_says_try_again_and_keeps_the_choice()
    {
        var user = await App.NewOperatorAsync("Ezio Export");
        await App.NewLeadAsync(user, "Elsa");
        var button = RenderAs<LeadExportButton>(user, isAdmin: false);
        var dialog = Ctx.Render<MudDialogProvider>();
        await button.Find("#leads-export").ClickAsync(new());
        var columns = dialog.WaitForElements("input[data-testid^=export-column-]");
        await columns[0].ChangeAsync(new ChangeEventArgs { Value = false });

        await using (await WriteLock.HoldAsync(App.ConnectionString))
        {
            await dialog.Find("#export-start").ClickAsync(new());
        }

        dialog.WaitForAssertion(() => Assert.Contains("Could not save. Please try again.", dialog.Find("#export-dialog").TextContent, StringComparison.Ordinal));
        var after = dialog.FindAll("input[data-testid^=export-column-]");
        Assert.False(after[0].HasAttribute("checked"));
        Assert.True(after[1].HasAttribute("checked"));
        await using var db = App.Db();
        Assert.False(await db.Set<UserPreference>().AnyAsync(p => p.UserId == user.Id && p.Key == LeadExportService.ColumnsPreference));
    }
}
