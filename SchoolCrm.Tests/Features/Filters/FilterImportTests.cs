using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Import;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>"Imported by" and "has comments" over leads that real imports and the lead service made.</summary>
public sealed class FilterImportTests
{
    private static readonly string[] Headers = ["First name", "E-mail"];

    [Fact]
    public async Task Imported_by_picks_the_leads_an_import_brought_in_not_those_a_later_import_updated()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var first = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Anna", "anna@school.test"], ["Bruno", "bruno@school.test"]));
        var second = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Anna Maria", "anna@school.test"], ["Carla", "carla@school.test"]), DuplicatePolicy.Update);
        Assert.Equal((2, 0, 1, 1), (first.Created, first.Updated, second.Created, second.Updated));

        Assert.Equal("Anna Maria,Bruno", await NamesAsync(kit, FilterCondition.Of("import", FilterOperators.AnyOf, new[] { first.Id })));
        Assert.Equal("Carla", await NamesAsync(kit, FilterCondition.Of("import", FilterOperators.AnyOf, new[] { second.Id })));
        Assert.Equal("Carla", await NamesAsync(kit, FilterCondition.Of("import", FilterOperators.NoneOf, new[] { first.Id })));
    }

    [Fact]
    public async Task An_undone_import_is_a_broken_reference_and_the_rest_of_the_filter_still_runs()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var kept = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Anna", "anna@school.test"]));
        var undone = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Bruno", "bruno@school.test"]));
        await using (var scope = kit.As(kit.Operator))
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<LeadImportService>().UndoAsync(undone.Id, CancellationToken.None));
        }

        var filter = new Filter(FilterGroup.AnyOf(
            FilterCondition.Of("import", FilterOperators.AnyOf, new[] { undone.Id }),
            FilterCondition.Of("import", FilterOperators.AnyOf, new[] { kept.Id })));
        var check = FilterCheck.Check(filter, await CatalogueAsync(kit));

        Assert.Equal(FilterProblems.ImportUnknown, Assert.Single(check.Broken).Problem);
        Assert.Equal(undone.Id, Assert.Single(check.Broken).Source.Value!.Value[0].GetInt32());
        Assert.Equal("Anna", await NamesAsync(kit, filter));
    }

    [Fact]
    public async Task The_builder_offers_the_completed_imports_newest_first_and_not_an_undone_one()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var spring = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Anna", "anna@school.test"]));
        var fair = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Bruno", "bruno@school.test"], ["Carla", "carla@school.test"]));
        var undone = await kit.ImportFileAsync(kit.Xlsx(Headers, ["Dario", "dario@school.test"]));
        await using var scope = kit.As(kit.Operator);
        await scope.ServiceProvider.GetRequiredService<LeadImportService>().UndoAsync(undone.Id, CancellationToken.None);

        var options = await scope.ServiceProvider.GetRequiredService<SavedFilterService>().GetBuilderOptionsAsync();

        Assert.Equal([fair.Id, spring.Id], options.Imports.Select(i => i.Id));
        Assert.Equal([2, 1], options.Imports.Select(i => i.Created));
        Assert.Equal(fair.FileName, options.Imports[0].FileName);
        Assert.True(options.Catalogue.HasImport(spring.Id));
        Assert.False(options.Catalogue.HasImport(undone.Id));
        Assert.Contains(options.Catalogue.Fields, f => f.Key == "import");
    }

    [Fact]
    public async Task A_comment_written_on_the_lead_page_makes_its_lead_match_has_comments()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(Headers, ["Anna", "anna@school.test"], ["Bruno", "bruno@school.test"]));
        await using (var scope = kit.As(kit.Operator))
        {
            await using var db = await kit.DbAsync();
            var bruno = await db.Leads.Where(l => l.FirstName == "Bruno").Select(l => l.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<LeadService>().AddCommentAsync(bruno, "Called, call again Monday");
        }

        Assert.Equal("Bruno", await NamesAsync(kit, FilterCondition.Of("comments", FilterOperators.Ticked)));
        Assert.Equal("Bruno", await NamesAsync(kit, FilterCondition.Of("lastcomment", FilterOperators.Today)));
        Assert.Equal("Anna", await NamesAsync(kit, FilterCondition.Of("comments", FilterOperators.NotTicked)));
    }

    private static Task<string> NamesAsync(ImportTestKit kit, FilterCondition condition) => NamesAsync(kit, new Filter(FilterGroup.AllOf(condition)));

    // The lead list's way: the CRM's leads, the filter checked against the catalogue as it is now.
    private static async Task<string> NamesAsync(ImportTestKit kit, Filter filter)
    {
        var check = FilterCheck.Check(filter, await CatalogueAsync(kit));
        var clock = kit.App.Services.GetRequiredService<SchoolClock>();
        var context = new FilterContext(kit.Operator.Id, clock.UtcNow, clock.Zone);
        await using var db = await kit.DbAsync();
        var names = await db.Leads.Where(l => l.ConvertedAt == null).Where(FilterExpressions.ToExpression(check, context))
            .OrderBy(l => l.FirstName).Select(l => l.FirstName).ToListAsync();
        return string.Join(',', names);
    }

    // The saved filters' own catalogue, as the list, the preview and every save check with it.
    private static async Task<FilterCatalogue> CatalogueAsync(ImportTestKit kit)
    {
        await using var db = await kit.DbAsync();
        return await SavedFilterService.LoadCatalogueAsync(db, CancellationToken.None);
    }
}
