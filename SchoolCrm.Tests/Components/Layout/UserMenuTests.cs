using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Components.Layout;
using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Layout;

public sealed class UserMenuTests : AppComponentTest<ShortBusyTimeoutApp>
{
    public UserMenuTests(ShortBusyTimeoutApp app)
        : base(app) =>

        // The account service's scopes come from the app, which has Identity; the signed-in user is this test's.
        Ctx.Services.AddScoped(sp => new AccountService(app.Services.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<CurrentUser>()));

    [Fact]
    public async Task A_language_chosen_while_the_database_is_locked_says_try_again_and_stays_on_the_page_until_it_is_saved()
    {
        var user = await App.NewOperatorAsync("Lina Language");
        var storedBefore = await CultureOfAsync(user.Id);
        var menu = RenderAs<UserMenu>(user, isAdmin: false);
        var navigation = Ctx.Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        await menu.Find("#user-menu button").ClickAsync(new());

        await using (await WriteLock.HoldAsync(App.ConnectionString))
        {
            await Popovers!.WaitForElement("#language-de").ClickAsync(new());
        }

        var snackbars = Snackbars!;
        snackbars.WaitForAssertion(() => Assert.Contains("Could not save. Please try again.", snackbars.Markup, StringComparison.Ordinal));
        Assert.Equal(before, navigation.Uri);
        Assert.Equal(storedBefore, await CultureOfAsync(user.Id));

        await menu.Find("#user-menu button").ClickAsync(new());
        await Popovers!.WaitForElement("#language-de").ClickAsync(new());

        menu.WaitForAssertion(() => Assert.Contains("/account/culture?culture=de", navigation.Uri, StringComparison.Ordinal));
        Assert.Equal("de", await CultureOfAsync(user.Id));
    }

    private async Task<string?> CultureOfAsync(string userId)
    {
        await using var db = App.Db();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.Culture).SingleAsync();
    }
}
