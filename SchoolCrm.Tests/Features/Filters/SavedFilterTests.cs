using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.List;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>
/// Saved filters through the real services on the real SQLite file: who sees and changes which filter, what a save
/// refuses, and that the lead list and the export apply a saved filter exactly. Tests share one database, so each
/// saves filters under names of its own.
/// </summary>
public sealed class SavedFilterTests(SavedFilterTests.Leads db) : IClassFixture<SavedFilterTests.Leads>
{
    private const int Admin = 0;
    private const int Olga = 1;
    private const int Otto = 2;

    [Fact]
    public async Task A_private_filter_is_seen_and_changed_by_its_owner_only_and_does_not_exist_for_anyone_else()
    {
        var name = Unique("Mine");
        var id = await Run(Olga, s => s.CreateAsync(name, Ticked()));

        Assert.Contains(await Run(Olga, s => s.ListAsync()), f => f.Id == id && f.IsOwn && f.CanEdit && !f.IsShared && f.OwnerName == "Olga Operator");
        Assert.DoesNotContain(await Run(Otto, s => s.ListAsync()), f => f.Id == id);
        Assert.DoesNotContain(await Run(Admin, s => s.ListAsync()), f => f.Id == id);
        Assert.Equal("stale", (await Assert.ThrowsAsync<DomainException>(() => Run(Otto, s => s.GetAsync(id)))).Code);
        Assert.Equal("stale", (await Assert.ThrowsAsync<DomainException>(() => Run(Admin, s => s.RenameAsync(id, "Taken over")))).Code);
        Assert.Equal("stale", (await Assert.ThrowsAsync<DomainException>(() => Run(Admin, s => s.SetSharedAsync(id, true)))).Code);
        Assert.Equal("stale", (await Assert.ThrowsAsync<DomainException>(() => Run(Otto, s => s.CopyAsync(id)))).Code);
        Assert.Equal(name, (await Run(Olga, s => s.GetAsync(id))).Name);
    }

