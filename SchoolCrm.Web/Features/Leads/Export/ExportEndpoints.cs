using System.Security.Claims;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads.Export;

public static class ExportEndpoints
{
    /// <summary>
    /// The download of a finished export: a GET the dialog navigates to (full page load), so the browser saves the
    /// file without holding it in JavaScript memory. Only the user who made the export gets it, once.
    /// </summary>
    public static IEndpointRouteBuilder MapLeadExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/leads/export/{token:guid}", async (Guid token, HttpContext http, ExportFiles files, CancellationToken ct) =>
        {
            var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
            var file = userId is null ? null : await files.TakeAsync(token, userId, ct);
            return file is null ? Results.NotFound() : TempFiles.Download(file.Path, file.FileName);
        });
        return app;
    }
}
