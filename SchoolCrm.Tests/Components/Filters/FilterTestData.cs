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
