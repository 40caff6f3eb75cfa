using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.List;

namespace SchoolCrm.Web.Hosting;

public static class FeatureRegistration
{
    /// <summary>Every feature's services, one line each, so a newcomer sees them all in one place.</summary>
    public static IServiceCollection AddCrmFeatures(this IServiceCollection services)
    {
        services.AddScoped<AccountService>();
        services.AddScoped<ErrorMessages>();
        services.AddScoped<LeadListService>();
        services.AddScoped<LeadListLocation>();
        return services;
    }
}
