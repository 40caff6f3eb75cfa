using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using SchoolCrm.Web.Components;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Account;
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

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new SchoolClock(
    sp.GetRequiredService<TimeProvider>(),
    SchoolClock.FindZone(builder.Configuration["School:TimeZone"])));

builder.Services.AddCrmDatabase(builder.Configuration);
builder.Services.AddCrmLocalization();

builder.Services.AddIdentity<AppUser, IdentityRole>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 10;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        options.Lockout.AllowedForNewUsers = true;
        options.SignIn.RequireConfirmedAccount = false;
    })
    .AddEntityFrameworkStores<CrmDbContext>()
    .AddSignInManager<CrmSignInManager>()
    .AddDefaultTokenProviders();
builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidatingAuthenticationStateProvider.Interval);
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.LogoutPath = "/account/logout";
    options.AccessDeniedPath = "/account/access-denied";
    options.Cookie.Name = "SchoolCrm.Auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.ExpireTimeSpan = TimeSpan.FromDays(14);
    options.SlidingExpiration = true;
});
builder.Services.AddDataProtection()
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataFolder, "keys")))
    .SetApplicationName("SchoolCrm");
builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
builder.Services.AddScoped<CurrentUser>();
builder.Services.AddScoped<FirstAdminBootstrap>();
builder.Services.AddHttpContextAccessor();

builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(options => options.DetailedErrors = builder.Environment.IsDevelopment());
builder.Services.AddMudServices();
builder.Services.AddTransient<MudBlazor.MudLocalizer, SchoolCrm.Web.Components.Layout.CrmMudLocalizer>();

builder.Services.AddCrmFeatures();

var app = builder.Build();

await DatabaseSetup.MigrateAsync(app.Services);
await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<FirstAdminBootstrap>().RunAsync();
}

if (args.FirstOrDefault() == DemoData.Command)
{
    await DemoData.SeedAsync(app.Services, args);
    return;
}

if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}
else
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseSecurityHeaders();
// Only page loads get the friendly "not found" page: re-executing a rejected form post (a 400 from antiforgery)
// would read its form again and fail.
app.UseWhen(
    context => HttpMethods.IsGet(context.Request.Method),
    branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseSerilogRequestLogging();
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapAccountEndpoints();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
