using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.List;

namespace SchoolCrm.Tests.Features.Leads.Export;

public sealed class LeadExportTests
{
    private static readonly string[] ArchiveHeaders =
        ["First name", "Last name", "E-mail", "Phone", "Mobile", "ZIP", "Notes", "Date of birth", "Gender", "Status", "Assigned to", "Privacy consent",
         "Company name", "Tax code", "Address", "City", "Province", "Capture date", "Interests", "Newsletter", "Budget", "Open day", "School"];

    [Fact]
    public async Task The_export_has_exactly_the_chosen_columns_in_the_users_language_and_remembers_them()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "E-mail", "Date of birth", "Newsletter"], ["Anna", "anna@example.it", "03.05.2001", "yes"]));
        var newsletter = ImportTarget.ForCustomField(kit.Fields["Newsletter"].Id).Key;

        var file = await WithCulture("de", () => kit.ExportAsync(kit.Operator, ["Email", "DateOfBirth", newsletter]));

        var rows = ImportTestKit.ReadSheet(file.Path);
        Assert.Equal(["E-Mail", "Geburtsdatum", "Newsletter"], rows[0]);
        Assert.Equal("anna@example.it", rows[1][0]);
        Assert.Equal(new DateTime(2001, 5, 3), rows[1][1]);
        Assert.Equal("Ja", rows[1][2]);
        Assert.Matches(@"^leads-\d{4}-\d{2}-\d{2}\.xlsx$", file.FileName);
        await using var scope = kit.As(kit.Operator);
        var choices = await scope.ServiceProvider.GetRequiredService<LeadExportService>().GetColumnsAsync(CancellationToken.None);
        Assert.Equal(["Email", "DateOfBirth", newsletter], choices.Where(c => c.Selected).Select(c => c.Key));
    }

    [Fact]
    public async Task Dates_are_real_date_cells()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["First name", "Date of birth"], ["Anna", "03.05.2001"]));

        var file = await kit.ExportAsync(kit.Operator, ["FirstName", "DateOfBirth"]);

        var xml = ImportTestKit.SheetXml(file.Path);
        Assert.Matches("<x:c r=\"B2\" s=\"\\d+\"><x:v>37014</x:v></x:c>", xml);
    }

    [Fact]
    public async Task Dangerous_values_never_become_formulas_and_phone_numbers_stay_readable()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.RawXlsx(ImportTestKit.Sheet(
            ImportTestKit.Text("A1", "First name") + ImportTestKit.Text("B1", "Last name") + ImportTestKit.Text("C1", "Notes") + ImportTestKit.Text("D1", "Mobile") + ImportTestKit.Text("E1", "City") + ImportTestKit.Text("F1", "Company name"),
            ImportTestKit.Text("A2", "=HYPERLINK(\"http://evil.test\",\"Click\")") + ImportTestKit.Text("B2", "+cmd|' /C calc'!A0") + ImportTestKit.Text("C2", "@SUM(1+1)")
                + ImportTestKit.Text("D2", "+39 347 123 4567") + ImportTestKit.Text("E2", "-2+3") + ImportTestKit.Text("F2", "\t=1+1")));
        await kit.ImportFileAsync(path);

        var file = await kit.ExportAsync(kit.Operator, ["FirstName", "LastName", "Notes", "Mobile", "City", "CompanyName"]);

        var xml = ImportTestKit.SheetXml(file.Path);
        Assert.DoesNotContain("<x:f>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);
        var row = ImportTestKit.ReadSheet(file.Path)[1];
        Assert.Equal("'=HYPERLINK(\"http://evil.test\",\"Click\")", row[0]);
        Assert.Equal("'+cmd|' /C calc'!A0", row[1]);
        Assert.Equal("'@SUM(1+1)", row[2]);
        Assert.Equal("+39 347 123 4567", row[3]);
        Assert.Equal("'=1+1", row[5]);
    }

    [Fact]
    public async Task The_export_follows_the_list_filters_or_takes_all_leads()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(
            ["First name", "Last name", "Status", "Assigned to"],
            ["Anna", "Bianchi", "Contacted", "olga@school.test"],
            ["Luca", "Rossi", "Contacted", null],
            ["Mia", "Bianchi", "New", "olga@school.test"]));

        var contacted = await kit.ExportAsync(kit.Operator, ["FirstName"], new LeadListQuery { StatusId = kit.Statuses["Contacted"] });
        var olgasBianchi = await kit.ExportAsync(kit.Operator, ["FirstName"], new LeadListQuery { Assignee = AssigneeFilter.Me, Search = "bianCHI" });
        var unassigned = await kit.ExportAsync(kit.Operator, ["FirstName"], new LeadListQuery { Assignee = AssigneeFilter.Nobody });
        var all = await kit.ExportAsync(kit.Operator, ["FirstName"]);

        Assert.Equal(["Anna", "Luca"], Names(contacted));
        Assert.Equal(["Anna", "Mia"], Names(olgasBianchi));
        Assert.Equal(["Luca"], Names(unassigned));
        Assert.Equal(3, all.Rows);
    }

    [Fact]
    public async Task The_download_goes_only_to_the_user_who_exported_and_only_once()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var file = await kit.ExportAsync(kit.Operator, ["FirstName"]);
        var files = app.Services.GetRequiredService<ExportFiles>();

        Assert.Null(await files.TakeAsync(file.Token, kit.Admin.Id));
        Assert.NotNull(await files.TakeAsync(file.Token, kit.Operator.Id));
        Assert.Null(await files.TakeAsync(file.Token, kit.Operator.Id));
    }

    [Fact]
    public async Task Exporting_every_column_and_importing_into_an_empty_database_gives_the_same_leads()
    {
        await using var source = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(source);
        await kit.ImportFileAsync(kit.Xlsx(
            ArchiveHeaders,
            ["Anna", "Bianchi", "anna@example.it", "081 123456", "+39 347 123 4567", "00123", "=not a formula\nsecond line", "03.05.2001", "f", "Contacted", "olga@school.test", "yes",
             "Scuola Srl", "BNCNNA01E43F839X", "Via Roma 1", "Napoli", "NA", "01.09.2026", "Music; Sport", "no", 1234.5, "24.12.2026", "Liceo"],
            ["Luca", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
            ["Jürgen", "Müller", "jm@example.de", null, "0049 170 1234567", "80331", "@home", "29.02.2004", "m", "New", "Olga Operator", "ja",
             null, null, null, "München", "BY", "15.01.2026", "Sport", "x", -3, null, "Gymnasium"]));
        var all = ImportTestKit.AllColumnKeys(kit.Fields.Values);
        var file = await WithCulture("de", () => kit.ExportAsync(kit.Operator, all));

        await using var target = new CrmAppFactory();
        var fresh = await ImportTestKit.CreateAsync(target);
        var copy = fresh.NewPath();
        File.Copy(file.Path, copy);
        var import = await fresh.ImportFileAsync(copy);

        Assert.Equal((3, 0), (import.Created, import.Errors));
        Assert.Equal(await SnapshotAsync(kit), await SnapshotAsync(fresh));
    }

    private static List<string> Names(ExportFile file) =>
        ImportTestKit.ReadSheet(file.Path).Skip(1).Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ToList();

    // Everything a lead holds that the spreadsheet carries, with ids replaced by names so two databases compare.
    private static async Task<List<string>> SnapshotAsync(ImportTestKit kit)
    {
        await using var db = await kit.DbAsync();
        var statuses = await db.LeadStatuses.ToDictionaryAsync(s => s.Id, s => s.Name);
        var users = await db.Users.ToDictionaryAsync(u => u.Id, u => u.Email);
        var fields = await db.CustomFields.Include(f => f.Options).ToListAsync();
        var fieldNames = fields.ToDictionary(f => f.Id, f => f.Name);
        var options = fields.SelectMany(f => f.Options).ToDictionary(o => o.Id, o => o.Label);
        var leads = await db.Leads.Include(l => l.CustomValues).OrderBy(l => l.FirstName).ToListAsync();
        return leads.Select(l =>
        {
            var custom = l.CustomValues
                .Select(v => fieldNames[v.CustomFieldId] + "=" + (v.TextValue ?? FieldChange.Format(v.NumberValue) ?? FieldChange.Format(v.DateValue)
                    ?? FieldChange.Format(v.BoolValue) ?? (v.OptionId is { } o ? options[o] : "")))
                .Order(StringComparer.Ordinal);
            return string.Join(
                " | ",
                [
                    FieldChange.Format(l.Details with { }) ?? "",
                    statuses[l.StatusId],
                    l.AssignedToUserId is { } u ? users[u] ?? "" : "",
                    .. custom,
                ]);
        }).ToList();
    }

    private static async Task<T> WithCulture<T>(string culture, Func<Task<T>> action)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return await action();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
