using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Tests.Infrastructure;

namespace SchoolCrm.Tests.Hosting;

public sealed class MudBlazorTextTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>
{
    [Fact]
    public void MudBlazor_pager_text_is_german_for_german_users()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de");
            using var scope = app.Services.CreateScope();
            var localizer = scope.ServiceProvider.GetRequiredService<MudLocalizer>();

            Assert.Equal("Zeilen pro Seite:", localizer["MudDataGridPager_RowsPerPage"].Value);
            Assert.True(localizer["No_such_key"].ResourceNotFound);
            Assert.Equal("1–25 von 300", localizer["MudDataGridPager_InfoFormat", 1, 25, 300].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void MudBlazor_pager_text_is_italian_for_italian_users()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("it-IT");
            using var scope = app.Services.CreateScope();
            var localizer = scope.ServiceProvider.GetRequiredService<MudLocalizer>();

            Assert.Equal("Righe per pagina:", localizer["MudDataGridPager_RowsPerPage"].Value);
            Assert.Equal("Seleziona tutte le righe", localizer["MudDataGrid_SelectAllRows"].Value);
            Assert.Equal("1–25 di 300", localizer["MudDataGridPager_InfoFormat", 1, 25, 300].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
