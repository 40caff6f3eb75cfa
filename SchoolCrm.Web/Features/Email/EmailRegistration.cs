using Microsoft.Extensions.Options;

namespace SchoolCrm.Web.Features.Email;

public static class EmailRegistration
{
    /// <summary>The optional e-mail: settings (checked at start-up when a host is set), the composer, the outbox worker, the admin's page.</summary>
    public static IServiceCollection AddCrmEmail(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>()
            .BindConfiguration(SmtpOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.PublicUrl = configuration["School:PublicUrl"])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidation>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<EmailOutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailOutboxWorker>());
        services.AddScoped<EmailStatusService>();
        return services;
    }
}
