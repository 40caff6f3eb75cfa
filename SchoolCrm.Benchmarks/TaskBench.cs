using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// Issue 10 "Speed": 1M tasks, 2,000 of them open for one operator ("me"). Measures My tasks' first screen and a
/// month view of 3,000 items through the services the pages call, each beside the same work as hand-written SQL
/// over ADO.NET in the same run, the iCal feed of 5,000 items (TaskBench.Feed.cs), and prints the SQLite plans of
/// the statements the services sent.
///   dotnet run -c Release --project SchoolCrm.Benchmarks -- --tasks [--runs 21] [--out docs/benchmarks.md]
///   [--data bench-data] [--prepare: only seed the file]
/// The file (bench-data/tasks-1000000.db) is seeded once with plain SQL inserts and reused.
/// </summary>
internal sealed partial class TaskBench : IAsyncDisposable
{
    /// <summary>The benchmark's "now", a Tuesday morning at the school: the seeded file means the same on any day it is run.</summary>
    public static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    public const int TotalTasks = 1_000_000;
    private const int LeadCount = 20_000;
    private const int OtherEvents = 94_000;
    private const string MeEmail = "me@bench.invalid";
    private const string FeedEmail = "feed@bench.invalid";

    // Culture of the pages measured: the app's English (en-GB), so weeks start on Monday.
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-GB");
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    private readonly ServiceProvider services;
    private readonly string connectionString;
    private readonly CapturedCommands captured;
    private readonly List<(string Name, Func<Task<int>> Action, bool AsAdmin)> planned = [];

    private TaskBench(ServiceProvider services, string connectionString, CapturedCommands captured)
    {
        this.services = services;
        this.connectionString = connectionString;
        this.captured = captured;
    }

    public double? SeedSeconds { get; private set; }

    /// <summary>The operator whose My tasks and calendar are measured (not an admin).</summary>
    public string MeId { get; private set; } = "";

    /// <summary>An operator with 5,000 items (4,000 tasks, 1,000 events) for the iCal feed's measurement.</summary>
    public string FeedUserId { get; private set; } = "";

    public string AdminId { get; private set; } = "";

    /// <summary>The month view of <see cref="Now"/>: whole weeks Monday 30 Nov .. Sunday 3 Jan, at the school.</summary>
    public static (DateTime FromUtc, DateTime ToUtc) MonthView => SchoolTime.Days(new DateOnly(2026, 11, 30), new DateOnly(2027, 1, 3), Zone);

    public IServiceProvider Services => services;

    public static async Task MainAsync(string[] args, MachineInfo machine)
    {
        CultureInfo.DefaultThreadCurrentCulture = Culture;
        CultureInfo.CurrentCulture = Culture;
        var options = BenchmarkOptions.Parse(args);
        var path = Path.GetFullPath(Path.Combine(options.DataFolder, string.Create(CultureInfo.InvariantCulture, $"tasks-{TotalTasks}.db")));
        await using var bench = await OpenAsync(path);
        if (options.PrepareOnly)
        {
            return;
        }

        var loadAtStart = MachineInfo.LoadAverage();
        var results = await bench.RunAsync(options.Runs);
        var plans = await bench.PlansAsync();
        var markdown = Document(machine, options, results, plans, bench.SeedSeconds, loadAtStart, MachineInfo.LoadAverage());
        SchoolCrm.Benchmarks.Report.WriteInto(options.OutputFile, markdown, StartMarker, EndMarker);
        Console.WriteLine($"Wrote {options.OutputFile}");
    }

