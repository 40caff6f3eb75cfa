using Microsoft.Extensions.Localization;
using SchoolCrm.Domain;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>
/// Downloads of the import screen as plain GETs (sign-in required by the fallback policy; they change nothing,
/// so no antiforgery token is needed). The page links to them; the browser saves the file, which is written to
/// <see cref="TempFiles"/> and deleted once sent.
/// </summary>
public static class ImportEndpoints
{
    public const string TemplateUrl = "/leads/import/template";

    public static string ErrorRowsUrl(Guid uploadId) => $"/leads/import/uploads/{uploadId}/errors";

    public static IEndpointRouteBuilder MapLeadImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(TemplateUrl, async (HttpContext http, LeadImportService imports, TempFiles files, CancellationToken ct) =>
        {
            http.UseAsCurrentUser();
            var file = await files.WriteAsync(".xlsx", (output, c) => imports.WriteTemplateAsync(output, c), ct);
            return TempFiles.Download(file, "leads-import-template.xlsx");
        });

        app.MapGet("/leads/import/uploads/{uploadId:guid}/errors", async (
            Guid uploadId, HttpContext http, LeadImportService imports, TempFiles files, IStringLocalizer<ImportText> text, CancellationToken ct) =>
        {
            http.UseAsCurrentUser();
            try
            {
                var file = await files.WriteAsync(".xlsx", (output, c) => imports.WriteErrorRowsAsync(uploadId, output, e => ImportMessages.Describe(text, e), c), ct);
                return TempFiles.Download(file, "import-errors.xlsx");
            }
            catch (DomainException)
            {
                return Results.NotFound();
            }
        });

        return app;
    }
}
