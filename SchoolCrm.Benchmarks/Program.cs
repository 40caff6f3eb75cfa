using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Benchmarks;
using System.Linq.Expressions;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Demo;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;
using SchoolCrm.Domain.Leads.Fields;

// The lead list benchmark: seeds SQLite files with demo leads (kept in bench-data/ and reused), measures the
// list's queries through the real service, and the main query as hand-written SQL over ADO.NET as a baseline.
//   dotnet run -c Release --project SchoolCrm.Benchmarks -- [--sizes 100000,1000000] [--runs 21] [--out docs/benchmarks.md]
//   [--data bench-data] [--prepare: only seed the files]
//   [--provider Sqlite|PostgreSql|both --postgres "Host=127.0.0.1;Port=...;Username=postgres"]: issue 12, the same
//   queries on PostgreSQL (a database per size on that server, seeded the same way), side by side with SQLite.
var options = BenchmarkOptions.Parse(args);
var machine = MachineInfo.Describe();
Console.WriteLine(machine.Summary);

// --tasks: issue 10's benchmark of My tasks, the calendar and the iCal feed (TaskBench.cs) instead of the lead list.
if (args.Contains("--tasks"))
{
    await TaskBench.MainAsync(args, machine);
    return;
}

// --reminders: issue 11's 10,000 reminders due in one minute, one app instance and two (ReminderBench.cs).
if (args.Contains("--reminders"))
{
    await ReminderBench.MainAsync(args, machine);
    return;
}

// --notifications: issue 11's save-to-receipt latency of live notifications (NotificationBench.cs).
if (args.Contains("--notifications"))
{
    await NotificationBench.MainAsync(args, machine);
    return;
}

// --plan "SQL": SQLite's plan for a statement on the first size's file, with this SQLite version (not the CLI's).
if (Array.IndexOf(args, "--plan") is var planAt and >= 0)
{
    var file = Path.GetFullPath(Path.Combine(options.DataFolder, string.Create(CultureInfo.InvariantCulture, $"leads-{options.Sizes[0]}.db")));
    await using var connection = new SqliteConnection("Data Source=" + file);
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = "EXPLAIN QUERY PLAN " + args[planAt + 1];
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        Console.WriteLine(reader.GetString(3));
    }

    return;
}

var sections = new List<string>();
foreach (var size in options.Sizes)
{
    var runs = new List<ProviderRun>();
    foreach (var provider in options.Providers)
    {
        var database = BenchDatabase.For(provider, options.DataFolder, string.Create(CultureInfo.InvariantCulture, $"leads-{size}"), options.PostgresServer);
        await using var bench = await ListBench.OpenAsync(database, size);
        if (options.PrepareOnly)
        {
            continue;
        }

        Console.WriteLine($"{provider}, {size} leads:");
        var loadAtStart = MachineInfo.LoadAverage();
        // The issue sets the sort and main-query targets at 100k leads and the page target at 1M.
        var results = options.FirstScreen
            ? await bench.FirstScreenAsync(options.Runs, size)
            : await bench.RunAsync(options.Runs, full: size <= 100_000);
        runs.Add(new ProviderRun(provider, results, bench.SeedSeconds, loadAtStart));
    }

    if (!options.PrepareOnly)
    {
        sections.Add(options.WithPostgreSql ? Report.SideBySide(size, runs) : Report.Section(size, runs[0].Results, runs[0].SeedSeconds, runs[0].LoadAtStart));
    }
}

if (options.PrepareOnly)
{
    return;
}

var databases = options.WithPostgreSql
    ? await BenchDatabase.DescribePostgreSqlAsync(BenchDatabase.For(DatabaseProvider.PostgreSql, options.DataFolder, string.Create(CultureInfo.InvariantCulture, $"leads-{options.Sizes[0]}"), options.PostgresServer).ConnectionString)
    : null;
var markdown = Report.Document(machine, options, sections, MachineInfo.LoadAverage(), databases);
Report.WriteInto(options.OutputFile, markdown, options);
Console.WriteLine($"Wrote {options.OutputFile}");

namespace SchoolCrm.Benchmarks
{
    internal sealed record BenchmarkOptions(IReadOnlyList<int> Sizes, int Runs, string OutputFile, string DataFolder, bool PrepareOnly, bool FirstScreen = false)
    {
        /// <summary>The databases each size runs on, in this order (--provider; SQLite alone by default).</summary>
        public IReadOnlyList<DatabaseProvider> Providers { get; init; } = [DatabaseProvider.Sqlite];

