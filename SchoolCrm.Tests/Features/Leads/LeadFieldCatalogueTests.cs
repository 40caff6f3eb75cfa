using System.Globalization;
using System.Linq.Expressions;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Hosting;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Features.Leads;

/// <summary>
/// The list, its sorts, the export and the import take their fields from the catalogue and nowhere else: against the
/// real app with custom fields of every type (set up once for the class).
/// </summary>
public sealed class LeadFieldCatalogueTests(LeadFieldCatalogueTests.Fixture data) : IClassFixture<LeadFieldCatalogueTests.Fixture>
{
    // Every language's file, so a new language must label every field too.
    public static TheoryData<string> LeadsTextFiles() => new(LeadsTextFileNames());

    private static List<string> LeadsTextFileNames()
    {
        var folder = Path.Combine(ResourceFilesTests.RepositoryRoot(), "SchoolCrm.Web", "Features", "Leads");
        return [.. Directory.EnumerateFiles(folder, "LeadsText*.resx").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void The_labels_exist_in_english_and_german_at_least()
    {
        var files = LeadsTextFileNames();
        Assert.Contains("LeadsText.resx", files);
        Assert.Contains("LeadsText.de.resx", files);
    }

    [Theory]
    [MemberData(nameof(LeadsTextFiles))]
    public void Every_catalogue_field_has_a_label_in_every_language(string file)
    {
        var path = Path.Combine(ResourceFilesTests.RepositoryRoot(), "SchoolCrm.Web", "Features", "Leads", file);
        var labels = XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value"));

        Assert.All(LeadFields.Standard.Concat(LeadFields.FilterOnly), field =>
        {
            Assert.True(labels.TryGetValue(field.LabelKey!, out var label), $"{file} has no {field.LabelKey}");
            Assert.False(string.IsNullOrWhiteSpace(label));
        });
    }

    [Fact]
    public void Labels_are_read_in_the_language_asked_for()
    {
        Assert.Equal("Date of birth", LeadFieldLabels.For(LeadFields.DateOfBirth, CultureInfo.GetCultureInfo("en")));
        Assert.Equal("Geburtsdatum", LeadFieldLabels.For(LeadFields.DateOfBirth, CultureInfo.GetCultureInfo("de")));
        Assert.Equal("Budget", LeadFieldLabels.For(LeadFields.ForCustomField(3, "Budget", CustomFieldType.Number), CultureInfo.GetCultureInfo("de")));
    }

    [Fact]
    public async Task The_list_offers_exactly_the_listed_fields_then_the_active_custom_fields()
    {
        await using var scope = data.Kit.As(data.Kit.Admin);
        var options = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetOptionsAsync();

        Assert.Equal([.. LeadFields.Listed.Select(f => f.Key), .. data.ActiveCustomKeys(LeadColumns.ForCustomField)], options.Columns.Select(c => c.Key));
    }

    [Fact]
    public async Task The_export_offers_exactly_the_exportable_fields_then_the_active_custom_fields()
    {
        await using var scope = data.Kit.As(data.Kit.Operator);
        var choices = await scope.ServiceProvider.GetRequiredService<LeadExportService>().GetColumnsAsync(CancellationToken.None);

        Assert.Equal(
            [.. LeadFields.Exportable.Select(f => f.ImportTarget.Key), .. data.ActiveCustomKeys(id => ImportTarget.ForCustomField(id).Key)],
            choices.Select(c => c.Key));
        Assert.Equal(LeadFieldLabels.For(LeadFields.Email, CultureInfo.CurrentUICulture), choices.Single(c => c.Key == "Email").Label);
    }

    [Fact]
    public async Task The_import_offers_and_matches_exactly_the_importable_fields_then_the_active_custom_fields()
    {
        string[] expected = [.. LeadFields.Importable.Select(f => f.ImportTarget.Key), .. data.ActiveCustomKeys(id => ImportTarget.ForCustomField(id).Key)];
        var customFields = data.Kit.Fields.Values.Where(f => !f.IsArchived).OrderBy(f => f.SortOrder).ThenBy(f => f.Id).ToList();

        Assert.Equal(expected, LeadColumnLabels.Candidates(customFields).Select(c => c.Target.Key));

        var germanLabels = LeadFields.Importable.Select(f => LeadFieldLabels.For(f, CultureInfo.GetCultureInfo("de"))).ToList();
        var upload = await data.Kit.UploadAsync(data.Kit.Operator, data.Kit.Xlsx([.. germanLabels, .. customFields.Select(f => f.Name)], ["Anna"]));
        Assert.Equal(expected, upload.Fields.Select(f => f.Key));
        Assert.Equal(expected, upload.Columns.Select(c => c.TargetKey));
    }

    [Fact]
    public async Task The_template_has_a_column_for_exactly_the_importable_fields_then_the_active_custom_fields()
    {
        var path = data.Kit.NewPath();
        await using (var scope = data.Kit.As(data.Kit.Operator))
        await using (var output = File.Create(path))
        {
            await scope.ServiceProvider.GetRequiredService<LeadImportService>().WriteTemplateAsync(output, CancellationToken.None);
        }

        var culture = CultureInfo.CurrentUICulture;
        Assert.Equal(
            [.. LeadFields.Importable.Select(f => LeadFieldLabels.For(f, culture)), .. data.Kit.Fields.Values.Where(f => !f.IsArchived).OrderBy(f => f.SortOrder).ThenBy(f => f.Id).Select(f => f.Name)],
            ImportTestKit.ReadSheet(path)[0].Select(h => (string?)h));
    }

    public static TheoryData<bool, bool> Directions() => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory]
    [MemberData(nameof(Directions))]
    public async Task Every_sortable_field_sorts_in_sql_on_sqlite(bool descending, bool withRanks)
    {
        await using var db = await data.Kit.DbAsync();
        var columns = await LeadListService.GetColumnsAsync(db, CancellationToken.None);
        var sortable = columns.Where(c => c.IsSortable).ToList();
        Assert.Contains(sortable, c => c.Sort == LeadFieldSort.Computed && c.IsCustom);
        Assert.Contains(sortable, c => c.Sort == LeadFieldSort.OptionOrder);
        var ranks = withRanks ? await SortRanks.LoadAsync(db, CancellationToken.None) : null;
        var everyLead = await db.Leads.AsNoTracking().InCrm().CountAsync();

        foreach (var field in sortable)
        {
            var sorted = LeadQueries.Sort(db.Leads.AsNoTracking().InCrm(), db, field, descending, ranks);

            // EF Core refuses an order it cannot translate instead of sorting on the client, so running it is the proof.
            Assert.Contains("ORDER BY", sorted.ToQueryString(), StringComparison.Ordinal);
            var ids = await sorted.Select(l => l.Id).ToListAsync();
            Assert.Equal(everyLead, ids.Distinct().Count());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_column_sort_orders_as_its_sort_keys_say_then_by_id(bool descending)
    {
        await using var db = await data.Kit.DbAsync();
        var leads = await db.Leads.AsNoTracking().InCrm().ToListAsync();

        foreach (var field in LeadFields.Standard.Where(f => f.Sort == LeadFieldSort.Column))
        {
            var ids = await LeadQueries.Sort(db.Leads.AsNoTracking().InCrm(), db, field, descending).Select(l => l.Id).ToListAsync();

            var keys = field.SortKeys.Select(k => k.Compile()).ToList();
            var comparer = Comparer<Lead>.Create((a, b) =>
            {
                foreach (var key in keys)
                {
                    var order = SqlOrder(key.DynamicInvoke(a), key.DynamicInvoke(b));
                    if (order != 0)
                    {
                        return order;
                    }
                }

                return a.Id.CompareTo(b.Id);
            });
            var expected = descending ? leads.OrderDescending(comparer) : leads.Order(comparer);
            Assert.Equal(expected.Select(l => l.Id), ids);
        }
    }

    // SQLite: NULL first, text by its bytes (ordinal for these values), everything else by value.
    private static int SqlOrder(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => Comparer<object>.Default.Compare(a, b),
    };

    [Fact]
    public async Task Every_searchable_field_is_found_by_the_quick_search()
    {
        foreach (var field in LeadFields.Searchable)
        {
            var word = "Qz" + field.Key + "x";
            var id = await data.NewLeadWithAsync(field.Name, field == LeadFields.Email ? word + "@example.it" : word);

            await using var scope = data.Kit.As(data.Kit.Admin);
            var result = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(new LeadListQuery { Search = word.ToLowerInvariant() });
            Assert.Equal([id], result.Rows.Select(r => r.Id));
        }
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly CrmAppFactory app = new();

        public ImportTestKit Kit { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Kit = await ImportTestKit.CreateAsync(app);
            await using (var db = await Kit.DbAsync())
            {
                var course = new CustomField("Course", CustomFieldType.SingleChoice, 5, false);
                course.AddOption("Piano");
                course.AddOption("Violin");
                db.CustomFields.AddRange(course, new CustomField("Remarks", CustomFieldType.LongText, 6, false));
                await db.SaveChangesAsync();
                Kit.Fields["Course"] = course;
                Kit.Fields["Remarks"] = await db.CustomFields.SingleAsync(f => f.Name == "Remarks");
            }

            await Kit.ImportFileAsync(Kit.Xlsx(
                ["First name", "Last name", "Company name", "City", "Date of birth", "Gender", "Privacy consent", "Status", "Assigned to", "Budget", "Newsletter", "Open day", "School", "Course", "Remarks", "Interests"],
                ["Anna", "Rossi", "Zeta Srl", "Milano", "03.05.2001", "F", "yes", "Contacted", "olga@school.test", 300, "yes", "01.04.2026", "Liceo", "Violin", "Calls back", "Music; Sport"],
                ["Bruno", "Rossi", null, "Bari", null, "M", "no", "New", null, 100, "no", null, null, "Piano", null, null],
                ["Carla", null, "Alfa", null, "10.10.1999", null, null, null, null, null, null, "02.04.2026", "Scuola", null, null, "Music"],
                ["Dario", "Bianchi", "alfa", "milano", null, null, "yes", "Contacted", "olga@school.test", 200, null, null, null, "Violin", null, null]));
        }

        public IEnumerable<string> ActiveCustomKeys(Func<int, string> key) =>
            Kit.Fields.Values.Where(f => !f.IsArchived).OrderBy(f => f.SortOrder).ThenBy(f => f.Id).Select(f => key(f.Id));

        /// <summary>A new lead with <paramref name="value"/> in the named person field (and a plain first name otherwise).</summary>
        public async Task<int> NewLeadWithAsync(string field, string value)
        {
            var details = new PersonDetails { FirstName = "Plain", CaptureDate = new DateOnly(2026, 3, 1) };
            typeof(PersonDetails).GetProperty(field)!.SetValue(details, value);
            await using var scope = Kit.As(Kit.Admin);
            return await scope.ServiceProvider.GetRequiredService<LeadService>().CreateAsync(details, Kit.Statuses["New"], null, []);
        }

        public async Task DisposeAsync() => await app.DisposeAsync();
    }
}
