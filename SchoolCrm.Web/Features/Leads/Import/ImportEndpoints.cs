using Microsoft.Extensions.Localization;
using SchoolCrm.Domain;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Downloads of the import screen as plain GETs (sign-in required by the fallback policy; they change nothing,
/// so no antiforgery token is needed). The page links to them; the browser saves the file.
/// </summary>
public static class ImportEndpoints
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string TemplateUrl = "/leads/import/template";

    public static string ErrorRowsUrl(Guid uploadId) => $"/leads/import/uploads/{uploadId}/errors";

    public static IEndpointRouteBuilder MapLeadImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(TemplateUrl, async (HttpContext http, LeadImportService imports, CancellationToken ct) =>
        {
            http.UseAsCurrentUser();
            var file = TempFile();
            await using (var output = File.Create(file))
            {
                await imports.WriteTemplateAsync(output, ct);
            }

            return Download(file, "leads-import-template.xlsx");
        });

        app.MapGet("/leads/import/uploads/{uploadId:guid}/errors", async (
            Guid uploadId, HttpContext http, LeadImportService imports, IStringLocalizer<ImportText> text, CancellationToken ct) =>
        {
            http.UseAsCurrentUser();
            var file = TempFile();
            try
            {
                await using (var output = File.Create(file))
                {
                    await imports.WriteErrorRowsAsync(uploadId, output, e => ImportMessages.Describe(text, e), ct);
                }
            }
            catch (DomainException)
            {
                ImportUploads.TryDelete(file);
                return Results.NotFound();
            }

            return Download(file, "import-errors.xlsx");
        });

        return app;
    }

    /// <summary>Streams a finished temporary file and deletes it once the response is done.</summary>
    public static IResult Download(string path, string downloadName) =>
        Results.Stream(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.SequentialScan),
            XlsxContentType,
            downloadName);

    public static string TempFile() => Path.Combine(Path.GetTempPath(), "schoolcrm-" + Guid.NewGuid().ToString("N") + ".xlsx");
}
