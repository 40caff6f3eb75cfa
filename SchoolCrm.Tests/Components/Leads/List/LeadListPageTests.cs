using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Hosting;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Tests.Components.Leads.List;

public sealed class LeadListPageTests
{
    private const int CustomFieldId = 7;

    private readonly FakeLeadList leads = new(total: 60);

    private BunitContext NewContext(FakeLeadList? list = null)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton<LeadListService>(list ?? leads);
        ctx.Services.AddSingleton(new SchoolClock(TimeProvider.System, TimeZoneInfo.Utc));
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        return ctx;
    }

    [Fact]
    public async Task The_grid_shows_the_first_page_the_service_returns_and_the_total()
    {
        await using var ctx = NewContext();
        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));
        Assert.Equal(25, page.FindAll("a[id^=lead-link-]").Count);
        Assert.Empty(page.FindAll("#lead-link-26"));
        Assert.Contains("1-25 of 60", page.Markup, StringComparison.Ordinal);
        Assert.Equal("/tasks", page.Find("#my-tasks").GetAttribute("href"));
        var first = Assert.Single(leads.Requests);
        Assert.Equal(0, first.Page);
        Assert.Equal(25, first.PageSize);
        Assert.Equal(LeadColumns.Name, first.Sort);
    }

    [Fact]
    public async Task A_total_beyond_the_count_limit_reads_more_than_ten_thousand()
    {
        await using var ctx = NewContext(new FakeLeadList(total: LeadListService.CountLimit + 1));
        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.Contains("1-25 of more than 10,000", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_next_page_comes_from_the_service_and_its_number_goes_into_the_url()
    {
        await using var ctx = NewContext();
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));

        await page.ClickAsync("button[aria-label='Next page']");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-26")));
        Assert.Equal(1, leads.Requests[^1].Page);
        Assert.EndsWith("/leads?page=2", Navigation(ctx).Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_chip_filters_by_that_status_from_the_first_page()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo("/leads?page=2");
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-26")));

        await page.ClickAsync("#status-filter-2");

        page.WaitForAssertion(() => Assert.Equal(2, leads.Requests[^1].StatusId));
        Assert.Equal(0, leads.Requests[^1].Page);
        Assert.EndsWith("/leads?status=2", Navigation(ctx).Uri, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("#status-filter-2").GetAttribute("data-selected"));
    }

    [Fact]
    public async Task A_saved_filter_chip_filters_from_the_first_page_is_kept_in_the_url_and_a_second_click_takes_it_off()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo("/leads?page=2&status=2");
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#saved-filter-5")));
        Assert.Equal(["Newsletter", "Mine"], page.FindAll("#saved-filters .mud-chip").Select(c => c.TextContent.Trim()));

        await page.ClickAsync("#saved-filter-5");

        page.WaitForAssertion(() => Assert.Equal(5, leads.Requests[^1].FilterId));
        Assert.Equal((0, 2), (leads.Requests[^1].Page, leads.Requests[^1].StatusId));
        Assert.EndsWith("/leads?status=2&filter=5", Navigation(ctx).Uri, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("#saved-filter-5").GetAttribute("data-selected"));

        await page.ClickAsync("#saved-filter-5");

        page.WaitForAssertion(() => Assert.Null(leads.Requests[^1].FilterId));
        Assert.EndsWith("/leads?status=2", Navigation(ctx).Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_filter_in_the_url_is_selected_on_arrival_and_its_broken_conditions_are_warned_about()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo("/leads?filter=6");

        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#saved-filter-broken")));
        Assert.Equal(6, leads.Requests[0].FilterId);
        Assert.Equal("true", page.Find("#saved-filter-6").GetAttribute("data-selected"));
        Assert.Contains("1 condition(s) of the filter “Mine”", page.Find("#saved-filter-broken").TextContent, StringComparison.Ordinal);
        Assert.Equal("/filters/6", page.Find("#saved-filter-repair").GetAttribute("href"));
        Assert.Empty(page.FindAll("#saved-filter-missing"));
    }

    [Fact]
    public async Task A_saved_filter_that_no_longer_exists_is_reported_and_the_list_shows_the_leads_without_it()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo("/leads?filter=99");

        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#saved-filter-missing")));
        Assert.NotNull(page.Find("#lead-link-1"));
        Assert.Empty(page.FindAll("#saved-filters [data-selected=true]"));
    }

    [Fact]
    public async Task The_state_in_the_url_is_what_the_first_request_asks_for()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo($"/leads?page=2&size=50&sort=city&desc=true&status=3&assignee=nobody&q=ros&cols=name,city,cf{CustomFieldId}");

        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(leads.Requests));
        var first = leads.Requests[0];
        Assert.Equal(1, first.Page);
        Assert.Equal(50, first.PageSize);
        Assert.Equal(LeadFields.City.Key, first.Sort);
        Assert.True(first.Descending);
        Assert.Equal(3, first.StatusId);
        Assert.Equal(AssigneeFilter.Nobody, first.Assignee);
        Assert.Equal("ros", first.Search);
        Assert.Equal(["name", "city", $"cf{CustomFieldId}"], first.Columns);
        Assert.Single(leads.Requests);
    }

    [Fact]
    public async Task Visible_custom_columns_show_their_values_in_the_users_culture()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo($"/leads?cols=name,cf{CustomFieldId}");

        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));
        Assert.Contains("Newsletter", page.Find("#leads-grid thead").TextContent, StringComparison.Ordinal);
        var firstRow = page.FindAll("#leads-grid tbody tr")[0];
        Assert.Contains("Yes", firstRow.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clicking_a_sortable_header_asks_for_that_column_and_keeps_it_in_the_url()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo("/leads?cols=name,city");
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));

        await page.ClickAsync(() => page.FindAll("#leads-grid th").Single(th => th.TextContent.Contains("City", StringComparison.Ordinal))
            .QuerySelector(".sortable-column-header")!);

        page.WaitForAssertion(() => Assert.Equal(LeadFields.City.Key, leads.Requests[^1].Sort));
        Assert.False(leads.Requests[^1].Descending);
        Assert.EndsWith("/leads?sort=city&cols=name%2Ccity", Navigation(ctx).Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_grid_heads_every_listed_field_with_its_catalogue_label_and_each_can_be_sorted()
    {
        await using var ctx = NewContext();
        Navigation(ctx).NavigateTo("/leads?cols=" + string.Join(',', LeadFields.Listed.Select(f => f.Key)));
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));

        var headers = page.FindAll("#leads-grid thead th");
        Assert.Equal(LeadFields.Listed.Select(f => SchoolCrm.Web.Features.Leads.LeadFieldLabels.For(f, CultureInfo.CurrentUICulture)), headers.Select(th => th.TextContent.Trim()));
        Assert.All(headers, th => Assert.NotNull(th.QuerySelector(".sortable-column-header")));
    }

    [Fact]
    public async Task The_rows_show_before_a_slow_count_and_the_pager_says_counting_until_it_arrives()
    {
        leads.HoldCounts();
        await using var ctx = NewContext();
        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));
        Assert.Equal(25, page.FindAll("a[id^=lead-link-]").Count);
        Assert.Contains("1-25 of … (counting)", page.Markup, StringComparison.Ordinal);
        Assert.Equal("counting", page.Find("#leads-grid").GetAttribute("data-count"));
        Assert.Null(page.Find("button[aria-label='Next page']").GetAttribute("disabled"));

        leads.ReleaseCounts();

        page.WaitForAssertion(() => Assert.Contains("1-25 of 60", page.Markup, StringComparison.Ordinal));
        Assert.Equal("known", page.Find("#leads-grid").GetAttribute("data-count"));
        Assert.Single(leads.Requests);
        Assert.Single(leads.Counts);
    }

    [Fact]
    public async Task While_counting_the_next_page_opens_and_paging_and_sorting_do_not_count_the_same_filter_again()
    {
        leads.HoldCounts();
        await using var ctx = NewContext();
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));

        await page.ClickAsync("button[aria-label='Next page']");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-26")));
        Assert.Contains("26-50 of … (counting)", page.Markup, StringComparison.Ordinal);
        leads.ReleaseCounts();
        page.WaitForAssertion(() => Assert.Contains("26-50 of 60", page.Markup, StringComparison.Ordinal));

        await page.ClickAsync("button[aria-label='Next page']");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-60")));
        Assert.Contains("51-60 of 60", page.Markup, StringComparison.Ordinal);
        Assert.Single(leads.Counts);
        Assert.Equal(3, leads.Requests.Count);
    }

    [Fact]
    public async Task A_filter_change_cancels_the_old_count_and_never_shows_it_for_the_new_filter()
    {
        leads.HoldCounts();
        await using var ctx = NewContext();
        var page = ctx.Render<LeadListPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#lead-link-1")));
        var first = Assert.Single(leads.Counts);

        await page.ClickAsync("#status-filter-2");

        page.WaitForAssertion(() => Assert.Equal(2, leads.Counts.Count));
        Assert.True(first.Token.IsCancellationRequested);
        Assert.False(leads.Counts[1].Token.IsCancellationRequested);
        Assert.Equal(2, leads.Counts[1].Query.StatusId);
        Assert.Contains("1-25 of … (counting)", page.Markup, StringComparison.Ordinal);

        leads.ReleaseCounts();

        page.WaitForAssertion(() => Assert.Contains("1-25 of 40", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("of 60", page.Markup, StringComparison.Ordinal);
        Assert.Equal([2], leads.Answered);
    }

    [Fact]
    public async Task A_last_page_shorter_than_the_page_gives_the_total_without_counting()
    {
        var small = new FakeLeadList(total: 7);
        await using var ctx = NewContext(small);
        var page = ctx.Render<LeadListPage>();

        page.WaitForAssertion(() => Assert.Contains("1-7 of 7", page.Markup, StringComparison.Ordinal));
        Assert.Equal("known", page.Find("#leads-grid").GetAttribute("data-count"));
        Assert.Empty(small.Counts);
    }

    private static NavigationManager Navigation(BunitContext ctx) => ctx.Services.GetRequiredService<NavigationManager>();

    /// <summary>Sixty leads, paged and filtered only as far as the page needs; remembers every request. The count
    /// answers at once unless a test holds it back with <see cref="HoldCounts"/>.</summary>
    private sealed class FakeLeadList(int total) : LeadListService(null!, null!, null!)
    {
        private readonly object gate = new();
        private TaskCompletionSource? held;

        public List<LeadListQuery> Requests { get; } = [];

        public List<(LeadListQuery Query, CancellationToken Token)> Counts { get; } = [];

        /// <summary>Filters whose count answered (after a held count was released).</summary>
        public List<int?> Answered { get; } = [];

        /// <summary>Counts started from now on wait until <see cref="ReleaseCounts"/>.</summary>
        public void HoldCounts() => held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReleaseCounts() => held?.TrySetResult();

        public override Task<LeadListOptions> GetOptionsAsync(CancellationToken ct = default) => Task.FromResult(new LeadListOptions(
            [new StatusOption(1, "New", "#1E88E5"), new StatusOption(2, "Contacted", "#FB8C00"), new StatusOption(3, "Won", "#FFEB3B")],
            [new AssigneeOption("u1", "Giulia", false)],
            [.. LeadFields.Listed, LeadFields.ForCustomField(CustomFieldId, "Newsletter", CustomFieldType.Checkbox)],
            "u1",
            IsAdmin: true,
            SavedFilters:
            [
                new SavedFilterSummary(5, "Newsletter", "Admin", IsShared: true, DateTime.UtcNow, IsOwn: false, CanEdit: false),
                new SavedFilterSummary(6, "Mine", "Giulia", IsShared: false, DateTime.UtcNow, IsOwn: true, CanEdit: true),
            ]));

        public override Task<LeadListRows> GetRowsAsync(LeadListQuery query, CancellationToken ct = default)
        {
            Requests.Add(query);
            var rows = Enumerable.Range(1, Total(query))
                .Skip(query.Page * query.PageSize)
                .Take(query.PageSize + 1)
                .Select(i => new LeadListRow
                {
                    Id = i,
                    FirstName = "Lead",
                    LastName = i.ToString(CultureInfo.InvariantCulture),
                    City = "City " + i.ToString(CultureInfo.InvariantCulture),
                    StatusId = 1,
                    StatusName = "New",
                    StatusColor = "#1E88E5",
                    CaptureDate = new DateOnly(2026, 1, 2),
                    CustomValues = new Dictionary<int, LeadCustomCell> { [CustomFieldId] = new(null, null, null, true, []) },
                })
                .ToList();
            var saved = query.FilterId switch
            {
                null => null,
                5 => new SavedFilterUse(5, true, "Newsletter", 0),
                6 => new SavedFilterUse(6, true, "Mine", 1),
                var id => new SavedFilterUse(id.Value, false, "", 0),
            };
            var hasMore = rows.Count > query.PageSize;
            return Task.FromResult(new LeadListRows(hasMore ? rows[..query.PageSize] : rows, hasMore, saved));
        }

        public override async Task<int> CountAsync(LeadListQuery query, CancellationToken ct = default)
        {
            Task wait;
            lock (gate)
            {
                Counts.Add((query, ct));
                wait = held?.Task ?? Task.CompletedTask;
            }

            await wait.WaitAsync(ct);
            lock (gate)
            {
                Answered.Add(query.StatusId);
            }

            return Math.Min(Total(query), CountLimit + 1);
        }

        // Status 2 ("Contacted") holds 40 leads, every other filter all of them.
        private int Total(LeadListQuery query) => query.StatusId == 2 ? 40 : total;
    }
}
