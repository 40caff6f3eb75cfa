using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>An Italian school's template, archive and export.</summary>
public sealed class ItalianImportTests
{
    [Fact]
    public async Task An_italian_user_gets_the_template_and_its_allowed_values_in_italian()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);

        var template = await InCultureAsync("it-IT", () => TemplateAsync(kit));

        var headers = ImportTestKit.ReadSheet(template)[0];
        Assert.Equal(
            ["Ragione sociale", "Nome", "Cognome", "Data acquisizione", "E-mail", "Codice fiscale", "Indirizzo", "Città", "CAP", "Provincia",
             "Telefono", "Cellulare", "Sesso", "Stato", "Assegnato a", "Data di nascita", "Consenso privacy", "Note"],
            headers.Take(Enum.GetValues<StandardField>().Length));
        var allowed = ImportTestKit.ReadSheet(template, "Valori ammessi");
        Assert.Equal(["Campo", "Valore", "Nota"], allowed[0]);
        Assert.Contains(allowed, r => Equals(r[0], "Sesso") && Equals(r[1], "Femmina"));
        Assert.Contains(allowed, r => Equals(r[0], "Consenso privacy") && Equals(r[1], "Sì"));
        Assert.Contains(allowed, r => Equals(r[0], "Stato") && Equals(r[1], "Contacted"));
        Assert.Contains(allowed, r => Equals(r[0], "Assegnato a") && Equals(r[1], "olga@school.test"));
        Assert.Contains(allowed, r => Equals(r[0], "Data di nascita") && Equals(r[1], "gg/mm/aaaa, gg.mm.aaaa, aaaa-mm-gg o una cella di tipo data"));
    }

    [Fact]
    public async Task Italian_archive_headers_map_without_help_and_their_values_are_read_as_meant()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        string[] headers =
            ["Nome", "Cognome", "Codice fiscale", "Data di nascita", "CAP", "Provincia", "Cellulare", "Telefono", "Note", "Privacy", "Stato", "Assegnato a", "Sesso", "Città", "Indirizzo", "E-mail"];
        var path = kit.Xlsx(
            headers,
            ["Giulia", "Esposito", "SPSGLI01E43F839X", "03/05/2001", "80100", "NA", "347 123 4567", "081 555 1234", "Open day a maggio", "Sì", "contacted", "Olga Operator", "Femmina", "Napoli", "Via Toledo 1", "giulia@example.it"]);

        var upload = await kit.UploadAsync(kit.Operator, path);

        Assert.Equal(
            ["FirstName", "LastName", "TaxCode", "DateOfBirth", "Zip", "Province", "Mobile", "Phone", "Notes", "PrivacyConsent", "Status", "AssignedTo", "Gender", "City", "Address", "Email"],
            upload.Columns.Select(c => c.TargetKey));
        Assert.All(upload.Columns, c => Assert.Equal(ColumnMatchKind.Matched, c.Kind));
        var import = await kit.ImportAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload));
        Assert.Equal((1, 0), (import.Created, import.Errors));
        await using var db = await kit.DbAsync();
        var giulia = await db.Leads.SingleAsync(l => l.Email == "giulia@example.it");
        Assert.Equal(
            ("Giulia", "Esposito", new DateOnly(2001, 5, 3), Gender.Female, true, "NA", "Open day a maggio"),
            (giulia.FirstName, giulia.LastName, giulia.DateOfBirth!.Value, giulia.Gender, giulia.PrivacyConsent, giulia.Province, giulia.Notes));
        Assert.Equal(kit.Statuses["Contacted"], giulia.StatusId);
        Assert.Equal(kit.Operator.Id, giulia.AssignedToUserId);
    }

    [Fact]
    public async Task The_export_for_an_italian_user_has_italian_headers_and_words_and_dates_that_read_day_first()
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        await kit.ImportFileAsync(kit.Xlsx(["Nome", "Data di nascita", "Sesso", "Privacy"], ["Anna", "03/05/2001", "f", "sì"]));

        var file = await InCultureAsync("it-IT", () => kit.ExportAsync(kit.Operator, ["FirstName", "DateOfBirth", "Gender", "PrivacyConsent"]));

        var rows = ImportTestKit.ReadSheet(file.Path);
        Assert.Equal(["Nome", "Data di nascita", "Sesso", "Consenso privacy"], rows[0]);
        Assert.Equal(["Anna", new DateTime(2001, 5, 3), "Femmina", "Sì"], rows[1]);
        Assert.Contains("formatCode=\"dd/mm/yyyy\"", ImportTestKit.SheetXml(file.Path, "xl/styles.xml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("it-IT", "dd/mm/yyyy")]
    [InlineData("en-GB", "dd/mm/yyyy")]
    [InlineData("de-DE", "dd.mm.yyyy")]
    [InlineData("en-US", "M/d/yyyy")]
    public void Exported_dates_show_as_the_users_short_date(string culture, string excelFormat)
    {
        Assert.Equal(excelFormat.Replace('M', 'm'), ExportSheet.ExcelDateFormat(CultureInfo.GetCultureInfo(culture)));
    }

    private static async Task<string> TemplateAsync(ImportTestKit kit)
    {
        var path = kit.NewPath();
        await using var scope = kit.As(kit.Operator);
        await using var output = File.Create(path);
        await scope.ServiceProvider.GetRequiredService<LeadImportService>().WriteTemplateAsync(output, CancellationToken.None);
        return path;
    }

    // The app runs every request in one specific culture for texts and formats alike (see Localization).
    private static async Task<T> InCultureAsync<T>(string culture, Func<Task<T>> action)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return await action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}