        /// <summary>The PostgreSQL server (a connection string without database name).</summary>
        public string? PostgresServer { get; init; }

        public bool WithPostgreSql => Providers.Contains(DatabaseProvider.PostgreSql);

        public static BenchmarkOptions Parse(string[] args)
        {
            string? Value(string name)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            }

            var sizes = (Value("--sizes") ?? "100000,1000000")
                .Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
                .ToList();
            var runs = int.Parse(Value("--runs") ?? "21", CultureInfo.InvariantCulture);
            return new BenchmarkOptions(sizes, runs, Value("--out") ?? "docs/benchmarks.md", Value("--data") ?? "bench-data", args.Contains("--prepare"), args.Contains("--first-screen"))
            {
                Providers = ProvidersOf(Value("--provider")),
                PostgresServer = Value("--postgres") ?? Environment.GetEnvironmentVariable(BenchDatabase.ServerVariable),
            };
        }

        /// <summary>"both" runs SQLite first, then PostgreSQL, each size in one process.</summary>
        public static IReadOnlyList<DatabaseProvider> ProvidersOf(string? value) =>
            value?.Trim().ToUpperInvariant() switch
            {
                null or "" or "SQLITE" => [DatabaseProvider.Sqlite],
                "POSTGRESQL" => [DatabaseProvider.PostgreSql],
                "BOTH" => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql],
                _ => throw new ArgumentException($"--provider {value}: use Sqlite, PostgreSql or both."),
            };
    }

    /// <summary>One measured query: median and spread of the timed runs, and the target it is held to.</summary>
    /// <param name="ServerCpuMs">PostgreSQL: the server's CPU per run (the mean: its clock ticks are too coarse for a median).</param>
    internal sealed record Measurement(string Name, double MedianMs, double MinMs, double P90Ms, double CpuMs, double? TargetMs, double? ServerCpuMs = null)
    {
        public bool? Met => TargetMs is { } target ? MedianMs <= target : null;
    }

    /// <summary>The signed-in user the services see: the benchmark acts as the first admin.</summary>
    internal sealed class BenchmarkUser : AuthenticationStateProvider
    {
        public ClaimsPrincipal Principal { get; set; } = new();

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(Principal));
    }

    /// <summary>The services both benchmarks run against: the app's database setup and Identity, and the benchmark's user.</summary>
    internal static class BenchHost
    {
        public const string AdminEmail = "admin@bench.invalid";

        /// <summary>Builds the services on the SQLite file at <paramref name="path"/>, migrates it and creates the first admin.</summary>
        public static Task<ServiceProvider> StartAsync(string path, TimeProvider time, TimeZoneInfo zone, Action<IServiceCollection, IConfiguration> add) =>
            StartAsync(BenchDatabase.Sqlite(path), time, zone, add);

        /// <summary>Builds the services on <paramref name="database"/>, migrates it and creates the first admin.</summary>
        public static async Task<ServiceProvider> StartAsync(BenchDatabase database, TimeProvider time, TimeZoneInfo zone, Action<IServiceCollection, IConfiguration> add)
        {
            var settings = database.Settings();
            settings["Bootstrap:AdminEmail"] = AdminEmail;
            settings["Bootstrap:AdminPassword"] = "Bench-Admin-1234!";
            var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var collection = new ServiceCollection();
            collection.AddLogging();
            collection.AddSingleton<IConfiguration>(config);
            collection.AddSingleton(time);
            collection.AddSingleton(new SchoolClock(time, zone));
            collection.AddCrmDatabase(config);
            collection.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<CrmDbContext>();
            collection.AddScoped<FirstAdminBootstrap>();
            collection.AddSingleton<BenchmarkUser>();
            collection.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<BenchmarkUser>());
            collection.AddScoped<CurrentUser>();
            add(collection, config);
            var services = collection.BuildServiceProvider();

            await DatabaseSetup.MigrateAsync(services);
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<FirstAdminBootstrap>().RunAsync();
            }

            return services;
        }
    }

    internal sealed class ListBench : IAsyncDisposable
    {
        private const string MainSearch = "ross";

        private readonly ServiceProvider services;
        private readonly string connectionString;
        private readonly DatabaseProvider provider;
        private int mainStatusId;

        private ListBench(ServiceProvider services, string connectionString, DatabaseProvider provider)
        {
            this.services = services;
            this.connectionString = connectionString;
            this.provider = provider;
        }

        public double? SeedSeconds { get; private set; }

        /// <summary>PostgreSQL: the server whose CPU each measurement adds (null on SQLite, or when it is not readable here).</summary>
        private ServerCpu? serverCpu;

        public static async Task<ListBench> OpenAsync(BenchDatabase database, int leads)
        {
            var path = database.Where;
            var services = await BenchHost.StartAsync(database, TimeProvider.System, TimeZoneInfo.Utc, (collection, _) => collection.AddScoped<LeadListService>());

            var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            var bench = new ListBench(services, factory.CreateDbContext().Database.GetConnectionString()!, database.Provider);
            if (database.Provider == DatabaseProvider.PostgreSql)
            {
                bench.serverCpu = await ServerCpu.FindAsync(bench.connectionString);
            }

            await using (var db = await factory.CreateDbContextAsync())
            {
                var existing = await db.Leads.CountAsync();
                if (existing != leads)
                {
                    if (existing != 0)
                    {
                        throw new InvalidOperationException($"{path} holds {existing} leads, not {leads}; delete it to re-seed.");
                    }

                    Console.WriteLine($"Seeding {leads} leads into {path} ...");
                    var watch = Stopwatch.StartNew();
                    await DemoData.SeedAsync(services, leads, seed: 42, log: Console.Out);
                    bench.SeedSeconds = watch.Elapsed.TotalSeconds;
                }

                var admin = await db.Users.Where(u => u.Email == BenchHost.AdminEmail).Select(u => u.Id).FirstAsync();
                services.GetRequiredService<BenchmarkUser>().Principal = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, admin), new Claim(ClaimTypes.Role, Roles.Admin)], "Benchmark"));

                // The status most leads have: the hardest status filter for the count.
                bench.mainStatusId = await db.Leads.GroupBy(l => l.StatusId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            }

            return bench;
        }

        public async Task<List<Measurement>> RunAsync(int runs, bool full)
        {
            var results = new List<Measurement>();
            var main = new LeadListQuery { StatusId = mainStatusId, Search = MainSearch, Sort = LeadColumns.Name };
            var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            string me;
            await using (var db = await factory.CreateDbContextAsync())
            {
                me = (await services.GetRequiredService<BenchmarkUser>().GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            }

            async Task<int> Page(LeadListQuery query)
            {
                await using var scope = services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<LeadListService>().GetPageAsync(query);
                return result.TotalCount;
            }

            async Task<int> PageOnly(LeadListQuery query)
            {
                await using var db = await factory.CreateDbContextAsync();
                var columns = await LeadListService.GetColumnsAsync(db, default);
                var filtered = LeadQueries.Apply(db.Leads.AsNoTracking(), query, me);
                var sorted = LeadQueries.Sort(filtered, db, columns.First(c => c.Key == query.Sort), query.Descending);
                return (await LeadListService.PageRowsAsync(db, sorted, 0, query.PageSize, default)).Count;
            }

            async Task<int> CountOnly(LeadListQuery query)
            {
                await using var db = await factory.CreateDbContextAsync();
                return await LeadQueries.Apply(db.Leads.AsNoTracking(), query, me).CountAsync();
            }

            results.Add(await MeasureHereAsync("Main: status + search \"ross\" + sort by name, page 1 of 25, with total count", () => Page(main), runs, full ? 100 : null));
            results.Add(await MeasureHereAsync("Baseline: the same as hand-written SQL over ADO.NET", () => BaselineAsync(mainStatusId, MainSearch), runs, null));
            results.Add(await MeasureHereAsync("Main page alone (no count)", () => PageOnly(main), runs, full ? null : 50));
            results.Add(await MeasureHereAsync("Main count alone", () => CountOnly(main), runs, null));
            results.Add(await MeasureHereAsync("Count, no filter (every lead in the CRM)", () => CountOnly(new LeadListQuery()), runs, null));
            results.Add(await MeasureHereAsync("Count, status filter only", () => CountOnly(new LeadListQuery { StatusId = mainStatusId }), runs, null));
            results.Add(await MeasureHereAsync("Main with sort by capture date, newest first", () => Page(main with { Sort = LeadFields.CaptureDate.Key, Descending = true }), runs, full ? 100 : null));

            // Issue 9: a saved filter as the list will run it. Each run loads the catalogue, reads, checks and
            // translates the filter's JSON, as a request that opens the list with a filter does.
            var filterJson = await SavedFilterJsonAsync();
            async Task<int> Filtered(LeadListQuery query, bool withCount, int pageSize = 25)
            {
                await using var db = await factory.CreateDbContextAsync();
                var columns = await LeadListService.GetColumnsAsync(db, default);
                var filtered = LeadQueries.Apply(db.Leads.AsNoTracking(), query.Normalized(), me).Where(await FilterAsync(db, filterJson, me));
                var page = query with { PageSize = pageSize };
                return withCount
                    ? (await LeadListService.PageAsync(db, filtered, page, columns, default)).TotalCount
                    : (await LeadListService.PageWithoutCountAsync(db, filtered, page, columns, default)).Count;
            }

            async Task<int> FilteredCount()
            {
                await using var db = await factory.CreateDbContextAsync();
                return await LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery(), me).Where(await FilterAsync(db, filterJson, me)).CountAsync();
            }

            // The builder's live preview: how many leads match and the first ten, by name.
            async Task<int> Preview()
            {
                await using var db = await factory.CreateDbContextAsync();
                var filtered = LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery(), me).Where(await FilterAsync(db, filterJson, me));
                var count = await filtered.CountAsync();
                var rows = await LeadListService.PageRowsAsync(db, LeadQueries.Sort(filtered, db, LeadFields.Name, false), 0, 10, default);
                return count + rows.Count;
            }

            var byName = new LeadListQuery();
            results.Add(await MeasureHereAsync($"Saved filter {SavedFilterText}, by name, page 1 of 25 with count", () => Filtered(byName, withCount: true), runs, full ? 100 : null));
            results.Add(await MeasureHereAsync("Baseline: the same filter as hand-written SQL over ADO.NET (count + page)", () => FilterBaselineAsync(filterJson), runs, null));
            results.Add(await MeasureHereAsync("Saved filter page alone (no count)", () => Filtered(byName, withCount: false), runs, full ? null : 50));
            results.Add(await MeasureHereAsync("Saved filter count alone", FilteredCount, runs, null));
            results.Add(await MeasureHereAsync("Saved filter count up to 10,000 (\"more than 10,000\" beyond)", async () =>
            {
                await using var db = await factory.CreateDbContextAsync();
                var filtered = LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery(), me).Where(await FilterAsync(db, filterJson, me));
                return await LeadListService.CountUpToAsync(filtered, 10_000, default);
            }, runs, null));
            var byBudget = byName with { Sort = await CustomKeyAsync(CustomFieldType.Number) };
            results.Add(await MeasureHereAsync("Saved filter, sorted by Budget (custom number), page 1 of 25 with count", () => Filtered(byBudget, withCount: true), runs, full ? 100 : null));
            results.Add(await MeasureHereAsync("Live preview: count + first ten by name of the saved filter", Preview, runs, full ? 300 : null));

            if (full)
            {
                List<LeadField> columns;
                await using (var db = await factory.CreateDbContextAsync())
                {
                    columns = [.. await LeadListService.GetColumnsAsync(db, default)];
                }

                foreach (var column in columns.Where(c => c.IsSortable))
                {
                    foreach (var descending in new[] { false, true })
                    {
                        var name = $"Sort by {column.CustomFieldName ?? column.Key}{(column.IsCustom ? $" (custom, {column.Type})" : "")} {(descending ? "desc" : "asc")}, no filter, with count";
                        var query = new LeadListQuery { Sort = column.Key, Descending = descending, Columns = [.. LeadColumns.DefaultVisible, .. columns.Where(c => c.IsCustom).Select(c => c.Key)] };
                        // Issue 9 holds custom-field sorts to 100 ms; the standard columns keep issue 3's 150 ms.
                        results.Add(await MeasureHereAsync(name, () => Page(query), Math.Max(5, runs / 2), column.IsCustom ? 100 : 150));
                    }
                }
            }

            return results;
        }

        private const string SavedFilterText = "\"Newsletter ticked AND city contains 'an' AND (status is any of the two commonest OR captured in the last 30 days)\"";

        /// <summary>The saved filter of issue 9's benchmark: three conditions, one on a custom field, one an OR group.</summary>
        /// <summary>
        /// --first-screen: what the list's first screen waits for since the rows come before the count (issue 9): the
        /// rows as the page reads them (one row past the page, no count), then the count it fills in after them.
        /// </summary>
        public async Task<List<Measurement>> FirstScreenAsync(int runs, int size)
        {
            var results = new List<Measurement>();
            var main = new LeadListQuery { StatusId = mainStatusId, Search = MainSearch, Sort = LeadColumns.Name };
            var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            var me = (await services.GetRequiredService<BenchmarkUser>().GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            var filterJson = await SavedFilterJsonAsync();
            double? AtMillion(double target) => size >= 1_000_000 ? target : null;
            double? AtHundredThousand(double target) => size == 100_000 ? target : null;

            async Task<int> Service(Func<LeadListService, Task<int>> read)
            {
                await using var scope = services.CreateAsyncScope();
                return await read(scope.ServiceProvider.GetRequiredService<LeadListService>());
            }

            // The saved filter as JSON (as in RunAsync), so each run reads, checks and translates it like the list does.
            async Task<int> Saved(bool rows, bool count)
            {
                await using var db = await factory.CreateDbContextAsync();
                var columns = await LeadListService.GetColumnsAsync(db, default);
                var filtered = LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery(), me).Where(await FilterAsync(db, filterJson, me));
                var total = 0;
                if (rows)
                {
                    total += (await LeadListService.PageWithoutCountAsync(db, filtered, new LeadListQuery(), columns, default, lookAhead: 1)).Count;
                }

                if (count)
                {
                    total += await LeadListService.CountUpToAsync(filtered, LeadListService.CountLimit, default);
                }

                return total;
            }

            results.Add(await MeasureHereAsync("Main: the rows the first screen waits for (GetRowsAsync: page + one row, no count)", () => Service(async l => (await l.GetRowsAsync(main)).Rows.Count), runs, AtMillion(50)));
            results.Add(await MeasureHereAsync("Main: the count filled in after them (CountAsync, up to 10,000)", () => Service(l => l.CountAsync(main)), runs, null));
            results.Add(await MeasureHereAsync("Main: rows then count (the screen complete)", () => Service(async l => (await l.GetRowsAsync(main)).Rows.Count + await l.CountAsync(main)), runs, null));
            results.Add(await MeasureHereAsync("Main: page with count before the rows (GetPageAsync, as before)", () => Service(async l => (await l.GetPageAsync(main)).TotalCount), runs, null));
            results.Add(await MeasureHereAsync($"Saved filter {SavedFilterText}: the rows the first screen waits for (page + one row, no count)", () => Saved(rows: true, count: false), runs, size >= 1_000_000 ? 50 : 100));
            results.Add(await MeasureHereAsync("Saved filter: the count filled in after them (up to 10,000)", () => Saved(rows: false, count: true), runs, null));
            results.Add(await MeasureHereAsync("Saved filter: rows then count (the screen complete)", () => Saved(rows: true, count: true), runs, AtHundredThousand(100)));
            results.Add(await MeasureHereAsync("Baseline: the saved filter as hand-written SQL over ADO.NET (full count + page)", () => FilterBaselineAsync(filterJson), runs, null));
            return results;
        }

        private async Task<string> SavedFilterJsonAsync()
        {
            var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var newsletter = await db.CustomFields.Where(f => f.Name == "Newsletter").Select(f => f.Id).SingleAsync();
            var statuses = await db.Leads.GroupBy(l => l.StatusId).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(2).ToListAsync();
            return string.Create(CultureInfo.InvariantCulture, $$"""
                { "v": 1, "all": [
                    { "field": "{{LeadFields.CustomKey(newsletter)}}", "op": "ticked" },
                    { "field": "city", "op": "contains", "value": "an" },
                    { "any": [
                        { "field": "status", "op": "any_of", "value": [{{statuses[0]}}, {{statuses[1]}}] },
                        { "field": "captured", "op": "last_days", "value": 30 } ] } ] }
                """);
        }

        private async Task<string> CustomKeyAsync(CustomFieldType type)
        {
            var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            return LeadFields.CustomKey(await db.CustomFields.Where(f => f.Type == type).Select(f => f.Id).FirstAsync());
        }

        /// <summary>The filter as a request gets it: catalogue loaded, JSON read, checked and translated.</summary>
        private static async Task<Expression<Func<Lead, bool>>> FilterAsync(CrmDbContext db, string json, string me)
        {
            var fields = await db.CustomFields.AsNoTracking().Include(f => f.Options).ToListAsync();
            var statuses = await db.LeadStatuses.Select(s => s.Id).ToListAsync();
            var users = await db.Users.Select(u => u.Id).ToListAsync();
            var catalogue = new FilterCatalogue(fields.Select(CustomFieldDefinition.From), statuses, users, [], []);
            var read = FilterJson.Read(json);
            var checkedFilter = FilterCheck.Check(read.Filter ?? throw new InvalidOperationException(read.Error), catalogue);
            if (checkedFilter.Broken.Count > 0)
            {
                throw new InvalidOperationException("The benchmark's filter has broken conditions.");
            }

            return FilterExpressions.ToExpression(checkedFilter, new FilterContext(me, DateTime.UtcNow, TimeZoneInfo.Utc));
        }

        /// <summary>
        /// Count and first page (by name) of the saved filter, written by hand. One SQL text for both databases
        /// (quoted identifiers and @parameters read the same on SQLite and PostgreSQL); only the substring function
        /// and the date parameter's type differ.
        /// </summary>
        private async Task<int> FilterBaselineAsync(string json)
        {
            var filter = FilterJson.Read(json).Filter!;
            var conditions = filter.Root.Members.OfType<FilterCondition>().ToList();
            var group = filter.Root.Members.OfType<FilterGroup>().Single().Members.OfType<FilterCondition>().ToList();
            LeadFields.TryGetCustomFieldId(conditions[0].Field, out var newsletter);
            var statuses = group[0].Value!.Value.EnumerateArray().Select(e => e.GetInt32()).ToList();
            var since = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-29);
            var where = $"""
                l."ConvertedAt" IS NULL
                AND EXISTS (SELECT 1 FROM "CustomFieldValues" v WHERE v."LeadId" = l."Id" AND v."CustomFieldId" = @newsletter AND v."BoolValue" = TRUE)
                AND l."CityKey" IS NOT NULL AND {(provider == DatabaseProvider.PostgreSql ? "strpos" : "instr")}(l."CityKey", @city) > 0
                AND (l."StatusId" IN (@s0, @s1) OR l."CaptureDate" >= @since)
                """;
            await using var connection = await BenchDatabase.OpenAsync(provider, connectionString);
            void Bind(DbCommand command)
            {
                Parameter(command, "@newsletter", newsletter);
                Parameter(command, "@city", "an");
                Parameter(command, "@s0", statuses[0]);
                Parameter(command, "@s1", statuses[1]);
                Parameter(command, "@since", provider == DatabaseProvider.PostgreSql ? since : since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM \"Leads\" l WHERE " + where;
            Bind(count);
            var total = Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            await using var page = connection.CreateCommand();
            page.CommandText = PageSql + " WHERE " + where + " ORDER BY l.\"LastNameKey\", l.\"FirstNameKey\", l.\"Id\" LIMIT 25";
            Bind(page);
            return total + await ReadAllAsync(page);
        }

        private static void Parameter(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        private const string PageSql = """
            SELECT l."Id", l."FirstName", l."LastName", l."CompanyName", l."Email", l."Phone", l."Mobile", l."TaxCode", l."Address", l."City",
                   l."Zip", l."Province", l."CaptureDate", l."DateOfBirth", l."Gender", l."PrivacyConsent", l."StatusId", s."Name", s."Color",
                   l."AssignedToUserId", u."DisplayName", l."CreatedAt", l."UpdatedAt"
            FROM "Leads" l
            JOIN "LeadStatuses" s ON s."Id" = l."StatusId"
            LEFT JOIN "AspNetUsers" u ON u."Id" = l."AssignedToUserId"
            """;

        internal static async Task<int> ReadAllAsync(DbCommand command)
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows++;
            }

            return rows;
        }

        /// <summary>Count and first page of the main query, written by hand: what EF Core is compared with.</summary>
        private async Task<int> BaselineAsync(int statusId, string search)
        {
            const string where = """
                l."ConvertedAt" IS NULL AND l."StatusId" = @status AND l."SearchText" LIKE @p ESCAPE '\'
                """;
            var pattern = "%" + PersonSearch.EscapeLike(TextFolding.Fold(search)) + "%";
            await using var connection = await BenchDatabase.OpenAsync(provider, connectionString);
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM \"Leads\" l WHERE " + where;
            Parameter(count, "@status", statusId);
            Parameter(count, "@p", pattern);
            var total = Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);

            await using var page = connection.CreateCommand();
            page.CommandText = PageSql + " WHERE " + where + " ORDER BY l.\"LastNameKey\", l.\"FirstNameKey\", l.\"Id\" LIMIT 25";
            Parameter(page, "@status", statusId);
            Parameter(page, "@p", pattern);
            return total + await ReadAllAsync(page);
        }

        /// <summary>A measurement on this bench's database: on PostgreSQL with the server's CPU beside the process's.</summary>
        private Task<Measurement> MeasureHereAsync(string name, Func<Task<int>> action, int runs, double? targetMs) =>
            MeasureAsync(name, action, runs, targetMs, serverCpu);

        internal static async Task<Measurement> MeasureAsync(string name, Func<Task<int>> action, int runs, double? targetMs, ServerCpu? server = null)
        {
            for (var i = 0; i < 3; i++)
            {
                await action();
            }

            // CPU time shows what a run costs when the machine is shared: the wall-clock time also holds the waiting.
            var times = new List<double>();
            var cpu = new List<double>();
            using var process = Process.GetCurrentProcess();
            var serverBefore = server?.TotalMs();
            for (var i = 0; i < runs; i++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await action();
                times.Add(watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }

            times.Sort();
            cpu.Sort();
            var serverMs = server is null ? (double?)null : (server.TotalMs() - serverBefore!.Value) / runs;
            var measurement = new Measurement(name, times[times.Count / 2], times[0], times[(int)Math.Ceiling(times.Count * 0.9) - 1], cpu[cpu.Count / 2], targetMs, serverMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {measurement.MedianMs,8:F1} ms  (cpu {measurement.CpuMs,7:F1}{(serverMs is { } ms ? $" + server {ms:F1}" : "")})  {name}"));
            return measurement;
        }

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            BenchDatabase.ClearPools();
        }
    }

    internal sealed record MachineInfo(string Summary)
    {
        public static MachineInfo Describe()
        {
            var cpu = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
            var ramGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024d / 1024 / 1024;
            return new MachineInfo(string.Create(CultureInfo.InvariantCulture,
                $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {ramGb:F0} GB RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, SQLite {SqliteVersion()}"));
        }

        public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

        private static string SqliteVersion()
        {
            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            return (string)command.ExecuteScalar()!;
        }
    }

    /// <summary>One size's measurements on one provider.</summary>
    internal sealed record ProviderRun(DatabaseProvider Provider, List<Measurement> Results, double? SeedSeconds, string LoadAtStart);

    internal static class Report
    {
        // One generated block per set of sizes, so a 1M run can be repeated without redoing the 100k one; runs on
        // PostgreSQL (issue 12) and first-screen runs beside them get blocks of their own.
        private static string Block(BenchmarkOptions options) =>
            string.Join(',', options.Sizes)
            + (options.WithPostgreSql ? ":" + string.Join(',', options.Providers) : "")
            + (options.WithPostgreSql && options.FirstScreen ? ":first-screen" : "");

        private static string Start(BenchmarkOptions options) => $"<!-- lead-list-benchmark:{Block(options)}:start -->";

        private static string End(BenchmarkOptions options) => $"<!-- lead-list-benchmark:{Block(options)}:end -->";

        /// <summary>
        /// One size on every provider of the run, one row per query: each provider's median and CPU (on PostgreSQL the
        /// process's plus the server's), and each provider's verdict against the same target.
        /// </summary>
        public static string SideBySide(int size, List<ProviderRun> runs)
        {
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"#### {size:N0} leads");
            text.AppendLine();
            foreach (var run in runs)
            {
                var seeded = run.SeedSeconds is { } seconds ? string.Create(CultureInfo.InvariantCulture, $"; seeded now with the `seed-demo` code in {seconds:F0} s") : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"- {run.Provider}: load average when it started {run.LoadAtStart}{seeded}.");
            }

            text.AppendLine();
            text.Append("| Query |");
            foreach (var run in runs)
            {
                text.Append(CultureInfo.InvariantCulture, $" {run.Provider} median ms | {run.Provider} CPU ms |");
            }

            text.Append(" Target |");
            foreach (var run in runs)
            {
                text.Append(CultureInfo.InvariantCulture, $" {run.Provider} |");
            }

            text.AppendLine();
            text.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|---:|")) + "---:|" + string.Concat(runs.Select(_ => "---|")));
            for (var i = 0; i < runs[0].Results.Count; i++)
            {
                var row = runs.Select(r => r.Results[i]).ToList();
                text.Append(CultureInfo.InvariantCulture, $"| {row[0].Name} |");
                foreach (var m in row)
                {
                    var cpu = m.ServerCpuMs is { } server
                        ? string.Create(CultureInfo.InvariantCulture, $"{m.CpuMs + server:F1} ({m.CpuMs:F1} + {server:F1})")
                        : m.CpuMs.ToString("F1", CultureInfo.InvariantCulture);
                    text.Append(CultureInfo.InvariantCulture, $" {m.MedianMs:F1} | {cpu} |");
                }

                text.Append(row[0].TargetMs is { } t ? " ≤ " + t.ToString("F0", CultureInfo.InvariantCulture) + " |" : " |");
                foreach (var m in row)
                {
                    text.Append(m.Met switch { true => " met |", false => " **missed** |", null => " |" });
                }

                text.AppendLine();
            }

            text.AppendLine();
            return text.ToString();
        }

        public static string Section(int size, List<Measurement> results, double? seedSeconds, string loadAtStart)
        {
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"#### {size:N0} leads");
            text.AppendLine();
            if (seedSeconds is { } seconds)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Seeded with `seed-demo` code in {seconds:F0} s (leads, custom values and comments).");
                text.AppendLine();
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"Load average when this size started: {loadAtStart}.");
            text.AppendLine();
            text.Append(Table(results));
            return text.ToString();
        }

        /// <summary>The measurements as a markdown table (median, min, P90, CPU, target and verdict), then an empty line.</summary>
        public static string Table(IEnumerable<Measurement> results)
        {
            var text = new StringBuilder();
            text.AppendLine("| Query | Median ms | Min | P90 | CPU ms (median) | Target | |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
            foreach (var m in results)
            {
                var verdict = m.Met switch { true => "met", false => "**missed**", null => "" };
                var target = m.TargetMs is { } t ? "≤ " + t.ToString("F0", CultureInfo.InvariantCulture) : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {m.Name} | {m.MedianMs:F1} | {m.MinMs:F1} | {m.P90Ms:F1} | {m.CpuMs:F1} | {target} | {verdict} |");
            }

            text.AppendLine();
            return text.ToString();
        }

        public static string Document(MachineInfo machine, BenchmarkOptions options, List<string> sections, string loadAfter, string? postgreSql = null)
        {
            var text = new StringBuilder();
            text.AppendLine(Start(options));
            text.AppendLine(CultureInfo.InvariantCulture, $"### Run with --sizes {string.Join(',', options.Sizes)} (generated by SchoolCrm.Benchmarks)");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {options.Runs} timed runs after 3 warm-up runs (sorts: {Math.Max(5, options.Runs / 2)}); median, fastest and 90th percentile of the wall-clock time, and the median CPU time the process used per run.");
            text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Summary}.");
            text.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1/5/15 min, running/total) at the end of the run: {loadAfter}.");
            if (postgreSql is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- Providers in this order, each size in one process: {string.Join(", then ", options.Providers)}. {postgreSql} on 127.0.0.1, same machine; one database per size, seeded with the same `seed-demo` code, `ANALYZE` after the seed. CPU on PostgreSQL: this process's median plus the server processes' mean per run (in brackets).");
                text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `dotnet run -c Release --project SchoolCrm.Benchmarks -- --sizes {string.Join(',', options.Sizes)} --runs {options.Runs} --provider both --postgres \"Host=127.0.0.1;Port=...;Username=postgres\"{(options.FirstScreen ? " --first-screen" : "")}`.");
            }

            text.AppendLine("- Server-side time of `LeadListService.GetPageAsync` (new DbContext, count, page, custom values of the visible columns) unless the row says otherwise.");
            text.AppendLine();
            foreach (var section in sections)
            {
                text.Append(section);
            }

            text.AppendLine(End(options));
            return text.ToString();
        }

        /// <summary>Replaces this benchmark's part of the file; other benchmarks' parts and hand-written notes stay.</summary>
        public static void WriteInto(string path, string generated, BenchmarkOptions options) =>
            WriteInto(path, generated, Start(options), End(options));

        /// <summary>Replaces the part between the two markers (appends it when they are missing).</summary>
        public static void WriteInto(string path, string generated, string startMarker, string endMarker)
        {
            var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n";
            var start = existing.IndexOf(startMarker, StringComparison.Ordinal);
            var end = existing.IndexOf(endMarker, StringComparison.Ordinal);
            var updated = start >= 0 && end > start
                ? existing[..start] + generated + existing[(end + endMarker.Length)..].TrimStart('\r', '\n').Insert(0, "\n")
                : existing.TrimEnd() + "\n\n" + generated;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, updated);
        }
    }
}
