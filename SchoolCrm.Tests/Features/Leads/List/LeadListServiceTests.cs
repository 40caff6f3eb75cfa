using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Tests.Features.Leads.List;

/// <summary>The list query against the real app and a database holding known leads (set up once for the class).</summary>
public sealed class LeadListServiceTests(LeadListServiceTests.KnownLeads data) : IClassFixture<LeadListServiceTests.KnownLeads>
{
    [Fact]
    public async Task Converted_leads_are_never_listed_and_the_count_is_every_lead_still_in_the_crm()
    {
        var result = await data.ListAsync(new LeadListQuery { PageSize = 100 });

        Assert.Equal(KnownLeads.InCrm, result.TotalCount);
        Assert.Equal(KnownLeads.InCrm, result.Rows.Count);
        Assert.DoesNotContain(result.Rows, r => r.LastName == "Converted");
        Assert.Equal(0, (await data.ListAsync(new LeadListQuery { Search = "Converted" })).TotalCount);
    }

    [Fact]
    public async Task Beyond_ten_thousand_matches_the_list_stops_counting_and_says_more_than_that()
    {
        await using var app = new CrmAppFactory();
        await DemoData.SeedAsync(app.Services, LeadListService.CountLimit + 50);
        await using var scope = app.Services.CreateScopeAs(await app.Services.FindUserAsync(CrmAppFactory.AdminEmail), isAdmin: true);
        var list = scope.ServiceProvider.GetRequiredService<LeadListService>();

        var all = await list.GetPageAsync(new LeadListQuery());

        Assert.Equal(LeadListService.CountLimit + 1, all.TotalCount);
        Assert.Equal(25, all.Rows.Count);
    }

    [Fact]
    public async Task A_capped_count_counts_up_to_one_past_the_limit_and_no_further()
    {
        await using var db = await data.DbAsync();
        var inCrm = LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery(), "nobody");

