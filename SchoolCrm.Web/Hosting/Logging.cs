using Serilog;
using Serilog.Events;
using SchoolCrm.Web.Features.Tasks.Feed;

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

    /// <summary>
    /// Serilog's one line per request, with secrets cut out of the path: a calendar feed's address holds its token,
    /// which would otherwise sit in every log file for as long as the logs are kept.
    /// </summary>
    public static IApplicationBuilder UseCrmRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options => options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
        [
            new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
            new LogEventProperty("RequestPath", new ScalarValue(CalendarFeedEndpoints.Redacted(path))),
            new LogEventProperty("StatusCode", new ScalarValue(status)),
            new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
        ]);
}