    private static async Task<TaskBench> OpenAsync(string path)
    {
        var captured = new CapturedCommands();
        var services = await BenchHost.StartAsync(path, new FixedTime(Now), Zone, (collection, configuration) =>
        {
            // Records the statements for the plans in the report (off while timing).
            collection.ConfigureDbContext<CrmDbContext>(o => o.AddInterceptors(captured));
            collection.AddOptions<TaskOptions>();
            collection.AddScoped<TaskService>();
            collection.AddScoped<EventService>();
            // TaskService's constructor takes the notification sender (its hub needs SignalR); the reads measured send nothing.
            collection.AddSignalR();
            collection.AddScoped<NotificationSender>();
            ConfigureFeedServices(collection, configuration);
        });

        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var bench = new TaskBench(services, factory.CreateDbContext().Database.GetConnectionString()!, captured);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var existing = await db.Tasks.CountAsync();
            if (existing != TotalTasks)
            {
                if (existing != 0)
                {
                    throw new InvalidOperationException($"{path} holds {existing} tasks, not {TotalTasks}; delete it to re-seed.");
                }

                Console.WriteLine($"Seeding {LeadCount} leads and {TotalTasks} tasks into {path} ...");
                var watch = Stopwatch.StartNew();
                await DemoData.SeedAsync(services, LeadCount, seed: 42, log: Console.Out);
                await TaskSeed.RunAsync(services, bench.connectionString, MeEmail, FeedEmail);
                await DatabaseSetup.RefreshStatisticsAsync(db);
                bench.SeedSeconds = watch.Elapsed.TotalSeconds;
                Console.WriteLine($"Seeded in {bench.SeedSeconds:F0} s");
            }

            bench.MeId = await db.Users.Where(u => u.Email == MeEmail).Select(u => u.Id).FirstAsync();
            bench.FeedUserId = await db.Users.Where(u => u.Email == FeedEmail).Select(u => u.Id).FirstAsync();
            bench.AdminId = await db.Users.Where(u => u.Email == BenchHost.AdminEmail).Select(u => u.Id).FirstAsync();
        }

