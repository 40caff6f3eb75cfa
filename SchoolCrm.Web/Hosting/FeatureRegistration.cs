using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using SchoolCrm.Web.Components;
using SchoolCrm.Web.Components.Layout;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.CrmConfiguration;
using SchoolCrm.Web.Features.CustomFields;
using SchoolCrm.Web.Features.Email;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Tasks.Feed;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Hosting;

/// <summary>
/// Every service and endpoint of the app, registered here so Program.cs stays a short list of middleware:
/// <see cref="AddCrmHosting"/> (the framework: database, sign-in, cookies, Blazor), <see cref="AddCrmFeatures"/>
/// (one line per feature service) and <see cref="MapCrmEndpoints"/>.
/// </summary>
public static class FeatureRegistration
{
    /// <summary>The framework pieces the features stand on.</summary>
    public static IServiceCollection AddCrmHosting(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string dataFolder)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(CrmNode.From(configuration));
        services.AddSingleton(sp => new SchoolClock(sp.GetRequiredService<TimeProvider>(), SchoolClock.FindZone(configuration["School:TimeZone"])));
        services.AddCrmDatabase(configuration);
        services.AddCrmLocalization();
        services.AddCrmReverseProxy(configuration);
        services.AddCrmSignIn();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddRazorComponents()
            .AddInteractiveServerComponents(options => options.DetailedErrors = environment.IsDevelopment());
        services.AddSignalR().AddCrmBackplane(configuration);
        services.AddMudServices();
        services.AddTransient<MudBlazor.MudLocalizer, CrmMudLocalizer>();
        return services;
    }

    /// <summary>Every feature's services, one line each, so a newcomer sees them all in one place.</summary>
    public static IServiceCollection AddCrmFeatures(this IServiceCollection services)
    {
        services.AddScoped<AccountService>();
        services.AddSignInRateLimit();
        services.AddScoped<ErrorMessages>();
        services.AddSingleton<TempFiles>();
        services.AddHostedService<TempFileSweeper>();
        services.AddSingleton<SaveGuard>();
        services.AddOptions<ImportLimits>().BindConfiguration(ImportLimits.Section);
        services.AddSingleton<ImportUploads>();
        services.AddSingleton<LeadImportJobs>();
        services.AddScoped<LeadImportJob>();
        services.AddSingleton<LeadImportRollback>();
        services.AddHostedService<LeadImportWorker>();
        services.AddScoped<LeadImportService>();
        services.AddSingleton<ExportFiles>();
        services.AddScoped<LeadExportService>();
        services.AddScoped<UserService>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<FirstAdminBootstrap>();
        services.AddScoped<FieldErrorText>();
        services.AddScoped<CrmConfigurationService>();
        services.AddScoped<LeadService>();
        services.AddScoped<LeadFieldLabels>();
        services.AddScoped<CustomFieldService>();
        services.AddScoped<StudentService>();
        services.AddScoped<LeadConversionService>();
        services.AddScoped<LeadListService>();
        services.AddScoped<SavedFilterService>();
        services.AddOptions<TaskOptions>().BindConfiguration(TaskOptions.Section);
        services.AddScoped<TaskService>();
        services.AddScoped<EventService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<NotificationSender>();
        services.AddOptions<ReminderOptions>().BindConfiguration("Reminders");
        services.AddSingleton<ReminderWakeUp>();
        services.AddScoped<ReminderDelivery>();
        services.AddHostedService<ReminderWorker>();
        services.AddSingleton<NotificationConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationConnections>());
        services.AddCrmEmail();
        services.AddScoped<CalendarFeedService>();
        services.AddSingleton<CalendarFeedWriter>();
        services.AddSingleton<CalendarFeedVersions>();
        return services;
    }

    /// <summary>Every endpoint: static files, health, the features' own endpoints and the Blazor pages.</summary>
    public static WebApplication MapCrmEndpoints(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapLeadImportEndpoints();
        app.MapLeadExportEndpoints();
        // A signed-out or expired cookie ends the connection, so a tab never listens as a user who left.
        app.MapHub<NotificationHub>(NotificationHub.Path, options => options.CloseOnAuthenticationExpiration = true);
        app.MapCalendarFeedEndpoints();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Identity with its cookie, Data Protection keys in the database (without them a restart signs everybody out;
    /// every node shares them, see <see cref="SeveralNodes"/>), every page behind sign-in, and the circuit's user re-checked every few minutes.
    /// </summary>
    private static IServiceCollection AddCrmSignIn(this IServiceCollection services)
    {
        services.AddIdentity<AppUser, IdentityRole>(options =>
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
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidatingAuthenticationStateProvider.Interval);
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/access-denied";
            options.Cookie.Name = "SchoolCrm.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request is HTTPS, also as forwarded by a known reverse proxy; plain HTTP on
            // 127.0.0.1 (the first start, a LAN without TLS) keeps working.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
        });
        // The antiforgery cookie is never Secure by default.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddDataProtection()
            .PersistKeysToCrmDatabase()
            .SetApplicationName("SchoolCrm");
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddHttpContextAccessor();
        return services;
    }
}
