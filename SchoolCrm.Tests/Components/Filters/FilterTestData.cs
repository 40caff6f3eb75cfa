using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Filters;

/// <summary>Arranges saved filters through the real service, as the user, for the builder's component tests.</summary>
internal static class FilterTestData
{
    public static async Task<T> FiltersAsAsync<T>(this CrmAppFactory app, AppUser user, bool isAdmin, Func<SavedFilterService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        return await action(scope.ServiceProvider.GetRequiredService<SavedFilterService>());
    }
}

/// <summary>The builder's pages over the real app, in English, with the address a page navigated to.</summary>
public abstract class FilterComponentTest : AppComponentTest<CrmAppFactory>
{
    protected FilterComponentTest(CrmAppFactory app)
        : base(app)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    /// <summary>How long a check waits for the page: long, since the machine may be busy; a passing check returns at once.</summary>
    protected static TimeSpan Wait { get; } = TimeSpan.FromSeconds(15);

    protected NavigationManager Navigation => Ctx.Services.GetRequiredService<NavigationManager>();
}
