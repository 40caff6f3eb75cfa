using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// Issue 11 "Speed and load": 10,000 reminders due within the same minute, delivered by the app's own
/// <see cref="ReminderWorker"/> running in two app instances on one database file (each a whole app host, as two
/// processes would be), beside one instance alone in the same run. Reports when the last one went out, how late
/// reminders were against their own time, how many each instance delivered, and that none went out twice.
///   dotnet run -c Release --project SchoolCrm.Benchmarks -- --reminders [--count 10000] [--out docs/benchmarks.md] [--data bench-data]
/// </summary>
internal static class ReminderBench
{
    private const string StartMarker = "<!-- reminders:start -->";
    private const string EndMarker = "<!-- reminders:end -->";
    private const int Operators = 50;

    public static async Task MainAsync(string[] args, MachineInfo machine)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var count = int.Parse(Value("--count") ?? "10000", CultureInfo.InvariantCulture);
        var output = Value("--out") ?? "docs/benchmarks.md";
        var dataFolder = Path.GetFullPath(Value("--data") ?? "bench-data");

        var rows = new List<Result>();
        // The hardest case first, every reminder at one instant (one instance as the baseline, then two), then the
        // minute as the issue puts it, each reminder at its own moment in it.
        foreach (var (instances, spread) in new[] { (1, false), (2, false), (2, true) })
        {
            var result = await RunAsync(count, instances, spread, Path.Combine(dataFolder, "reminders"));
            Console.WriteLine(result);
            rows.Add(result);
        }

