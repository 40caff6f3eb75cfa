using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// Issue 11 "Speed and load", first point: 50 operators connected to the real app on Kestrel at 127.0.0.1 as SignalR
/// .NET clients (WebSockets, each with the cookie of a real sign-in through the form). An admin saves tasks with
/// "immediate notification" for them one after another through the real TaskService; the latency is from the start of
/// the save to the moment the assignee's client holds the signal. Measured once on a quiet app and once while a
/// 100k-row import (the import benchmark's generated file, through LeadImportService) runs in the same app.
///   dotnet run -c Release --project SchoolCrm.Benchmarks -- --notifications [--operators 50] [--saves 1000] [--interval-ms 50]
///   [--out docs/benchmarks.md]
/// The app, its clients and the saver share this process and the machine's cores, as they would on one small server.
/// Issue 12, <c>--nodes 2</c> (under scripts/test-redis.sh, or <c>--redis host:port</c>): two app nodes on Kestrel on one
/// database with the Redis backplane; every save goes through node A, and the same operators are connected twice,
/// once to node A (one node's path, with the backplane on) and once to node B (the signal crosses Redis), measured in
/// turns in the same run. <c>--provider PostgreSql --postgres "Host=...;Port=...;Username=..."</c> puts the app on a
/// new PostgreSQL database of that server instead of a SQLite file.
/// </summary>
internal static partial class NotificationBench
{
    private const string StartMarker = "<!-- notification-latency-benchmark:start -->";
    private const string EndMarker = "<!-- notification-latency-benchmark:end -->";

    // Issue 12's runs with two nodes, one block per provider.
    private static string NodesMarker(DatabaseProvider provider, string end) => $"<!-- notification-latency-benchmark:nodes2:{provider}:{end} -->";
    private const string AdminEmail = "admin@bench.invalid";
    private const string Password = "Bench-Pass-1234!";
    private const int WarmUpSaves = 30;
    private const int ImportRows = 100_000;
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(10);

