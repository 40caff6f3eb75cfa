using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Components.Filters;

/// <summary>The filter builder rendered by bUnit over the real SavedFilterService and a real SQLite database.</summary>
public sealed class FilterBuilderPageTests(CrmAppFactory app) : FilterComponentTest(app)
{
    [Fact]
    public async Task Add_condition_offers_the_fields_and_then_the_operators_of_the_chosen_field()
    {
        var page = await NewFilterAsync();

        await page.Find("#add-condition-root").ClickAsync(new());
        await page.WaitForElementAsync("#condition-root-0", Wait);
        Assert.Empty(page.FindAll("#op-root-0"));
        await ChooseAsync(page, "field-root-0", "city");

        Assert.NotNull(page.Find("#op-root-0"));
        Assert.Equal(FilterOperators.Is, Condition(page, "root-0").Op);
        await page.WaitForElementAsync("input#value-root-0", Wait);
        Assert.Single(page.FindAll("[data-testid=condition]"));
    }

    [Fact]
    public async Task Groups_nest_three_levels_deep_and_add_group_stops_where_the_json_allows_no_deeper()
    {
        var page = await NewFilterAsync();

        await page.Find("#add-group-root").ClickAsync(new());
        await page.WaitForElementAsync("#group-root-0", Wait);
        await page.Find("#add-group-root-0").ClickAsync(new());
        await page.WaitForElementAsync("#group-root-0-1", Wait);
        await page.Find("#add-group-root-0-1").ClickAsync(new());
        await page.WaitForElementAsync("#group-root-0-1-1", Wait);

        Assert.Equal("4", page.Find("#group-root-0-1-1").GetAttribute("data-depth"));
        Assert.NotNull(page.Find("#condition-root-0-1-1-0"));

        await page.Find("#add-group-root-0-1-1").ClickAsync(new());
        await page.Find("#add-group-root-0-1-1-1").ClickAsync(new());
        await page.WaitForElementAsync("#group-root-0-1-1-1-1", Wait);
        Assert.Equal(FilterJson.MaxDepth.ToString(CultureInfo.InvariantCulture), page.Find("#group-root-0-1-1-1-1").GetAttribute("data-depth"));
        Assert.Empty(page.FindAll("#add-group-root-0-1-1-1-1"));
        Assert.NotNull(page.Find("#add-condition-root-0-1-1-1-1"));
    }

