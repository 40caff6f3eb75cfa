using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.CrmConfiguration;
using SchoolCrm.Web.Features.CustomFields;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Students;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Hosting;

public static class FeatureRegistration
{
    /// <summary>Every feature's services, one line each, so a newcomer sees them all in one place.</summary>
    public static IServiceCollection AddCrmFeatures(this IServiceCollection services)
    {
        services.AddScoped<AccountService>();
        services.AddScoped<ErrorMessages>();
        services.AddSingleton<TempFiles>();
        services.AddHostedService<TempFileSweeper>();
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
        services.AddScoped<FieldErrorText>();
        services.AddScoped<CrmConfigurationService>();
        services.AddScoped<LeadService>();
        services.AddScoped<LeadFieldLabels>();
        services.AddScoped<CustomFieldService>();
        services.AddScoped<StudentService>();
        services.AddScoped<LeadConversionService>();
        services.AddScoped<LeadListService>();
        return services;
    }
}