    [Fact]
    public async Task Only_an_admin_shares_and_a_shared_filter_is_offered_to_everyone_but_changed_by_admins_only()
    {
        var name = Unique("Shared");
        var mine = await Run(Olga, s => s.CreateAsync(Unique("Olga's"), Ticked()));
        Assert.Equal("auth.admin_only", (await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.SetSharedAsync(mine, true)))).Code);
        Assert.Equal("auth.admin_only", (await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.CreateAsync(Unique("x"), Ticked(), shared: true)))).Code);

        var id = await Run(Admin, s => s.CreateAsync(name, Ticked()));
        await Run(Admin, s => s.SetSharedAsync(id, true));

        var seenByOtto = Assert.Single(await Run(Otto, s => s.ListAsync()), f => f.Id == id);
        Assert.True(seenByOtto.IsShared);
        Assert.False(seenByOtto.CanEdit);
        var opened = await Run(Otto, s => s.GetAsync(id));
        Assert.False(opened.CanEdit);
        Assert.Equal("auth.admin_only", (await Assert.ThrowsAsync<DomainException>(() => Run(Otto, s => s.UpdateAsync(id, name, Filter.Empty, opened.Version)))).Code);
        Assert.Equal("auth.admin_only", (await Assert.ThrowsAsync<DomainException>(() => Run(Otto, s => s.RenameAsync(id, "Otto's now")))).Code);
        Assert.Equal("auth.admin_only", (await Assert.ThrowsAsync<DomainException>(() => Run(Otto, s => s.DeleteAsync(id)))).Code);

        await Run(Admin, s => s.SetSharedAsync(id, false));
        Assert.DoesNotContain(await Run(Otto, s => s.ListAsync()), f => f.Id == id);
    }

    [Fact]
    public async Task An_operator_copies_a_shared_filter_into_a_private_one_they_can_change()
    {
        var name = Unique("Open day");
        var shared = await Run(Admin, s => s.CreateAsync(name, Ticked(), shared: true));

        var copy = await Run(Otto, s => s.CopyAsync(shared));
        var second = await Run(Otto, s => s.CopyAsync(shared));

        var copied = await Run(Otto, s => s.GetAsync(copy));
        Assert.Equal((name + " (2)", false, true, true), (copied.Name, copied.IsShared, copied.IsOwn, copied.CanEdit));
        Assert.Equal(FilterJson.Write(Ticked()), FilterJson.Write(copied.Filter));
        Assert.Equal(name + " (3)", (await Run(Otto, s => s.GetAsync(second))).Name);
        await Run(Otto, s => s.UpdateAsync(copy, "Otto's open day " + name, Filter.Empty, copied.Version));
        Assert.Equal(FilterJson.Write(Ticked()), FilterJson.Write((await Run(Admin, s => s.GetAsync(shared))).Filter));
    }

    [Fact]
    public async Task A_filter_with_a_condition_that_cannot_run_is_refused_and_nothing_is_saved()
    {
        var name = Unique("Broken");
        var notADate = new Filter(FilterGroup.AllOf(FilterCondition.Of("captured", FilterOperators.On, "31.02.2026")));
        var reversed = new Filter(FilterGroup.AllOf(FilterCondition.Of("captured", FilterOperators.Between, new[] { "2026-12-31", "2026-01-01" })));
        var deletedStatus = new Filter(FilterGroup.AllOf(FilterCondition.Of("status", FilterOperators.AnyOf, new[] { 999_999 })));

        foreach (var filter in new[] { notADate, reversed, deletedStatus })
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.CreateAsync(name, filter)));
            Assert.Equal(SavedFilterService.ConditionsInvalidCode, error.Code);
        }

        var id = await Run(Olga, s => s.CreateAsync(name, Ticked()));
        var version = (await Run(Olga, s => s.GetAsync(id))).Version;
        await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.UpdateAsync(id, name, notADate, version)));
        Assert.Equal(FilterJson.Write(Ticked()), FilterJson.Write((await Run(Olga, s => s.GetAsync(id))).Filter));
        Assert.Single(await Run(Olga, s => s.ListAsync()), f => f.Name == name);
    }

    [Fact]
    public async Task Names_are_unique_per_owner_and_among_shared_filters_ignoring_case()
    {
        var name = Unique("Newsletter");
        await Run(Olga, s => s.CreateAsync(name, Ticked()));

        var again = await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.CreateAsync(" " + name.ToUpperInvariant() + " ", Ticked())));
        var ottosOwn = await Run(Otto, s => s.CreateAsync(name, Ticked()));
        var shared = await Run(Admin, s => s.CreateAsync(name, Ticked(), shared: true));
        var adminsSecond = await Run(Admin, s => s.CreateAsync(name + " b", Ticked()));
        await Run(Admin, s => s.RenameAsync(adminsSecond, name.ToLowerInvariant() + " B"));
        var secondShared = await Assert.ThrowsAsync<DomainException>(() => Run(Admin, s => s.RenameAsync(adminsSecond, name)));

        Assert.Equal(("name.duplicate", "Name"), (again.Code, again.Field));
        Assert.NotEqual(ottosOwn, shared);
        Assert.Equal("name.duplicate", secondShared.Code);
        Assert.Equal("name.required", (await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.CreateAsync("  ", Ticked())))).Code);
        Assert.Equal("name.too_long", (await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.CreateAsync(new string('x', SavedFilter.NameMaxLength + 1), Ticked())))).Code);
    }

    [Fact]
    public async Task Saving_over_a_version_someone_else_saved_meanwhile_is_refused_as_stale()
    {
        var name = Unique("Race");
        var id = await Run(Admin, s => s.CreateAsync(name, Ticked(), shared: true));
        var opened = await Run(Admin, s => s.GetAsync(id));
        await Run(Admin, s => s.UpdateAsync(id, name, Filter.Empty, opened.Version));

        var error = await Assert.ThrowsAsync<DomainException>(() => Run(Admin, s => s.UpdateAsync(id, name + " mine", Ticked(), opened.Version)));

        Assert.Equal("stale", error.Code);
        Assert.Equal(name, (await Run(Admin, s => s.GetAsync(id))).Name);
    }

    [Fact]
    public async Task A_deleted_filter_is_gone_for_its_owner_and_a_link_to_it_shows_the_list_without_it()
    {
        var id = await Run(Olga, s => s.CreateAsync(Unique("Short-lived"), Ticked()));
        await Run(Olga, s => s.DeleteAsync(id));

        Assert.DoesNotContain(await Run(Olga, s => s.ListAsync()), f => f.Id == id);
        var page = await Page(Olga, new LeadListQuery { FilterId = id, Search = db.Marker });
        Assert.Equal(new SavedFilterUse(id, false, "", 0), page.SavedFilter);
        Assert.Equal(db.AllNames, Names(page));
    }

    [Fact]
    public async Task The_list_shows_exactly_the_leads_of_the_filter_combined_with_status_and_search()
    {
        var id = await Run(Admin, s => s.CreateAsync(Unique("Newsletter or Bolzano"), db.NewsletterOrBolzano(), shared: true));

        var all = await Page(Otto, new LeadListQuery { FilterId = id, Search = db.Marker });
        var withStatus = await Page(Otto, new LeadListQuery { FilterId = id, Search = db.Marker, StatusId = db.StatusIds[1] });
        var searched = await Page(Otto, new LeadListQuery { FilterId = id, Search = db.Marker + " bruno" });

        Assert.Equal(["Anna", "Bruno", "Carla"], Names(all));
        Assert.Equal(3, all.TotalCount);
        Assert.Equal(new SavedFilterUse(id, true, (await Run(Otto, s => s.GetAsync(id))).Name, 0), all.SavedFilter);
        Assert.Equal(["Bruno", "Carla"], Names(withStatus));
        Assert.Equal(["Bruno"], Names(searched));
        Assert.Contains((await Run(Otto, s => s.GetOptionsAsync())).SavedFilters, f => f.Id == id);
    }

    [Fact]
    public async Task Me_in_a_filter_is_whoever_uses_it()
    {
        var mine = new Filter(FilterGroup.AllOf(FilterCondition.Of("assignee", FilterOperators.AnyOf, new[] { FilterOperators.Me })));
        var id = await Run(Admin, s => s.CreateAsync(Unique("Assigned to me"), mine, shared: true));

        Assert.Equal(["Anna"], Names(await Page(Olga, new LeadListQuery { FilterId = id, Search = db.Marker })));
        Assert.Equal(["Bruno"], Names(await Page(Otto, new LeadListQuery { FilterId = id, Search = db.Marker })));
    }

    [Fact]
    public async Task A_filter_naming_a_deleted_option_still_opens_marks_the_condition_and_the_list_applies_the_rest_with_a_warning()
    {
        var choice = db.Field(CustomFieldType.SingleChoice);
        var doomed = await db.NewOptionAsync(choice.Id, Unique("Doomed"));
        var filter = new Filter(FilterGroup.AllOf(
            db.NewsletterTicked(),
            FilterCondition.Of(LeadFields.ForCustomField(choice).Key, FilterOperators.AnyOf, new[] { doomed })));
        var id = await Run(Olga, s => s.CreateAsync(Unique("With an option"), filter));
        await db.DeleteOptionAsync(doomed);

        var opened = await Run(Olga, s => s.GetAsync(id));
        var page = await Page(Olga, new LeadListQuery { FilterId = id, Search = db.Marker });

        Assert.Equal(FilterJson.Write(filter), FilterJson.Write(opened.Filter));
        Assert.Equal(FilterProblems.OptionUnknown, Assert.Single(opened.Checked.Broken).Problem);
        Assert.Equal(1, page.SavedFilter?.BrokenConditions);
        Assert.Equal(["Anna", "Bruno"], Names(page));
    }

    [Fact]
    public async Task The_export_of_the_list_holds_exactly_the_leads_of_its_saved_filter()
    {
        var id = await Run(Olga, s => s.CreateAsync(Unique("To export"), db.NewsletterOrBolzano()));

        await using var scope = db.As(Olga);
        var export = scope.ServiceProvider.GetRequiredService<LeadExportService>();
        var file = await export.ExportAsync(["FirstName"], new LeadListQuery { FilterId = id, Search = db.Marker }, null, CancellationToken.None);

        Assert.Equal(["Anna", "Bruno", "Carla"], ImportTestKit.ReadSheet(file.Path).Skip(1).Select(r => (string)r[0]!).Order(StringComparer.Ordinal));
        Assert.Equal(3, file.Rows);
    }

    [Fact]
    public async Task The_preview_counts_the_matching_leads_and_lists_the_first_ten_by_name_without_saving_anything()
    {
        var before = (await Run(Olga, s => s.ListAsync())).Count;

        var preview = await Run(Olga, s => s.PreviewAsync(new Filter(FilterGroup.AllOf(
            FilterCondition.Of("lastname", FilterOperators.Is, db.Marker)))));
        var narrowed = await Run(Olga, s => s.PreviewAsync(db.NewsletterOrBolzano()));

        Assert.Equal(db.AllNames.Count, preview.Count);
        Assert.Equal(db.AllNames, preview.First.Select(l => l.Name.Split(' ')[0]));
        Assert.True(narrowed.Count >= 3);
        Assert.Equal(before, (await Run(Olga, s => s.ListAsync())).Count);
    }

    [Fact]
    public async Task A_filter_deeper_than_the_json_allows_is_refused_with_its_code()
    {
        FilterNode node = db.NewsletterTicked();
        for (var i = 0; i < 7; i++)
        {
            node = FilterGroup.AnyOf(node);
        }

        var error = await Assert.ThrowsAsync<DomainException>(() => Run(Olga, s => s.CreateAsync(Unique("Deep"), new Filter(FilterGroup.AllOf(node)))));

        Assert.Equal("filter.too_deep", error.Code);
    }

    private static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..6];

    private Filter Ticked() => new(FilterGroup.AllOf(db.NewsletterTicked()));

    private static List<string> Names(LeadListResult page) => [.. page.Rows.Select(r => r.FirstName).Order(StringComparer.Ordinal)];

    private async Task<T> Run<T>(int user, Func<SavedFilterService, Task<T>> action)
    {
        await using var scope = db.As(user);
        return await action(scope.ServiceProvider.GetRequiredService<SavedFilterService>());
    }

    private async Task Run(int user, Func<SavedFilterService, Task> action)
    {
        await using var scope = db.As(user);
        await action(scope.ServiceProvider.GetRequiredService<SavedFilterService>());
    }

    private async Task<T> Run<T>(int user, Func<LeadListService, Task<T>> action)
    {
        await using var scope = db.As(user);
        return await action(scope.ServiceProvider.GetRequiredService<LeadListService>());
    }

    private Task<LeadListResult> Page(int user, LeadListQuery query) => Run(user, (LeadListService s) => s.GetPageAsync(query));

    /// <summary>
    /// Five leads whose last name is <see cref="Marker"/>, so a search finds just them: Anna (newsletter, Olga's),
    /// Bruno (newsletter, second status, Otto's), Carla (Bolzano, second status), Dario and Ema (neither).
    /// </summary>
    public sealed class Leads : FilterDatabase
    {
        public string Marker { get; } = "Filtertest";

        public IReadOnlyList<string> AllNames { get; } = ["Anna", "Bruno", "Carla", "Dario", "Ema"];

        public FilterCondition NewsletterTicked() => FilterCondition.Of(LeadFields.ForCustomField(Field(CustomFieldType.Checkbox)).Key, FilterOperators.Ticked);

        public Filter NewsletterOrBolzano() => new(FilterGroup.AnyOf(NewsletterTicked(), FilterCondition.Of("city", FilterOperators.Is, "bolzano")));

        public async Task<int> NewOptionAsync(int fieldId, string label)
        {
            await using var db = Db();
            var field = await db.CustomFields.Include(f => f.Options).SingleAsync(f => f.Id == fieldId);
            var option = field.AddOption(label);
            await db.SaveChangesAsync();
            return option.Id;
        }

        public async Task DeleteOptionAsync(int optionId)
        {
            await using var db = Db();
            await db.CustomFieldOptions.Where(o => o.Id == optionId).ExecuteDeleteAsync();
        }

        protected override async Task SeedAsync()
        {
            var created = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
            var newsletter = Field(CustomFieldType.Checkbox).Id;
            Lead New(string name, int status, string? assignee, string? city = null, bool? ticked = null) => NewLead(
                new PersonDetails { FirstName = name, LastName = Marker, City = city, CaptureDate = Today.AddDays(-30) },
                StatusIds[status], assignee, UserIds[0], created, ticked is { } t ? [CustomValueInput.OfCheckbox(newsletter, t)] : []);

            await AddAsync(
            [
                New("Anna", 0, UserIds[1], ticked: true),
                New("Bruno", 1, UserIds[2], ticked: true),
                New("Carla", 1, null, city: "Bolzano", ticked: false),
                New("Dario", 2, null, city: "Merano"),
                New("Ema", 0, null),
            ]);
        }
    }
}