    [Fact]
    public async Task A_condition_and_a_group_can_be_removed()
    {
        var page = await NewFilterAsync();
        await page.Find("#add-condition-root").ClickAsync(new());
        await page.Find("#add-group-root").ClickAsync(new());
        await page.WaitForElementAsync("#group-root-1", Wait);

        await page.Find("#remove-root-0").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("#group-root-1")), Wait);
        Assert.NotNull(page.Find("#group-root-0"));
        Assert.DoesNotContain(page.FindAll("[data-testid=condition]"), c => c.Id == "condition-root-0");

        await page.Find("#remove-root-0").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=member]")), Wait);
        Assert.NotNull(page.Find("#empty-root"));
    }

    [Fact]
    public async Task Move_up_and_down_reorder_the_members_of_a_group()
    {
        var page = await NewFilterAsync();
        await page.Find("#add-condition-root").ClickAsync(new());
        await page.Find("#add-condition-root").ClickAsync(new());
        await page.Find("#add-condition-root").ClickAsync(new());
        await ChooseAsync(page, "field-root-0", "city");
        await ChooseAsync(page, "field-root-1", "zip");
        await ChooseAsync(page, "field-root-2", "email");

        await page.Find("#down-root-0").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.Equal(["zip", "city", "email"], Fields(page)), Wait);
        await page.Find("#up-root-2").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.Equal(["zip", "email", "city"], Fields(page)), Wait);

        Assert.True(page.Find("#up-root-0").HasAttribute("disabled"));
        Assert.True(page.Find("#down-root-2").HasAttribute("disabled"));
        Assert.Equal(Shared("Action_MoveUp"), page.Find("#up-root-1").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Each_field_type_and_operator_gets_its_own_value_editor()
    {
        var number = await App.NewFieldAsync(CustomFieldType.Number);
        var choice = await App.NewFieldAsync(CustomFieldType.SingleChoice, false, "A1", "B2");
        var page = await NewFilterAsync();
        await page.Find("#add-condition-root").ClickAsync(new());
        await page.WaitForElementAsync("#condition-root-0", Wait);

        await ChooseAsync(page, "field-root-0", "city");
        Assert.Single(page.FindComponents<MudTextField<string>>(), t => t.Find("input").Id == "value-root-0");

        await ChooseAsync(page, "field-root-0", LeadKey(number.Id));
        Assert.Single(page.FindComponents<MudNumericField<double?>>());
        await ChooseAsync(page, "op-root-0", FilterOperators.Between);
        Assert.Equal(["value-root-0", "value-to-root-0"], page.FindComponents<MudNumericField<double?>>().Select(n => n.Find("input").Id));

        await ChooseAsync(page, "field-root-0", "captured");
        Assert.Single(page.FindComponents<MudDatePicker>());
        await ChooseAsync(page, "op-root-0", FilterOperators.Between);
        Assert.Equal(2, page.FindComponents<MudDatePicker>().Count);
        await ChooseAsync(page, "op-root-0", FilterOperators.LastDays);
        Assert.Empty(page.FindComponents<MudDatePicker>());
        Assert.Single(page.FindComponents<MudNumericField<int?>>());

        await ChooseAsync(page, "field-root-0", LeadFields.LastComment.Key);
        await ChooseAsync(page, "op-root-0", FilterOperators.OlderThanDays);
        Assert.Single(page.FindComponents<MudNumericField<int?>>());
        await ChooseAsync(page, "op-root-0", FilterOperators.Today);
        Assert.Empty(page.FindAll("#value-root-0"));

        await ChooseAsync(page, "field-root-0", "status");
        Assert.True(Select<int>(page, "value-root-0").Instance.MultiSelection);

        await ChooseAsync(page, "field-root-0", LeadKey(choice.Id));
        Assert.True(Select<int>(page, "value-root-0").Instance.MultiSelection);

        await ChooseAsync(page, "field-root-0", "assignee");
        var users = Select<string>(page, "value-root-0");
        Assert.True(users.Instance.MultiSelection);
        Assert.Equal("me (whoever uses the filter)", users.Instance.ToStringFunc!(FilterOperators.Me));

        await ChooseAsync(page, "field-root-0", "gender");
        Assert.Equal("Female", Select<string>(page, "value-root-0").Instance.ToStringFunc!("female"));

        await ChooseAsync(page, "field-root-0", LeadFields.ImportedBy.Key);
        Assert.True(Select<int>(page, "value-root-0").Instance.MultiSelection);
        Assert.Equal("Imports", page.Find("#value-editor-root-0 label").TextContent);

        await ChooseAsync(page, "field-root-0", "privacy");
        Assert.Equal(FilterOperators.Ticked, Condition(page, "root-0").Op);
        Assert.Empty(page.FindAll("#value-root-0"));
    }

    [Fact]
    public async Task The_task_conditions_get_a_days_field_and_a_multi_select_of_the_task_types_and_save_what_was_chosen()
    {
        var name = LeadTestData.Unique("Visits");
        var visit = new TaskType(LeadTestData.Unique("Visit"), 90);
        await using (var db = App.Db())
        {
            db.TaskTypes.Add(visit);
            await db.SaveChangesAsync();
        }

        var page = await NewFilterAsync();
        await page.Find("input#filter-name").InputAsync(new ChangeEventArgs { Value = name });
        await page.Find("#add-condition-root").ClickAsync(new());
        await page.WaitForElementAsync("#condition-root-0", Wait);

        await ChooseAsync(page, "field-root-0", LeadFields.NextDeadline.Key);
        Assert.Equal(FilterOperators.NextDays, Condition(page, "root-0").Op);
        Assert.Single(page.FindComponents<MudNumericField<int?>>());

        await ChooseAsync(page, "field-root-0", LeadFields.HasOverdueTask.Key);
        Assert.Equal(FilterOperators.Ticked, Condition(page, "root-0").Op);
        Assert.Empty(page.FindAll("#value-root-0"));

        await ChooseAsync(page, "field-root-0", LeadFields.HasTaskOfType.Key);
        Assert.Equal(FilterOperators.AnyOf, Condition(page, "root-0").Op);
        var types = Select<int>(page, "value-root-0");
        Assert.True(types.Instance.MultiSelection);
        Assert.Equal("Task types", page.Find("#value-editor-root-0 label").TextContent);
        Assert.Equal(visit.Name, types.Instance.ToStringFunc!(visit.Id));
        await page.InvokeAsync(() => types.Instance.SelectedValuesChanged.InvokeAsync([visit.Id]));

        await page.Find("#save-filter").ClickAsync(new());

        await WaitForNavigationAsync(page);
        await using var check = App.Db();
        var saved = await check.SavedFilters.AsNoTracking().SingleAsync(f => f.Name == name);
        Assert.Equal($$"""{"v":1,"all":[{"field":"tasktype","op":"any_of","value":[{{visit.Id}}]}]}""", saved.Json);
    }

    [Fact]
    public async Task A_reversed_range_shows_its_message_at_the_condition()
    {
        var number = await App.NewFieldAsync(CustomFieldType.Number);
        var page = await NewFilterAsync();
        await page.Find("#add-condition-root").ClickAsync(new());
        await ChooseAsync(page, "field-root-0", LeadKey(number.Id));
        await ChooseAsync(page, "op-root-0", FilterOperators.Between);

        await page.Find("input#value-root-0").InputAsync(new ChangeEventArgs { Value = "5" });
        await page.Find("input#value-to-root-0").InputAsync(new ChangeEventArgs { Value = "3" });

        await page.WaitForAssertionAsync(() => Assert.Equal(
            "The first value must not be greater than the second.",
            page.Find("#problem-root-0").TextContent), Wait);
        Assert.Equal(FilterProblems.RangeReversed, page.Find("#problem-root-0").GetAttribute("data-code"));

        await page.Find("input#value-to-root-0").InputAsync(new ChangeEventArgs { Value = "8" });
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("#problem-root-0")), Wait);
    }

    [Fact]
    public async Task The_preview_counts_and_lists_the_matching_leads_and_leaves_out_a_condition_still_being_built()
    {
        var admin = await App.AdminAsync();
        var city = LeadTestData.Unique("Town");
        var statusId = await App.DefaultStatusIdAsync();
        foreach (var first in new[] { "Ada", "Bea" })
        {
            await App.AsAsync(admin, isAdmin: true, leads => leads.CreateAsync(
                new PersonDetails { FirstName = first, LastName = "Preview", City = city, CaptureDate = new DateOnly(2025, 3, 1) }, statusId, null, []));
        }

        var page = await NewFilterAsync();
        await page.Find("#add-condition-root").ClickAsync(new());
        await ChooseAsync(page, "field-root-0", "city");
        await page.Find("input#value-root-0").InputAsync(new ChangeEventArgs { Value = city });

        await page.WaitForAssertionAsync(() => Assert.Equal("2", page.Find("#preview-count").GetAttribute("data-count")), Wait);
        Assert.Equal(["Ada Preview", "Bea Preview"], page.FindAll("[data-testid=preview-lead] a").Select(a => a.TextContent));
        Assert.Empty(page.FindAll("#preview-ignored"));

        await page.Find("#add-condition-root").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("#preview-ignored")), Wait);
        Assert.Equal("2", page.Find("#preview-count").GetAttribute("data-count"));
    }

    [Fact]
    public async Task Save_is_refused_while_a_condition_is_incomplete_and_nothing_is_stored()
    {
        var name = LeadTestData.Unique("Incomplete");
        var page = await NewFilterAsync();
        await page.Find("input#filter-name").InputAsync(new ChangeEventArgs { Value = name });
        await page.Find("#add-condition-root").ClickAsync(new());
        await ChooseAsync(page, "field-root-0", "city");
        Assert.Empty(page.FindAll("#problem-root-0"));

        await page.Find("#save-filter").ClickAsync(new());

        await page.WaitForElementAsync("#save-error", Wait);
        Assert.Equal("Enter or choose a value.", page.Find("#problem-root-0").TextContent);
        await using var db = App.Db();
        Assert.False(await db.SavedFilters.AnyAsync(f => f.Name == name));
    }

    [Fact]
    public async Task A_complete_filter_is_saved_as_the_tree_that_was_built()
    {
        var name = LeadTestData.Unique("Ticked");
        var page = await NewFilterAsync();
        await page.Find("input#filter-name").InputAsync(new ChangeEventArgs { Value = name });
        await page.Find("#add-condition-root").ClickAsync(new());
        await ChooseAsync(page, "field-root-0", LeadFields.ImportedBy.Key);
        Assert.True(Select<int>(page, "value-root-0").Instance.MultiSelection);
        Assert.Equal("Imports", page.Find("#value-editor-root-0 label").TextContent);

        await ChooseAsync(page, "field-root-0", "privacy");

        await page.Find("#save-filter").ClickAsync(new());

        await WaitForNavigationAsync(page);
        await using var db = App.Db();
        var saved = await db.SavedFilters.AsNoTracking().SingleAsync(f => f.Name == name);
        Assert.EndsWith($"/filters/{saved.Id}", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("""{"v":1,"all":[{"field":"privacy","op":"ticked"}]}""", saved.Json);
        Assert.False(saved.IsShared);
    }

    [Fact]
    public async Task An_admin_sees_the_shared_with_everyone_switch()
    {
        var page = await NewFilterAsync();

        Assert.NotNull(page.Find("#filter-shared"));
    }

    [Fact]
    public async Task An_operator_never_sees_the_shared_with_everyone_switch()
    {
        var op = await App.NewOperatorAsync();
        var operatorPage = RenderAs<FilterBuilderPage>(op, isAdmin: false);
        await operatorPage.WaitForElementAsync("#filter-root", Wait);
        Assert.Empty(operatorPage.FindAll("#filter-shared"));
    }

    [Fact]
    public async Task A_shared_filter_opened_by_an_operator_is_read_only_and_can_be_copied()
    {
        var admin = await App.AdminAsync();
        var name = LeadTestData.Unique("Shared");
        var id = await App.FiltersAsAsync(admin, isAdmin: true, f => f.CreateAsync(
            name, new Filter(FilterGroup.AllOf(FilterCondition.Of("city", FilterOperators.Contains, "Bol"))), shared: true));
        var op = await App.NewOperatorAsync();

        var page = RenderAs<FilterBuilderPage>(op, isAdmin: false, p => p.Add(x => x.Id, id));

        await page.WaitForElementAsync("#read-only-note", Wait);
        Assert.Empty(page.FindAll("#save-filter"));
        Assert.Empty(page.FindAll("[data-testid=add-condition]"));
        Assert.Empty(page.FindAll("#remove-root-0"));
        Assert.True(Select<string>(page, "field-root-0").Instance.Disabled);
        Assert.True(page.Find("input#value-root-0").HasAttribute("disabled"));

        await page.Find("#copy-to-mine").ClickAsync(new());

        await WaitForNavigationAsync(page);
        await using var db = App.Db();
        var copy = await db.SavedFilters.AsNoTracking().SingleAsync(f => f.OwnerUserId == op.Id);
        Assert.False(copy.IsShared);
        Assert.Equal(name + " (2)", copy.Name);
        Assert.EndsWith($"/filters/{copy.Id}", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_whose_status_was_deleted_opens_with_the_condition_marked_and_explained()
    {
        var admin = await App.AdminAsync();
        var status = await App.NewStatusAsync();
        var id = await App.FiltersAsAsync(admin, isAdmin: true, f => f.CreateAsync(
            LeadTestData.Unique("Broken"),
            new Filter(FilterGroup.AllOf(FilterCondition.Of("privacy", FilterOperators.Ticked), FilterCondition.Of("status", FilterOperators.AnyOf, new[] { status.Id })))));
        await using (var db = App.Db())
        {
            await db.LeadStatuses.Where(s => s.Id == status.Id).ExecuteDeleteAsync();
        }

        var page = RenderAs<FilterBuilderPage>(admin, isAdmin: true, p => p.Add(x => x.Id, id));

        await page.WaitForElementAsync("#broken-note", Wait);
        Assert.Equal("A status chosen here was deleted.", page.Find("#problem-root-1").TextContent);
        Assert.Empty(page.FindAll("#problem-root-0"));

        await page.Find("#save-filter").ClickAsync(new());
        await page.WaitForElementAsync("#save-error", Wait);
    }

    private async Task<IRenderedComponent<FilterBuilderPage>> NewFilterAsync()
    {
        var admin = await App.AdminAsync();
        var page = RenderAs<FilterBuilderPage>(admin, isAdmin: true);
        await page.WaitForElementAsync("#filter-root", Wait);
        return page;
    }

    private static string LeadKey(int customFieldId) => LeadFields.CustomKey(customFieldId);

    private static string Shared(string key) =>
        new System.Resources.ResourceManager(typeof(Web.Features.Common.SharedText)).GetString(key, CultureInfo.GetCultureInfo("en"))!;

    private static List<string> Fields(IRenderedComponent<FilterBuilderPage> page) =>
        [.. page.FindComponents<FilterConditionEditor>().Select(c => c.Instance.Condition.Field)];

    private static FilterConditionDraft Condition(IRenderedComponent<FilterBuilderPage> page, string path) =>
        page.FindComponents<FilterConditionEditor>().Single(c => c.Instance.Path == path).Instance.Condition;

    private static IRenderedComponent<MudSelect<T>> Select<T>(IRenderedComponent<FilterBuilderPage> page, string id) =>
        page.FindComponents<MudSelect<T>>().Single(s => s.Instance.UserAttributes.TryGetValue("id", out var value) && (string?)value == id);

    // Picks a value the way the select's list does (its items render in the popover provider when open).
    private static async Task ChooseAsync(IRenderedComponent<FilterBuilderPage> page, string id, string value)
    {
        var select = Select<string>(page, id);
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
        var path = id[(id.IndexOf('-', StringComparison.Ordinal) + 1)..];
        await page.WaitForAssertionAsync(() => Assert.Equal(value, id.StartsWith("op-", StringComparison.Ordinal) ? Condition(page, path).Op : Condition(page, path).Field), Wait);
    }

    // A save ends by opening the saved filter's own address.
    private Task WaitForNavigationAsync(IRenderedComponent<FilterBuilderPage> page) =>
        page.WaitForAssertionAsync(() => Assert.Matches(@"/filters/\d+$", Navigation.Uri), Wait);
}
