using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;
using Serilog;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json is copied next to the app (bin or publish folder) from the top level of the repository.
    ContentRootPath = AppContext.BaseDirectory,
});

// Static web assets (MudBlazor's _content files) are served from the build output in every environment,
// so running the built app in Production works like the published one.
builder.WebHost.UseStaticWebAssets();

var dataFolder = Path.GetFullPath(builder.Configuration["School:DataFolder"] ?? "data");
Directory.CreateDirectory(dataFolder);
builder.AddCrmLogging(dataFolder);
builder.Services.AddCrmHosting(builder.Configuration, builder.Environment, dataFolder);
builder.Services.AddCrmFeatures();

var app = builder.Build();

await DatabaseSetup.MigrateAsync(app.Services);
await SeveralNodes.ImportKeyFilesAsync(app.Services, dataFolder);
await FirstAdminBootstrap.RunAsync(app.Services);

if (args.FirstOrDefault() == DemoData.Command)
{
    await DemoData.SeedAsync(app.Services, args);
    return;
}

// First, so everything after it sees the client's address and scheme as a known reverse proxy forwarded them.
app.UseForwardedHeaders();
if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}
else
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

if (app.Environment.IsProduction())
{
    // Sent over HTTPS only (so only behind a TLS proxy), never for localhost.
    app.UseHsts();
}

app.UseSecurityHeaders();
// Only page loads get the friendly "not found" page: re-executing a rejected form post (a 400 from antiforgery)
// would read its form again and fail.
app.UseWhen(
    context => HttpMethods.IsGet(context.Request.Method),
    branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseCrmRequestLogging();
app.UseRequestLocalization();
// After localization, so a refused sign-in attempt is answered in the user's language.
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapCrmEndpoints();

app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
