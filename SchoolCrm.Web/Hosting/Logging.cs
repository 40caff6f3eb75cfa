using Serilog;
using Serilog.Events;

namespace SchoolCrm.Web.Hosting;

public static class Logging
{
    /// <summary>
    /// Levels and enrichers come from the "Serilog" section of appsettings.json; the console and a daily
    /// rolling file under the data folder are always written.
    /// </summary>
    public static void AddCrmLogging(this WebApplicationBuilder builder, string dataFolder)
    {
        var logFile = Path.Combine(dataFolder, "logs", "schoolcrm-.log");
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Database.Command", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(
                logFile,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 31,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj}{NewLine}{Exception}"));
    }
}
