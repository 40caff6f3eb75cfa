using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;

namespace SchoolCrm.Web.Hosting;

public static class FeatureRegistration
{
    /// <summary>Every feature's services, one line each, so a newcomer sees them all in one place.</summary>
    public static IServiceCollection AddCrmFeatures(this IServiceCollection services)
    {
        services.AddScoped<AccountService>();
        services.AddScoped<ErrorMessages>();
        services.AddOptions<ImportLimits>().BindConfiguration(ImportLimits.Section);
        services.AddSingleton<ImportUploads>();
        services.AddSingleton<LeadImportJobs>();
        services.AddScoped<LeadImportJob>();
        services.AddHostedService<LeadImportWorker>();
        services.AddScoped<LeadImportService>();
        services.AddSingleton<ExportFiles>();
        services.AddScoped<LeadExportService>();
        return services;
    }
}
