using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Filters;

/// <summary>The list of saved filters rendered by bUnit over the real SavedFilterService and a real SQLite database.</summary>
public sealed class FilterListPageTests(CrmAppFactory app) : FilterComponentTest(app)
{
    private static readonly Filter Ticked = new(FilterGroup.AllOf(FilterCondition.Of("privacy", FilterOperators.Ticked)));

    [Fact]
    public async Task An_operator_sees_a_shared_filter_as_shared_with_copy_to_my_filters_and_nothing_that_changes_it()
    {
        var admin = await App.AdminAsync();
        var name = LeadTestData.Unique("Shared");
        var id = await App.FiltersAsAsync(admin, isAdmin: true, f => f.CreateAsync(name, Ticked, shared: true));
        var op = await App.NewOperatorAsync();

        var page = RenderAs<FilterListPage>(op, isAdmin: false);

        var row = page.WaitForElement($"[data-filter-id='{id}']");
        Assert.Equal("Everyone (shared)", row.QuerySelector("[data-testid=filter-visibility]")!.TextContent);
        Assert.Equal("Administrator", row.QuerySelector("[data-testid=filter-owner]")!.TextContent);
        Assert.NotNull(row.QuerySelector($"#copy-{id}"));
        Assert.NotNull(row.QuerySelector($"#open-{id}"));
        foreach (var action in new[] { "edit", "rename", "duplicate", "delete", "share" })
        {
            Assert.Null(row.QuerySelector($"#{action}-{id}"));
        }

        await page.ClickAsync($"#copy-{id}");

        page.WaitForAssertion(() => Assert.Matches(@"/filters/\d+$", Navigation.Uri), Wait);
        await using var db = App.Db();
        Assert.Equal(name + " (2)", await db.SavedFilters.Where(f => f.OwnerUserId == op.Id).Select(f => f.Name).SingleAsync());
    }

    [Fact]
    public async Task An_admin_shares_a_private_filter_and_takes_it_back()
    {
        var admin = await App.AdminAsync();
        var id = await App.FiltersAsAsync(admin, isAdmin: true, f => f.CreateAsync(LeadTestData.Unique("Mine"), Ticked));
        var page = RenderAs<FilterListPage>(admin, isAdmin: true);
        page.WaitForElement($"#share-{id}");

        await page.ClickAsync($"#share-{id}");
        page.WaitForAssertion(() => Assert.Equal("true", Visibility(page, id)), Wait);
        Assert.True(await IsSharedAsync(id));

        await page.ClickAsync($"#share-{id}");
        page.WaitForAssertion(() => Assert.Equal("false", Visibility(page, id)), Wait);
        Assert.False(await IsSharedAsync(id));
    }

    [Fact]
    public async Task An_operator_renames_and_duplicates_an_own_filter_and_a_taken_name_is_refused_at_the_field()
    {
        var op = await App.NewOperatorAsync();
        var taken = LeadTestData.Unique("Taken");
        await App.FiltersAsAsync(op, isAdmin: false, f => f.CreateAsync(taken, Ticked));
        var id = await App.FiltersAsAsync(op, isAdmin: false, f => f.CreateAsync(LeadTestData.Unique("Old"), Ticked));
        var page = RenderAs<FilterListPage>(op, isAdmin: false);
        page.WaitForElement($"#rename-{id}");
        Assert.Empty(page.FindAll($"#share-{id}"));

        await page.ClickAsync($"#rename-{id}");
        page.WaitForElement($"input#rename-filter-{id}", Wait).Input(taken.ToUpperInvariant());
        await page.ClickAsync($"#save-rename-{id}");
        page.WaitForAssertion(() => Assert.Contains("This name is already in use.", page.Markup, StringComparison.Ordinal), Wait);

        page.Find($"input#rename-filter-{id}").Input("Newsletter leads " + id);
        await page.ClickAsync($"#save-rename-{id}");
        page.WaitForAssertion(() => Assert.Equal("Newsletter leads " + id, page.Find($"[data-filter-id='{id}']").GetAttribute("data-filter-name")), Wait);

        await page.ClickAsync($"#duplicate-{id}");
        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-filter-name='Newsletter leads {id} (2)']")), Wait);
    }

    [Fact]
    public async Task Delete_asks_first_and_then_removes_the_filter()
    {
        var op = await App.NewOperatorAsync();
        var id = await App.FiltersAsAsync(op, isAdmin: false, f => f.CreateAsync(LeadTestData.Unique("Gone"), Ticked));
        var page = RenderAs<FilterListPage>(op, isAdmin: false);
        var dialogs = Ctx.Render<MudDialogProvider>();
        page.WaitForElement($"#delete-{id}");

        // Not awaited: the click waits for the answer to the question it asks.
        page.Find($"#delete-{id}").Click();
        var yes = dialogs.WaitForElement(".mud-message-box__yes-button");
        Assert.NotNull(page.Find($"[data-filter-id='{id}']"));
        await yes.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-filter-id='{id}']")), Wait);
        await using var db = App.Db();
        Assert.False(await db.SavedFilters.AnyAsync(f => f.Id == id));
    }

    private static string? Visibility(IRenderedComponent<FilterListPage> page, int id) =>
        page.Find($"[data-filter-id='{id}'] [data-testid=filter-visibility]").GetAttribute("data-shared");

    private async Task<bool> IsSharedAsync(int id)
    {
        await using var db = App.Db();
        return await db.SavedFilters.Where(f => f.Id == id).Select(f => f.IsShared).SingleAsync();
    }
}