        Assert.Equal(11, await LeadListService.CountUpToAsync(inCrm, 10, default));
        Assert.Equal(KnownLeads.InCrm, await LeadListService.CountUpToAsync(inCrm, KnownLeads.InCrm, default));
    }

    [Fact]
    public async Task Pages_follow_each_other_without_gaps_or_overlaps_and_report_the_same_total()
    {
        var first = await data.ListAsync(new LeadListQuery { Page = 0, PageSize = 25 });
        var second = await data.ListAsync(new LeadListQuery { Page = 1, PageSize = 25 });

        Assert.Equal(25, first.Rows.Count);
        Assert.Equal(KnownLeads.InCrm - 25, second.Rows.Count);
        Assert.Equal(KnownLeads.InCrm, first.TotalCount);
        Assert.Equal(KnownLeads.InCrm, second.TotalCount);
        Assert.Equal(KnownLeads.InCrm, first.Rows.Concat(second.Rows).Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task The_rows_without_the_count_are_the_pages_rows_and_say_whether_another_page_follows_and_the_count_is_the_pages_total()
    {
        var sortByBudget = LeadColumns.ForCustomField(data.BudgetId);
        LeadListQuery[] queries =
        [
            new() { Page = 0 },
            new() { Page = 1 },
            new() { Page = 0, Sort = sortByBudget, Descending = true },
            new() { Page = 1, Sort = sortByBudget },
            new() { StatusId = data.ContactedId },
        ];
        await using var scope = await data.AdminScopeAsync();
        var list = scope.ServiceProvider.GetRequiredService<LeadListService>();

        foreach (var query in queries)
        {
            var page = await list.GetPageAsync(query);
            var rows = await list.GetRowsAsync(query);

            Assert.Equal(page.Rows.Select(r => r.Id), rows.Rows.Select(r => r.Id));
            Assert.Equal((query.Page + 1) * query.PageSize < page.TotalCount, rows.HasMore);
            Assert.Equal(page.TotalCount, await list.CountAsync(query));
        }

        Assert.True((await list.GetRowsAsync(new LeadListQuery { Page = 0 })).HasMore);
        Assert.False((await list.GetRowsAsync(new LeadListQuery { Page = 1 })).HasMore);
    }

    [Fact]
    public async Task A_page_size_that_is_not_offered_falls_back_to_25()
    {
        var result = await data.ListAsync(new LeadListQuery { PageSize = 1000 });

        Assert.Equal(25, result.Rows.Count);
    }

    [Fact]
    public async Task The_status_filter_lists_only_leads_with_that_status()
    {
        var result = await data.ListAsync(new LeadListQuery { StatusId = data.ContactedId });

        Assert.Equal(["Anna", "Sofia"], result.Rows.Select(r => r.FirstName).Order());
        Assert.Equal(2, result.TotalCount);
        Assert.All(result.Rows, r => Assert.Equal("Contacted", r.StatusName));
    }

    [Fact]
    public async Task Me_lists_the_signed_in_users_leads()
    {
        var result = await data.ListAsync(new LeadListQuery { Assignee = AssigneeFilter.Me });

        Assert.Equal(["Sofia"], result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Nobody_lists_the_unassigned_leads()
    {
        var result = await data.ListAsync(new LeadListQuery { Assignee = AssigneeFilter.Nobody, PageSize = 100 });

        Assert.Equal(KnownLeads.FillerCount + 1, result.TotalCount);
        Assert.All(result.Rows, r => Assert.Null(r.AssignedToUserId));
        Assert.Contains(result.Rows, r => r.FirstName == "Lukas");
    }

    [Fact]
    public async Task A_person_lists_that_persons_leads_and_shows_their_name()
    {
        var result = await data.ListAsync(new LeadListQuery { Assignee = AssigneeFilter.User(data.AnnaOperatorId) });

        var mario = Assert.Single(result.Rows);
        Assert.Equal("Mario", mario.FirstName);
        Assert.Equal("Anna Operator", mario.AssignedToName);
    }

    [Fact]
    public async Task Anyone_lists_every_lead_whoever_it_is_assigned_to()
    {
        var result = await data.ListAsync(new LeadListQuery { Assignee = AssigneeFilter.Anyone });

        Assert.Equal(KnownLeads.InCrm, result.TotalCount);
    }

    [Theory]
    [InlineData("mario", "Mario")]              // first name, other case
    [InlineData("BIANCHI", "Anna")]             // last name
    [InlineData("gmbh", "Lukas")]               // company
    [InlineData("sofia_v@", "Sofia")]           // e-mail; "_" is literal, so sofiaXv@ does not match
    [InlineData("+49 30", "Lukas")]             // phone
    [InlineData("347 55", "Anna")]              // mobile
    [InlineData("rssmra", "Mario")]             // tax code
    [InlineData("100%", "Percy")]               // "%" is literal, so "1000 Club" does not match
    [InlineData("  mario   rossi ", "Mario")]   // every word must match somewhere
    public async Task Quick_search_finds_each_searched_field_and_takes_the_text_literally(string search, string expectedFirstName)
    {
        var result = await data.ListAsync(new LeadListQuery { Search = search });

        Assert.Equal([expectedFirstName], result.Rows.Select(r => r.FirstName));
        Assert.Equal(1, result.TotalCount);
    }

    [Fact]
    public async Task Search_words_that_do_not_all_match_one_lead_find_nothing()
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "mario bianchi" });

        Assert.Equal(0, result.TotalCount);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public async Task Filters_and_search_combine()
    {
        var result = await data.ListAsync(new LeadListQuery { StatusId = data.NewId, Search = "example", Assignee = AssigneeFilter.Nobody });

        Assert.Equal(["Lukas"], result.Rows.Select(r => r.FirstName));
    }

    [Theory]
    [InlineData(false, new[] { "Bianchi", "Müller", "Rossi", "Verdi" })]
    [InlineData(true, new[] { "Verdi", "Rossi", "Müller", "Bianchi" })]
    public async Task Sorting_by_name_orders_by_last_name(bool descending, string[] expected)
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadColumns.Name, Descending = descending });

        Assert.Equal(expected, result.Rows.Select(r => r.LastName));
    }

    [Fact]
    public async Task Sorting_by_status_follows_the_configured_status_order()
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadFields.Status.Key });

        Assert.Equal(["New", "New", "Contacted", "Contacted"], result.Rows.Select(r => r.StatusName));
    }

    [Fact]
    public async Task Sorting_by_assignee_orders_by_their_names_with_unassigned_leads_first()
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadFields.AssignedTo.Key });

        // Lukas has nobody; then "Administrator", "Anna Operator", "Bruno Operator".
        Assert.Equal(["Lukas", "Sofia", "Mario", "Anna"], result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Sorting_by_company_puts_leads_without_one_first_ascending()
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadFields.CompanyName.Key });

        Assert.Equal([null, null, "Müller GmbH", "Rossi Srl"], result.Rows.Select(r => r.CompanyName));
    }

    [Theory]
    [InlineData(false, new[] { "Sofia", "Anna", "Lukas", "Mario" })]
    [InlineData(true, new[] { "Mario", "Lukas", "Anna", "Sofia" })]
    public async Task Sorting_by_a_number_custom_field_orders_by_its_value_and_empty_values_first(bool descending, string[] expected)
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadColumns.ForCustomField(data.BudgetId), Descending = descending });

        Assert.Equal(expected, result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Sorting_by_a_single_choice_field_follows_the_options_order_not_the_labels()
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadColumns.ForCustomField(data.CourseId) });

        // Options: "Zeta" first, "Alpha" second. Lukas and Sofia have none and come first, in id order.
        Assert.Equal(["Lukas", "Sofia", "Anna", "Mario"], result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Sorting_by_a_text_custom_field_orders_by_the_text()
    {
        var result = await data.ListAsync(new LeadListQuery { Search = "example", Sort = LeadColumns.ForCustomField(data.SourceId), Descending = true });

        // Website, Friend, Flyer, then Sofia without a value.
        Assert.Equal(["Anna", "Lukas", "Mario", "Sofia"], result.Rows.Select(r => r.FirstName));
    }

    [Fact]
    public async Task Visible_custom_columns_come_with_their_values_and_hidden_ones_do_not()
    {
        var columns = new[] { LeadColumns.Name, LeadColumns.ForCustomField(data.BudgetId), LeadColumns.ForCustomField(data.InterestsId) };

        var shown = await data.ListAsync(new LeadListQuery { Search = "rossi srl", Columns = columns });
        var hidden = await data.ListAsync(new LeadListQuery { Search = "rossi srl" });

        var mario = Assert.Single(shown.Rows);
        Assert.Equal(300, mario.CustomValues[data.BudgetId].Number);
        Assert.Equal(["Music", "Art"], mario.CustomValues[data.InterestsId].Options);
        Assert.False(mario.CustomValues.ContainsKey(data.CourseId));
        Assert.Empty(Assert.Single(hidden.Rows).CustomValues);
    }

    [Fact]
    public async Task The_options_offer_statuses_in_order_active_users_and_the_active_custom_fields_as_columns()
    {
        await using var scope = await data.AdminScopeAsync();
        var options = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetOptionsAsync();

        Assert.Equal(["New", "Contacted", "Interested", "Not interested"], options.Statuses.Select(s => s.Name));
        Assert.Contains(options.Assignees, a => a.DisplayName == "Anna Operator");
        Assert.Contains(options.Columns, c => c.CustomFieldId == data.BudgetId && c.IsSortable);
        Assert.Contains(options.Columns, c => c.CustomFieldId == data.InterestsId && !c.IsSortable);
        Assert.DoesNotContain(options.Columns, c => c.CustomFieldName == "Archived field");
        Assert.True(options.IsAdmin);
    }

    /// <summary>
    /// Four people with every searched field, one lead that became a student, a lead with "100%" in its company,
    /// and filler leads (one of them a decoy for the escaping of "_" and "%").
    /// </summary>
    public sealed class KnownLeads : IAsyncLifetime
    {
        public const int FillerCount = 30;
        public const int InCrm = 4 + 1 + FillerCount;

        private readonly CrmAppFactory app = new();

        public int NewId { get; private set; }

        public int ContactedId { get; private set; }

        public string AnnaOperatorId { get; private set; } = "";

        public int BudgetId { get; private set; }

        public int CourseId { get; private set; }

        public int SourceId { get; private set; }

        public int InterestsId { get; private set; }

        private AppUser admin = default!;

        public async Task InitializeAsync()
        {
            admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
            var anna = await app.Services.CreateUserAsync("anna.op@school.test", Roles.Operator, "Anna Operator");
            var bruno = await app.Services.CreateUserAsync("bruno.op@school.test", Roles.Operator, "Bruno Operator");
            AnnaOperatorId = anna.Id;

            var factory = app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var statuses = await db.LeadStatuses.ToDictionaryAsync(s => s.Name, s => s.Id);
            NewId = statuses["New"];
            ContactedId = statuses["Contacted"];

            var budget = new CustomField("Budget", CustomFieldType.Number, 0, false);
            var course = new CustomField("Course", CustomFieldType.SingleChoice, 1, false);
            course.AddOption("Zeta");
            course.AddOption("Alpha");
            var source = new CustomField("Source", CustomFieldType.Text, 2, false);
            var interests = new CustomField("Interests", CustomFieldType.MultipleChoice, 3, false);
            interests.AddOption("Music");
            interests.AddOption("Sports");
            interests.AddOption("Art");
            var archived = new CustomField("Archived field", CustomFieldType.Text, 4, false);
            archived.Archive();
            db.CustomFields.AddRange(budget, course, source, interests, archived);
            await db.SaveChangesAsync();
            (BudgetId, CourseId, SourceId, InterestsId) = (budget.Id, course.Id, source.Id, interests.Id);

            var now = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
            Lead Person(string first, string last, string? company, string? email, string? phone, string? mobile, string? taxCode, int status, string? assignee) =>
                Lead.Create(
                    new PersonDetails { FirstName = first, LastName = last, CompanyName = company, Email = email, Phone = phone, Mobile = mobile, TaxCode = taxCode, CaptureDate = new DateOnly(2026, 3, 1) },
                    status, assignee, admin.Id, now);

            var mario = Person("Mario", "Rossi", "Rossi Srl", "mario@example.it", "+39 02 111", "+39 333 1", "RSSMRA80A01H501U", NewId, anna.Id);
            mario.CustomValues.AddRange([
                CustomFieldValue.Number(BudgetId, 300), CustomFieldValue.Option(CourseId, course.Options[1].Id), CustomFieldValue.Text(SourceId, "Flyer"),
                CustomFieldValue.Option(InterestsId, interests.Options[2].Id), CustomFieldValue.Option(InterestsId, interests.Options[0].Id)]);
            var annaLead = Person("Anna", "Bianchi", null, "anna.b@example.it", null, "+39 347 555", null, ContactedId, bruno.Id);
            annaLead.CustomValues.AddRange([CustomFieldValue.Number(BudgetId, 100), CustomFieldValue.Option(CourseId, course.Options[0].Id), CustomFieldValue.Text(SourceId, "Website")]);
            var lukas = Person("Lukas", "Müller", "Müller GmbH", "lukas@example.de", "+49 30 999", null, null, NewId, null);
            lukas.CustomValues.AddRange([CustomFieldValue.Number(BudgetId, 200), CustomFieldValue.Text(SourceId, "Friend")]);
            var sofia = Person("Sofia", "Verdi", null, "sofia_v@example.it", null, null, null, ContactedId, admin.Id);
            var percy = Person("Percy", "Club", "100% Sport", null, null, null, null, NewId, bruno.Id);
            var converted = Person("Mario", "Converted", null, "converted@example.it", null, null, null, NewId, anna.Id);
            converted.MarkConverted(admin.Id, now);
            db.Leads.AddRange(mario, annaLead, lukas, sofia, percy, converted);
            await db.SaveChangesAsync();

            var statusIds = statuses.Values.ToList();
            for (var i = 0; i < FillerCount; i++)
            {
                var number = i.ToString("D2", CultureInfo.InvariantCulture);
                var filler = Person("Filler", "Lead " + number, i == 0 ? "1000 Club" : null, i == 1 ? "sofiaXv@decoy.test" : null, null, null, null, statuses["Interested"], null);
                db.Leads.Add(filler);
            }

            await db.SaveChangesAsync();
        }

        public async Task<CrmDbContext> DbAsync() => await app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

        public async Task<AsyncServiceScope> AdminScopeAsync() => await Task.FromResult(app.Services.CreateScopeAs(admin, isAdmin: true));

        public async Task<LeadListResult> ListAsync(LeadListQuery query)
        {
            await using var scope = app.Services.CreateScopeAs(admin, isAdmin: true);
            return await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(query);
        }

        public async Task DisposeAsync() => await app.DisposeAsync();
    }
}