        var text = new StringBuilder();
        text.AppendLine(StartMarker);
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project SchoolCrm.Benchmarks -- --reminders`.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Summary}; load average at the end {MachineInfo.LoadAverage()}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{count:N0} reminders of {Operators} operators fall due in one minute: all at its first instant, or spread over it. Each app instance is a whole app host with its own worker, on one SQLite file. \"Last out\" is when the last reminder was stored, counted from the start of that minute; lateness is each reminder's delivery against its own time. Target: all delivered within 60 s, none twice, with two instances.");
        text.AppendLine();
        text.AppendLine("| Instances | Due | Delivered | Twice | Last out after the minute began | Lateness p50 / p95 / max | Per instance |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Instances} | {(r.Spread ? "spread over the minute" : "all at once")} | {r.Delivered:N0} of {r.Expected:N0} | {r.Twice} | {r.LastOutSeconds:F1} s | {r.LatenessP50Ms:F0} / {r.LatenessP95Ms:F0} / {r.LatenessMaxMs:F0} ms | {string.Join(" + ", r.PerInstance.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} |");
        }

        text.AppendLine(EndMarker);
        Console.WriteLine(text);
        Report.WriteInto(output, text.ToString(), StartMarker, EndMarker);
        Console.WriteLine($"Wrote {output}");
    }

    private static async Task<Result> RunAsync(int count, int instances, bool spread, string folder)
    {
        if (Directory.Exists(folder))
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var connectionString = "Data Source=" + Path.Combine(folder, "reminders.db");
        var counters = Enumerable.Range(0, instances).Select(_ => new DeliveredCounter()).ToList();

        // The first instance migrates and is seeded; the minute starts once every instance is up.
        var apps = new List<WebApplication> { await StartAsync(folder, connectionString, counters[0]) };
        var minute = DateTime.UtcNow.AddSeconds(20);
        await SeedAsync(apps[0].Services, count, minute, spread);
        for (var i = 1; i < instances; i++)
        {
            apps.Add(await StartAsync(folder, connectionString, counters[i]));
        }

        // Saves in another process would not wake these workers; the seed went straight into the database, so wake them.
        foreach (var app in apps)
        {
            app.Services.GetRequiredService<ReminderWakeUp>().Poke();
        }

        var factory = apps[0].Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromMinutes(5))
        {
            await using var db = await factory.CreateDbContextAsync();
            if (!await db.ScheduledReminders.AnyAsync(r => r.DeliveredAt == null))
            {
                break;
            }

            await Task.Delay(250);
        }

        List<(int TaskId, DateTime Due, DateTime Created)> delivered;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var reminders = await db.Notifications.AsNoTracking()
                .Where(n => n.Kind == NotificationKind.TaskReminder)
                .Select(n => new { TaskId = n.TaskId ?? 0, Due = n.DueUtc ?? default, n.CreatedAt })
                .ToListAsync();
            delivered = reminders.Select(n => (n.TaskId, n.Due, n.CreatedAt)).ToList();
        }

        foreach (var app in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var lateness = delivered.Select(d => (d.Created - d.Due).TotalMilliseconds).Order().ToList();
        double Percentile(double p) => lateness.Count == 0 ? double.NaN : lateness[Math.Min(lateness.Count - 1, (int)Math.Ceiling(p * lateness.Count) - 1)];
        return new Result(
            instances,
            spread,
            count,
            delivered.Select(d => d.TaskId).Distinct().Count(),
            delivered.Count - delivered.Select(d => d.TaskId).Distinct().Count(),
            delivered.Count == 0 ? double.NaN : (delivered.Max(d => d.Created) - minute).TotalSeconds,
            Percentile(0.5),
            Percentile(0.95),
            lateness.Count == 0 ? double.NaN : lateness[^1],
            counters.Select(c => c.Delivered).ToList());
    }

    private static async Task<WebApplication> StartAsync(string folder, string connectionString, DeliveredCounter counter)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Crm"] = connectionString,
            ["School:DataFolder"] = folder,
            ["School:TimeZone"] = "Europe/Rome",
            ["Urls"] = "http://127.0.0.1:0",
            ["Bootstrap:AdminEmail"] = "",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Warning || category == typeof(ReminderDelivery).FullName);
        builder.Logging.AddProvider(counter);
        builder.Services.AddCrmHosting(builder.Configuration, builder.Environment, folder);
        builder.Services.AddCrmFeatures();
        var app = builder.Build();
        await DatabaseSetup.MigrateAsync(app.Services);
        await app.StartAsync();
        return app;
    }

    /// <summary>Operators and one task per reminder, due at <paramref name="minute"/> or spread over the minute from it, with their schedule rows.</summary>
    private static async Task SeedAsync(IServiceProvider services, int count, DateTime minute, bool spread)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var zone = services.GetRequiredService<SchoolClock>().Zone;
        await using var db = await factory.CreateDbContextAsync();
        var type = new SchoolCrm.Domain.Configuration.TaskType("Call", 0);
        db.TaskTypes.Add(type);
        await db.SaveChangesAsync();
        var typeId = type.Id;
        var operators = Enumerable.Range(0, Operators).Select(i => new AppUser
        {
            Id = Guid.NewGuid().ToString(),
            UserName = $"op{i}@bench.invalid",
            NormalizedUserName = $"OP{i}@BENCH.INVALID",
            Email = $"op{i}@bench.invalid",
            NormalizedEmail = $"OP{i}@BENCH.INVALID",
            DisplayName = $"Operator {i}",
            SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = DateTime.UtcNow,
        }).ToList();
        db.Users.AddRange(operators);
        await db.SaveChangesAsync();

        var random = new Random(11);
        for (var start = 0; start < count; start += 1000)
        {
            var tasks = Enumerable.Range(start, Math.Min(1000, count - start)).Select(i =>
            {
                var due = spread ? minute.AddMilliseconds(random.Next(60_000)) : minute;
                var content = new TaskContent(typeId, $"Call back {i}", null, due, false, TaskReminder.AtDeadline);
                return CrmTask.Create(null, content, operators[i % Operators].Id, operators[0].Id, DateTime.UtcNow, zone);
            }).ToList();
            db.Tasks.AddRange(tasks);
            await db.SaveChangesAsync();
            db.ScheduledReminders.AddRange(tasks.Select(t => ScheduledReminder.For(t.Id, t.ReminderDueUtc!.Value)));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    private sealed record Result(
        int Instances, bool Spread, int Expected, int Delivered, int Twice, double LastOutSeconds,
        double LatenessP50Ms, double LatenessP95Ms, double LatenessMaxMs, IReadOnlyList<int> PerInstance);

    /// <summary>Counts what one instance's <see cref="ReminderDelivery"/> reports it delivered (its structured "Count").</summary>
    private sealed class DeliveredCounter : ILoggerProvider, ILogger
    {
        private int delivered;

        public int Delivered => Volatile.Read(ref delivered);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)}");
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Count").Value is int n
                && values.Any(v => v.Key == "Claimed"))
            {
                Interlocked.Add(ref delivered, n);
            }
        }

        public void Dispose()
        {
        }
    }
}