    public static async Task MainAsync(string[] args, MachineInfo machine)
    {
        var operators = Option(args, "--operators", 50);
        var saves = Option(args, "--saves", 1000);
        // A save every 50 ms at most: 20 a second, far more than 50 operators make, yet no endless stream of writes
        // that would hold the import off the database (back to back, the import took five times as long).
        var interval = TimeSpan.FromMilliseconds(Option(args, "--interval-ms", 50));
        var output = OptionText(args, "--out", "docs/benchmarks.md");
        var nodes = Option(args, "--nodes", 1);
        if (nodes is not (1 or 2))
        {
            throw new ArgumentException("--nodes is 1 or 2.");
        }

        var provider = BenchmarkOptions.ProvidersOf(OptionText(args, "--provider", "Sqlite")).Single();
        var database = NewDatabase(provider, OptionText(args, "--postgres", Environment.GetEnvironmentVariable(BenchDatabase.ServerVariable) ?? ""));
        var redis = OptionText(args, "--redis", Environment.GetEnvironmentVariable("SCHOOLCRM_TEST_REDIS") ?? "");
        if (nodes == 2 && redis.Length == 0)
        {
            throw new ArgumentException("--nodes 2 needs Redis: run under scripts/test-redis.sh, or give --redis host:port.");
        }

        if (nodes == 2)
        {
            await TwoNodesAsync(machine, operators, saves, interval, output, provider, database, redis);
            return;
        }

        var importFile = ImportFile();

        await using var app = new BenchApp(database, redis.Length > 0 ? redis : null, "bench-single");
        var baseAddress = app.Start();
        Console.WriteLine($"App on {baseAddress}; {operators} operators sign in and connect");
        var admin = await app.FindUserAsync(AdminEmail);
        var typeId = await app.FirstTaskTypeIdAsync();
        var clients = new List<OperatorClient>();
        for (int i = 0; i < operators; i++)
        {
            var user = await app.NewOperatorAsync($"operator{i}@bench.invalid", $"Operator {i}");
            clients.Add(await OperatorClient.ConnectAsync(baseAddress, user));
        }

        var loadAtStart = MachineInfo.LoadAverage();
        var saver = new Saver(app, admin, typeId, clients, interval);
        await saver.RunAsync(WarmUpSaves, () => true);
        var quiet = await saver.RunAsync(saves, () => true);
        Console.WriteLine($"Quiet: {quiet.Saves}; baseline {quiet.Baseline}");

        var import = await app.StartImportAsync(admin, importFile);
        var watch = Stopwatch.StartNew();
        var duringImport = await saver.RunAsync(int.MaxValue, () => !import.IsCompleted);
        var importState = await import;
        var importSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"During the import ({importState}, {importSeconds:F1} s): {duringImport.Saves}; baseline {duringImport.Baseline}");

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var strays = clients.Sum(c => c.Strays);
        var markdown = Document(machine, operators, interval, quiet, duringImport, importState, importSeconds, strays, loadAtStart, MachineInfo.LoadAverage());
        Report.WriteInto(output, markdown, StartMarker, EndMarker);
        Console.WriteLine($"Wrote {output}");
    }

    /// <summary>A new, empty database for one run: a SQLite file in the first node's folder, or a new PostgreSQL database.</summary>
    private static BenchDatabase? NewDatabase(DatabaseProvider provider, string postgresServer) =>
        provider == DatabaseProvider.Sqlite
            ? null
            : BenchDatabase.For(provider, "", "notifications_" + Guid.NewGuid().ToString("N")[..8], postgresServer);

    /// <summary>
    /// Issue 12: node A and node B on one database and one Redis. Each operator is connected to both nodes; each save
    /// (through node A) is timed once to the operator's client on A and once to the one on B, in turns, so both paths
    /// meet the same moments of the machine. Quiet first, then while the 100k import runs on node A.
    /// </summary>
    private static async Task TwoNodesAsync(MachineInfo machine, int operators, int saves, TimeSpan interval, string output,
        DatabaseProvider provider, BenchDatabase? database, string redis)
    {
        var importFile = ImportFile();

        // Each run has its own channel prefix on the Redis server, so nothing else on it is heard.
        var redisSetting = redis + ",channelPrefix=bench-" + Guid.NewGuid().ToString("N")[..8];
        await using var nodeA = new BenchApp(database, redisSetting, "bench-a");
        var addressA = nodeA.Start();
        await using var nodeB = new BenchApp(database ?? nodeA.Database, redisSetting, "bench-b");
        var addressB = nodeB.Start();
        Console.WriteLine($"Node A on {addressA}, node B on {addressB} ({provider}, Redis {redis}); {operators} operators sign in on each and connect");
        var admin = await nodeA.FindUserAsync(AdminEmail);
        var typeId = await nodeA.FirstTaskTypeIdAsync();
        var onA = new List<OperatorClient>();
        var onB = new List<OperatorClient>();
        for (int i = 0; i < operators; i++)
        {
            var user = await nodeA.NewOperatorAsync($"operator{i}@bench.invalid", $"Operator {i}");
            onA.Add(await OperatorClient.ConnectAsync(addressA, user));
            onB.Add(await OperatorClient.ConnectAsync(addressB, user));
        }

        var loadAtStart = MachineInfo.LoadAverage();
        var saverA = new Saver(nodeA, admin, typeId, onA, interval);
        // Node B's turns start half-way round the operators: each save also reaches the same operator's other client,
        // and that client is armed again only many turns later, when the stray signal is long there.
        var saverB = new Saver(nodeA, admin, typeId, onB, interval, firstOperator: operators / 2);
        async Task<((Latencies, Latencies) A, (Latencies, Latencies) B)> InTurnsAsync(int maxSaves, Func<bool> goOn)
        {
            var timingsA = (new Timings(), new Timings());
            var timingsB = (new Timings(), new Timings());
            for (int i = 0; i < maxSaves && goOn(); i++)
            {
                await saverA.StepAsync(timingsA);
                await saverB.StepAsync(timingsB);
            }

            return ((timingsA.Item1.Latencies(), timingsA.Item2.Latencies()), (timingsB.Item1.Latencies(), timingsB.Item2.Latencies()));
        }

        await InTurnsAsync(WarmUpSaves, () => true);
        // Half the saves for each path, so a run of --saves costs what a one-node run does.
        var quiet = await InTurnsAsync(saves / 2, () => true);
        Console.WriteLine($"Quiet, node A: {quiet.A.Item1}; node B: {quiet.B.Item1}; bare signal to B {quiet.B.Item2}");

        var import = await nodeA.StartImportAsync(admin, importFile);
        var watch = Stopwatch.StartNew();
        var duringImport = await InTurnsAsync(int.MaxValue, () => !import.IsCompleted);
        var importState = await import;
        var importSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"During the import ({importState}, {importSeconds:F1} s), node A: {duringImport.A.Item1}; node B: {duringImport.B.Item1}");

        foreach (var client in onA.Concat(onB))
        {
            await client.DisposeAsync();
        }

        var strays = onA.Concat(onB).Sum(c => c.Strays);
        var expectedStrays = 4 * WarmUpSaves + new[] { quiet.A, quiet.B, duringImport.A, duringImport.B }.Sum(p => p.Item1.Count + p.Item2.Count);
        var databaseText = database is null ? "one SQLite file (node A's folder; node B opens the same file)" : await BenchDatabase.DescribePostgreSqlAsync(database.ConnectionString) + $", {database.Where}";
        var text = new StringBuilder();
        text.AppendLine(NodesMarker(provider, "start"));
        text.AppendLine(CultureInfo.InvariantCulture, $"#### Live notifications with two nodes and Redis, on {provider} (issue 12, generated by SchoolCrm.Benchmarks --notifications --nodes 2)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `scripts/test-redis.sh dotnet run -c Release --project SchoolCrm.Benchmarks -- --notifications --nodes 2{(provider == DatabaseProvider.PostgreSql ? " --provider PostgreSql --postgres \"Host=127.0.0.1;Port=...;Username=postgres\"" : "")}`.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Summary}. Load average at the start: {loadAtStart}; at the end: {MachineInfo.LoadAverage()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Two nodes of the real app (Program.cs, Production settings, `School:NodeName` bench-a and bench-b) on Kestrel at 127.0.0.1 in this one process, on {databaseText}, with the Redis backplane (`Redis:Configuration`, redis-server on 127.0.0.1, a channel prefix of this run). {operators} operators each signed in through both nodes' sign-in forms: one SignalR .NET client over WebSockets on node A and one on node B.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Every save goes through node A's `TaskService.CreateAsync`, one at a time, at most one every {interval.TotalMilliseconds:F0} ms, in turns: one timed to the operator's client on node A (the one-node path, backplane on), the next to the client on node B (via Redis). The bare hub signal is sent through node A's hub context to the same client. {WarmUpSaves} warm-up turns first. Signals that reached a client that was not waiting for one: {strays}, expected {expectedStrays} (each timed signal, save or bare, also reaches the same operator's client on the other node, which waits for none then; more would mean a signal delivered twice or to someone else).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- The import: the generated {ImportRows:N0}-row file through node A's `LeadImportService` while the turns go on; it ended {importState} after {importSeconds:F1} s.");
        text.AppendLine();
        text.AppendLine(TableHead);
        text.AppendLine(Row("Quiet: operators on node A, saves through node A", quiet.A.Item1, withTarget: true));
        text.AppendLine(Row("Quiet: operators on **node B**, saves through node A", quiet.B.Item1, withTarget: true));
        text.AppendLine(Row("Baseline: a bare hub signal from node A to the client on node A", quiet.A.Item2, withTarget: false));
        text.AppendLine(Row("Baseline: a bare hub signal from node A to the client on node B (via Redis)", quiet.B.Item2, withTarget: false));
        text.AppendLine(Row($"During the {ImportRows / 1000}k-row import on node A: operators on node A", duringImport.A.Item1, withTarget: true));
        text.AppendLine(Row($"During the import: operators on **node B**", duringImport.B.Item1, withTarget: true));
        text.AppendLine(Row("Baseline during the import: bare signal to node A's client", duringImport.A.Item2, withTarget: false));
        text.AppendLine(Row("Baseline during the import: bare signal to node B's client", duringImport.B.Item2, withTarget: false));
        text.AppendLine();
        text.AppendLine(NodesMarker(provider, "end"));
        Report.WriteInto(output, text.ToString(), NodesMarker(provider, "start"), NodesMarker(provider, "end"));
        Console.WriteLine($"Wrote {output}");
    }

    private static string Document(MachineInfo machine, int operators, TimeSpan interval, (Latencies Saves, Latencies Baseline) quiet, (Latencies Saves, Latencies Baseline) duringImport, string importState,
        double importSeconds, int strays, string loadAtStart, string loadAtEnd)
    {
        var text = new StringBuilder();
        text.AppendLine(StartMarker);
        text.AppendLine("### Live notifications: save-to-receipt latency (issue 11, generated by SchoolCrm.Benchmarks --notifications)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project SchoolCrm.Benchmarks -- --notifications`.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Summary}. Load average at the start: {loadAtStart}; at the end: {loadAtEnd}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- The real app (Program.cs, Production settings, SQLite file) on Kestrel at 127.0.0.1; {operators} operators signed in through the sign-in form, each a SignalR .NET client over WebSockets with that cookie; all in one process on the same cores.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- One save at a time, at most one every {interval.TotalMilliseconds:F0} ms: an admin creates a task with \"immediate notification\" for the next operator through `TaskService.CreateAsync` (its transaction, the stored notification, then the hub's signal); the time runs from the start of the save until that operator's client has the signal. A lost signal would count as 10 s.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- {WarmUpSaves} warm-up saves first. Signals that reached a client they were not meant for: {strays}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- The import: the import benchmark's generated {ImportRows:N0}-row file through `LeadImportService` (upload, preview, start; the app's import worker runs the job) while the saves go on; it ended {importState} after {importSeconds:F1} s from its start.");
        text.AppendLine();
        text.AppendLine(TableHead);
        text.AppendLine(Row($"{operators} operators connected, nothing else running", quiet.Saves, withTarget: true));
        text.AppendLine(Row("Baseline: a bare hub signal to the same client (no save)", quiet.Baseline, withTarget: false));
        text.AppendLine(Row($"The same while the {ImportRows / 1000}k-row import runs", duringImport.Saves, withTarget: true));
        text.AppendLine(Row("Baseline during the import: a bare hub signal", duringImport.Baseline, withTarget: false));
        text.AppendLine();
        text.AppendLine(EndMarker);
        return text.ToString();
    }

    private const string TableHead = "| Scenario | Signals | p50 ms | p95 ms | p99 ms | max ms | Target | |\n|---|---:|---:|---:|---:|---:|---|---|";

    /// <summary>The import benchmark's generated file (made once, kept under the temp folder).</summary>
    private static string ImportFile()
    {
        var importFile = Path.Combine(Path.GetTempPath(), "schoolcrm-import-benchmark", $"leads-{ImportRows}.xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(importFile)!);
        Files.Generate(importFile, ImportRows);
        return importFile;
    }

    private static string Row(string name, Latencies l, bool withTarget)
    {
        var met = l.P95 <= 100 && l.P99 <= 250 && l.Lost == 0;
        var target = withTarget ? "p95 ≤ 100, p99 ≤ 250" : "";
        var verdict = withTarget ? (met ? "met" : "**missed**") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {l.Count}{(l.Lost > 0 ? $" ({l.Lost} lost)" : "")} | {l.P50:F1} | {l.P95:F1} | {l.P99:F1} | {l.Max:F1} | {target} | {verdict} |");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>Latencies of one scenario in milliseconds, with the percentiles the issue sets targets for.</summary>
    private sealed record Latencies(int Count, int Lost, double P50, double P95, double P99, double Max)
    {
        public static Latencies Of(List<double> ms, int lost)
        {
            if (ms.Count == 0)
            {
                return new Latencies(0, lost, double.NaN, double.NaN, double.NaN, double.NaN);
            }

            var sorted = ms.Order().ToArray();
            double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            return new Latencies(sorted.Length, lost, At(0.50), At(0.95), At(0.99), sorted[^1]);
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Count} saves, {Lost} lost, p50 {P50:F1} ms, p95 {P95:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms");
    }

    /// <summary>
    /// Saves tasks one at a time, round robin over the operators, and waits for each receipt. After each save the same
    /// client gets a bare hub signal (no save, no database) as the baseline of the same moment: what the transport alone costs.
    /// </summary>
    private sealed class Saver(BenchApp app, AppUser admin, int typeId, List<OperatorClient> clients, TimeSpan interval, int firstOperator = 0)
    {
        private int next = firstOperator;

        public async Task<(Latencies Saves, Latencies Baseline)> RunAsync(int maxSaves, Func<bool> goOn)
        {
            var timings = (new Timings(), new Timings());
            for (int i = 0; i < maxSaves && goOn(); i++)
            {
                await StepAsync(timings);
            }

            return (timings.Item1.Latencies(), timings.Item2.Latencies());
        }

        /// <summary>One save to the next operator, then a bare hub signal to the same client.</summary>
        public async Task StepAsync((Timings Saves, Timings Baseline) timings)
        {
            var client = clients[next % clients.Count];
            var i = next++;
            var hub = app.Services.GetRequiredService<IHubContext<NotificationHub>>();
            await timings.Saves.TimeAsync(client, interval, () => app.TasksAsync(admin, t => t.CreateAsync(new TaskInput(null, client.UserId, typeId, "Call back " + i, null,
                new DateOnly(2027, 1, 15), new TimeOnly(10, 0), NotifyAssignee: true, TaskReminder.None))));
            await timings.Baseline.TimeAsync(client, interval, () => hub.Clients.User(client.UserId)
                .SendAsync(NotificationHub.ReceiveMethod, new NotificationSignal(0, false)));
        }
    }

    private sealed class Timings
    {
        private readonly List<double> ms = [];
        private int lost;

        public async Task TimeAsync(OperatorClient client, TimeSpan interval, Func<Task> send)
        {
            var receipt = client.Expect();
            var started = Stopwatch.GetTimestamp();
            await send();
            try
            {
                var received = await receipt.WaitAsync(ReceiptTimeout);
                ms.Add(Stopwatch.GetElapsedTime(started, received).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                lost++;
                ms.Add(ReceiptTimeout.TotalMilliseconds);
                client.Forget();
            }

            var rest = interval - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }

        public Latencies Latencies() => NotificationBench.Latencies.Of(ms, lost);
    }

    /// <summary>One operator's signed-in hub connection; <see cref="Expect"/> arms it for the next signal.</summary>
    private sealed class OperatorClient : IAsyncDisposable
    {
        private readonly HubConnection connection;
        private TaskCompletionSource<long>? expected;

        private OperatorClient(string userId, HubConnection connection)
        {
            UserId = userId;
            this.connection = connection;
            connection.On<NotificationSignal>(NotificationHub.ReceiveMethod, _ =>
            {
                var now = Stopwatch.GetTimestamp();
                if (Interlocked.Exchange(ref expected, null) is { } waiting)
                {
                    waiting.TrySetResult(now);
                }
                else
                {
                    Interlocked.Increment(ref strays);
                }
            });
        }

        private int strays;

        public string UserId { get; }

        /// <summary>Signals this client got while it expected none (another operator's, or one twice).</summary>
        public int Strays => strays;

        public static async Task<OperatorClient> ConnectAsync(string baseAddress, AppUser user)
        {
            var cookies = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(baseAddress) };
            var form = await http.GetStringAsync("/account/login");
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(form).Groups[1].Value),
                ["Input.Email"] = user.Email!,
                ["Input.Password"] = Password,
            });
            using var response = await http.PostAsync("/account/login", content);
            var cookie = cookies.GetCookies(new Uri(baseAddress))["SchoolCrm.Auth"]
                ?? throw new InvalidOperationException($"Signing in as {user.Email} gave no cookie ({(int)response.StatusCode})");

            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(baseAddress), NotificationHub.Path), options =>
                {
                    options.Transports = HttpTransportType.WebSockets;
                    options.SkipNegotiation = true;
                    options.Headers["Cookie"] = $"{cookie.Name}={cookie.Value}";
                })
                .Build();
            var client = new OperatorClient(user.Id, connection);
            await connection.StartAsync();
            return client;
        }

        public Task<long> Expect()
        {
            var waiting = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            expected = waiting;
            return waiting.Task;
        }

        public void Forget() => expected = null;

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    /// <summary>The real app on Kestrel at 127.0.0.1 (a free port), with its own data folder and SQLite file.</summary>
    // Any type of the Web assembly names its entry point; this project's own Program would shadow the app's.
    private sealed class BenchApp(BenchDatabase? database, string? redis, string nodeName) : WebApplicationFactory<NotificationHub>
    {
        private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "schoolcrm-notification-benchmark", Guid.NewGuid().ToString("N"));

        /// <summary>The database this node runs on: the one given, or a SQLite file of its own in its data folder.</summary>
        public BenchDatabase Database => database ?? BenchDatabase.Sqlite(Path.Combine(dataFolder, "crm.db"));

        public string Start()
        {
            Directory.CreateDirectory(dataFolder);
            UseKestrel(0);
            StartServer();
            return ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var settings = Database.Settings();
            settings[CrmNode.Setting] = nodeName;
            if (redis is not null)
            {
                settings[SeveralNodes.RedisSetting] = redis;
            }

            foreach (var (key, value) in new Dictionary<string, string?>
            {
                ["School:DataFolder"] = dataFolder,
                ["Bootstrap:AdminEmail"] = AdminEmail,
                ["Bootstrap:AdminPassword"] = Password,
                ["Urls"] = "http://127.0.0.1:0",
                // Logging stays as in appsettings.json (Information, console and file): its cost is part of the app's.
                // Fifty sign-ins from one address in a row.
                ["SignInRateLimit:Attempts"] = "1000",
            })
            {
                settings[key] = value;
            }

            builder.UseEnvironment("Production");
            builder.UseContentRoot(AppContext.BaseDirectory);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        }

        public async Task<AppUser> FindUserAsync(string email)
        {
            await using var scope = Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            return await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("No user " + email);
        }

        public async Task<AppUser> NewOperatorAsync(string email, string name)
        {
            await using var scope = Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, LockoutEnabled = true };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded || !(await users.AddToRoleAsync(user, Roles.Operator)).Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }

            return user;
        }

        public async Task<int> FirstTaskTypeIdAsync()
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
            return await db.TaskTypes.OrderBy(t => t.SortOrder).Select(t => t.Id).FirstAsync();
        }

        public async Task TasksAsync(AppUser user, Func<TaskService, Task> action)
        {
            await using var scope = AsAdmin(user);
            await action(scope.ServiceProvider.GetRequiredService<TaskService>());
        }

        /// <summary>
        /// Uploads, previews and starts the import as the admin does on the page; the returned task ends with the
        /// import's outcome once the app's import worker has finished it.
        /// </summary>
        public async Task<Task<string>> StartImportAsync(AppUser admin, string file)
        {
            await using var scope = AsAdmin(admin);
            var imports = scope.ServiceProvider.GetRequiredService<LeadImportService>();
            UploadSummary upload;
            await using (var content = File.OpenRead(file))
            {
                upload = await imports.UploadAsync(content, Path.GetFileName(file), CancellationToken.None);
            }

            var settings = new ImportSettings([.. upload.Columns.Select(c => c.TargetKey)]);
            var preview = await imports.PreviewAsync(upload.UploadId, settings, CancellationToken.None);
            if (!preview.CanImport)
            {
                throw new InvalidOperationException("The generated file cannot be imported");
            }

            var importId = await imports.StartAsync(upload.UploadId, settings);
            return WaitForImportAsync(admin, importId);
        }

        private async Task<string> WaitForImportAsync(AppUser admin, int importId)
        {
            while (true)
            {
                await Task.Delay(200);
                await using var scope = AsAdmin(admin);
                var status = await scope.ServiceProvider.GetRequiredService<LeadImportService>().GetStatusAsync(importId);
                if (status?.Outcome is { } outcome)
                {
                    return outcome.ToString();
                }
            }
        }

        // The scope's circuit user is the admin, as in a signed-in page (the app's provider accepts a host-set state).
        private AsyncServiceScope AsAdmin(AppUser user)
        {
            var scope = Services.CreateAsyncScope();
            var claims = new[]
            {
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Name, user.UserName ?? user.Id),
                new Claim(ClaimTypes.Role, Roles.Admin),
            };
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Benchmark"));
            ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
                .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
            return scope;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            BenchDatabase.ClearPools();
            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover folder under the temp path is harmless.
            }
        }
    }
}