        bench.ActAs(bench.MeId, admin: false);
        return bench;
    }

    /// <summary>Who the services see as signed in from now on.</summary>
    public void ActAs(string userId, bool admin)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId), new(ClaimTypes.Role, admin ? Roles.Admin : Roles.Operator) };
        services.GetRequiredService<BenchmarkUser>().Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Benchmark"));
    }

    /// <summary>Runs <paramref name="work"/> with a new scope, as one request or circuit event of the app would.</summary>
    public async Task<int> InScopeAsync<TService>(Func<TService, Task<int>> work)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static TaskBucketBounds Bounds => TaskBucketBounds.At(Now, Zone, Culture.DateTimeFormat.FirstDayOfWeek);

    private async Task<List<Measurement>> RunAsync(int runs)
    {
        var results = new List<Measurement>();
        var (monthFrom, monthTo) = MonthView;
        var asAdmin = false;
        async Task<Measurement> Measure(string name, Func<Task<int>> action, double? target, bool plan = true)
        {
            if (plan)
            {
                planned.Add((name, action, asAdmin));
            }

            return await ListBench.MeasureAsync(name, action, runs, target);
        }

        // What MyTasksPage.OnInitializedAsync asks, in its order: the form's options, the counts, the counts again
        // (LoadAsync), and the first section's page (Overdue when there is any).
        Task<int> FirstScreen() => InScopeAsync<TaskService>(async tasks =>
        {
            var options = await tasks.GetFormOptionsAsync();
            var counts = await tasks.CountBucketsAsync();
            var section = counts.Overdue > 0 ? TaskBucket.Overdue : TaskBucket.Today;
            var page = await tasks.ListBucketAsync(new TaskListQuery(section));
            return options.TaskTypes.Count + counts.Overdue + page.Count;
        });

        Task<int> Section(TaskBucket bucket, int? typeId = null) =>
            InScopeAsync<TaskService>(async tasks => (await tasks.ListBucketAsync(new TaskListQuery(bucket, TaskTypeId: typeId))).Count);

        var counts = await InScopeAsync<TaskService>(async t => (await t.CountBucketsAsync()) is var c ? c.Overdue + c.Today + c.ThisWeek + c.Later : 0);
        if (counts != 2_000)
        {
            throw new InvalidOperationException($"Me has {counts} open tasks, not 2,000: the seed or the clock is off.");
        }

        var typeId = await FirstTaskTypeAsync();
        results.Add(await Measure("My tasks, first screen: form options, section counts, the Overdue page of 50", FirstScreen, 50, plan: false));
        results.Add(await Measure("Baseline: the same as hand-written SQL over ADO.NET (options, counts once, page)", FirstScreenBaselineAsync, null));
        results.Add(await Measure("Section counts alone (`CountBucketsAsync`)", () => InScopeAsync<TaskService>(async t => (await t.CountBucketsAsync()).Later), null));
        results.Add(await Measure("Section counts with a type filter", () => InScopeAsync<TaskService>(async t => (await t.CountBucketsAsync(null, typeId)).Later), null));
        results.Add(await Measure("Overdue page of 50 alone", () => Section(TaskBucket.Overdue), null));
        results.Add(await Measure("Today page", () => Section(TaskBucket.Today), null));
        results.Add(await Measure("This week page", () => Section(TaskBucket.ThisWeek), null));
        results.Add(await Measure("Later page of 50", () => Section(TaskBucket.Later), null));
        results.Add(await Measure("Done page of 50 (latest first, of 40,900 done)", () => Section(TaskBucket.Done), null));
        results.Add(await Measure("Done page of 50 with a type filter", () => Section(TaskBucket.Done, typeId), null));

        // The calendar page: the user's tasks and events overlapping the shown range (TaskService.ListInRangeAsync,
        // EventService.ListInRangeAsync), as the page loads them for CrmCalendar.
        async Task<int> Month(DateTime from, DateTime to)
        {
            await using var scope = services.CreateAsyncScope();
            var tasks = await scope.ServiceProvider.GetRequiredService<TaskService>().ListInRangeAsync(null, from, to);
            var events = await scope.ServiceProvider.GetRequiredService<EventService>().ListInRangeAsync(null, from, to);
            return tasks.Count + events.Count;
        }

        var items = await Month(monthFrom, monthTo);
        if (items != 3_000)
        {
            throw new InvalidOperationException($"The month view holds {items} items, not 3,000.");
        }

        results.Add(await Measure("Month view of 3,000 items (2,400 tasks + 600 events), tasks and events through the services", () => Month(monthFrom, monthTo), 100, plan: false));
        results.Add(await Measure("Baseline: the same as hand-written SQL over ADO.NET", () => MonthBaselineAsync(monthFrom, monthTo), null));
        results.Add(await Measure("Month view: the 2,400 tasks alone", () => InScopeAsync<TaskService>(async t => (await t.ListInRangeAsync(null, monthFrom, monthTo)).Count), null));
        results.Add(await Measure("Month view: the 600 events alone", () => InScopeAsync<EventService>(async e => (await e.ListInRangeAsync(null, monthFrom, monthTo)).Count), null));
        var (weekFrom, weekTo) = SchoolTime.Days(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6), Zone);
        results.Add(await Measure("Week view (Mon 30 Nov .. Sun 6 Dec)", () => Month(weekFrom, weekTo), null, plan: false));
        results.Add(await Measure("My events: upcoming 50, past 50 (`ListForUserAsync`)", () => InScopeAsync<EventService>(async e =>
            (await e.ListForUserAsync(null, upcoming: true)).Count + (await e.ListForUserAsync(null, upcoming: false)).Count), null));

        // The lead page: its tasks and events (the lead with the most tasks).
        var lead = await BusiestLeadAsync();
        results.Add(await Measure($"Lead page: the tasks ({lead.Tasks}) and events of the lead with the most tasks", async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var tasks = await scope.ServiceProvider.GetRequiredService<TaskService>().ListForLeadAsync(lead.Id);
            var events = await scope.ServiceProvider.GetRequiredService<EventService>().ListForLeadAsync(lead.Id);
            return tasks.Count + events.Count;
        }, null));

        // Admins: another operator's first screen, and the open tasks of disabled operators.
        ActAs(AdminId, admin: true);
        asAdmin = true;
        results.Add(await Measure("Admin: open tasks of the disabled operators (`ListOpenOfDisabledUsersAsync`)", () =>
            InScopeAsync<TaskService>(async t => (await t.ListOpenOfDisabledUsersAsync()).Count), null));
        ActAs(MeId, admin: false);
        asAdmin = false;

        // The iCal feed (TaskBench.Feed.cs).
        results.AddRange(await MeasureFeedAsync(Measure));

        return results;
    }

    private async Task<int> FirstTaskTypeAsync()
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        return await db.TaskTypes.OrderBy(t => t.SortOrder).Select(t => t.Id).FirstAsync();
    }

    private async Task<(int Id, int Tasks)> BusiestLeadAsync()
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        var busiest = await db.Tasks.Where(t => t.LeadId != null).GroupBy(t => t.LeadId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() }).OrderByDescending(g => g.Count).ThenBy(g => g.Id).FirstAsync();
        return (busiest.Id, busiest.Count);
    }

    // The list projection as a hand-written join: names of type, assignee, lead and who completed it.
    private const string TaskItemSql = """
        SELECT t.Id, t.Title, t.TaskTypeId, y.Name, t.DeadlineUtc, t.AssignedToUserId, a.DisplayName, a.IsDisabled,
               t.LeadId, t.StudentId, l.FirstName, l.LastName, t.CompletedAt, c.DisplayName,
               t.AssignedToUserId = $me OR t.CreatedByUserId = $me, t.CreatedByUserId = $me, t.Version
        FROM Tasks t
        JOIN TaskTypes y ON y.Id = t.TaskTypeId
        JOIN AspNetUsers a ON a.Id = t.AssignedToUserId
        LEFT JOIN Leads l ON l.Id = t.LeadId
        LEFT JOIN AspNetUsers c ON c.Id = t.CompletedByUserId
        """;

    private async Task<int> FirstScreenBaselineAsync()
    {
        var bounds = Bounds;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var types = Command(connection, "SELECT Id, Name FROM TaskTypes ORDER BY SortOrder, Id");
        var rows = await ListBench.ReadAllAsync(types);
        await using var users = Command(connection, "SELECT Id, DisplayName FROM AspNetUsers WHERE NOT IsDisabled ORDER BY DisplayName");
        rows += await ListBench.ReadAllAsync(users);
        await using var counts = Command(connection, """
            SELECT
              (SELECT COUNT(*) FROM Tasks WHERE AssignedToUserId = $me AND CompletedAt IS NULL AND DeadlineUtc < $now),
              (SELECT COUNT(*) FROM Tasks WHERE AssignedToUserId = $me AND CompletedAt IS NULL AND DeadlineUtc >= $now AND DeadlineUtc < $today),
              (SELECT COUNT(*) FROM Tasks WHERE AssignedToUserId = $me AND CompletedAt IS NULL AND DeadlineUtc >= $today AND DeadlineUtc < $week),
              (SELECT COUNT(*) FROM Tasks WHERE AssignedToUserId = $me AND CompletedAt IS NULL AND DeadlineUtc >= $week),
              (SELECT COUNT(*) FROM (SELECT 1 FROM Tasks WHERE AssignedToUserId = $me AND CompletedAt IS NOT NULL LIMIT 1000))
            """, ("$now", bounds.NowUtc), ("$today", bounds.EndOfTodayUtc), ("$week", bounds.EndOfWeekUtc));
        rows += await ListBench.ReadAllAsync(counts);
        await using var page = Command(connection, TaskItemSql + """
             WHERE t.AssignedToUserId = $me AND t.CompletedAt IS NULL AND t.DeadlineUtc < $now
             ORDER BY t.DeadlineUtc, t.Id LIMIT 50
            """, ("$now", bounds.NowUtc));
        return rows + await ListBench.ReadAllAsync(page);
    }

    private async Task<int> MonthBaselineAsync(DateTime from, DateTime to)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var tasks = Command(connection, TaskItemSql + """
             WHERE t.AssignedToUserId = $me AND t.DeadlineUtc >= $from AND t.DeadlineUtc < $to
             ORDER BY t.DeadlineUtc, t.Id
            """, ("$from", from), ("$to", to));
        var rows = await ListBench.ReadAllAsync(tasks);
        await using var events = Command(connection, """
            SELECT e.Id, e.Title, e.Location, e.AllDay, e.StartUtc, e.EndUtc, e.StartDate, e.EndDate, e.LeadId, e.StudentId,
                   l.FirstName, l.LastName, 1, e.CreatedByUserId = $me, e.Version
            FROM EventParticipants p
            JOIN Events e ON e.Id = p.EventId
            LEFT JOIN Leads l ON l.Id = e.LeadId
            WHERE p.UserId = $me AND e.StartUtc < $to AND (e.EndUtc > $from OR e.StartUtc >= $from)
            ORDER BY e.StartUtc, e.Id
            """, ("$from", from), ("$to", to));
        return rows + await ListBench.ReadAllAsync(events);
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, DateTime Value)[] instants)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$me", MeId);
        foreach (var (name, value) in instants)
        {
            // As EF Core writes DateTime on SQLite: text that sorts as the instant does.
            command.Parameters.AddWithValue(name, value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        }

        return command;
    }

    /// <summary>
    /// Runs each planned measurement once more with the statements recorded, and asks SQLite for the plan of each
    /// distinct statement (with its parameter values), so the report shows which index each query used.
    /// </summary>
    private async Task<List<(string Name, List<(string Sql, string Plan)> Statements)>> PlansAsync()
    {
        var plans = new List<(string, List<(string, string)>)>();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, action, asAdmin) in planned.Where(p => !p.Name.StartsWith("Baseline", StringComparison.Ordinal)))
        {
            ActAs(asAdmin ? AdminId : MeId, asAdmin);
            var commands = await captured.RecordAsync(action);
            ActAs(MeId, admin: false);
            var statements = new List<(string, string)>();
            foreach (var command in commands.DistinctBy(c => c.Sql))
            {
                await using var explain = connection.CreateCommand();
                explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
                foreach (var (parameter, value) in command.Parameters)
                {
                    explain.Parameters.AddWithValue(parameter, value ?? DBNull.Value);
                }

                var lines = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        lines.Add(reader.GetString(3));
                    }
                }

                statements.Add((command.Sql, string.Join("\n", lines)));
            }

            plans.Add((name, statements));
        }

        return plans;
    }

    private const string StartMarker = "<!-- tasks-benchmark:start -->";
    private const string EndMarker = "<!-- tasks-benchmark:end -->";

    private static string Document(MachineInfo machine, BenchmarkOptions options, List<Measurement> results,
        List<(string Name, List<(string Sql, string Plan)> Statements)> plans, double? seedSeconds, string loadAtStart, string loadAfter)
    {
        var text = new StringBuilder();
        text.AppendLine(StartMarker);
        text.AppendLine("### Run with --tasks (generated by SchoolCrm.Benchmarks)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {options.Runs} timed runs after 3 warm-up runs; median, fastest and 90th percentile of the wall-clock time, and the median CPU time the process used per run.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Summary}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1/5/15 min, running/total) at the start: {loadAtStart}; at the end: {loadAfter}.");
        if (seedSeconds is { } seconds)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Seeded in this run in {seconds:F0} s ({LeadCount:N0} demo leads, then the tasks and events with plain SQL inserts, then ANALYZE).");
        }

        text.AppendLine("- Server-side time of the service calls named, each in a new scope (new DbContext per call as in the app); the signed-in user is \"me\", an operator, unless the row says admin.");
        text.AppendLine();
        text.Append(SchoolCrm.Benchmarks.Report.Table(results));
        text.AppendLine("<details><summary>SQLite's plans of the statements the services sent (EXPLAIN QUERY PLAN with the run's parameters)</summary>");
        text.AppendLine();
        foreach (var (name, statements) in plans)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"**{name}**");
            text.AppendLine();
            text.AppendLine("```text");
            foreach (var (sql, plan) in statements)
            {
                // The statement's first line says which query it is; the plan lines say how SQLite runs it.
                text.AppendLine("-- " + sql.Split('\n')[0].Trim() + (sql.Contains('\n', StringComparison.Ordinal) ? " ..." : ""));
                text.AppendLine(plan);
            }

            text.AppendLine("```");
            text.AppendLine();
        }

        text.AppendLine("</details>");
        text.AppendLine();
        text.AppendLine(EndMarker);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await RevokeFeedAsync();
        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A clock that stands still at <see cref="Now"/>.</summary>
    private sealed class FixedTime(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow, TimeSpan.Zero);
    }

    /// <summary>Records the statements EF Core sends while <see cref="RecordAsync"/> runs (off otherwise).</summary>
    private sealed class CapturedCommands : DbCommandInterceptor
    {
        private List<(string Sql, List<(string Name, object? Value)> Parameters)>? recording;

        public async Task<List<(string Sql, List<(string Name, object? Value)> Parameters)>> RecordAsync(Func<Task<int>> action)
        {
            recording = [];
            try
            {
                await action();
                return recording;
            }
            finally
            {
                recording = null;
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Record(DbCommand command) =>
            recording?.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value is DBNull ? null : p.Value))]));
    }
}
