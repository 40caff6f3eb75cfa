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
using Microsoft.Data.Sqlite;
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
/// </summary>
internal static partial class NotificationBench
{
    private const string StartMarker = "<!-- notification-latency-benchmark:start -->";
    private const string EndMarker = "<!-- notification-latency-benchmark:end -->";
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
        var importFile = Path.Combine(Path.GetTempPath(), "schoolcrm-import-benchmark", $"leads-{ImportRows}.xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(importFile)!);
        Files.Generate(importFile, ImportRows);

        await using var app = new BenchApp();
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
        text.AppendLine("| Scenario | Signals | p50 ms | p95 ms | p99 ms | max ms | Target | |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|---|");
        text.AppendLine(Row($"{operators} operators connected, nothing else running", quiet.Saves, withTarget: true));
        text.AppendLine(Row("Baseline: a bare hub signal to the same client (no save)", quiet.Baseline, withTarget: false));
        text.AppendLine(Row($"The same while the {ImportRows / 1000}k-row import runs", duringImport.Saves, withTarget: true));
        text.AppendLine(Row("Baseline during the import: a bare hub signal", duringImport.Baseline, withTarget: false));
        text.AppendLine();
        text.AppendLine(EndMarker);
        return text.ToString();
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
    private sealed class Saver(BenchApp app, AppUser admin, int typeId, List<OperatorClient> clients, TimeSpan interval)
    {
        private int next;

        public async Task<(Latencies Saves, Latencies Baseline)> RunAsync(int maxSaves, Func<bool> goOn)
        {
            var saves = new Timings();
            var baseline = new Timings();
            var hub = app.Services.GetRequiredService<IHubContext<NotificationHub>>();
            for (int i = 0; i < maxSaves && goOn(); i++)
            {
                var client = clients[next++ % clients.Count];
                await saves.TimeAsync(client, interval, () => app.TasksAsync(admin, t => t.CreateAsync(new TaskInput(null, client.UserId, typeId, "Call back " + i, null,
                    new DateOnly(2027, 1, 15), new TimeOnly(10, 0), NotifyAssignee: true, TaskReminder.None))));
                await baseline.TimeAsync(client, interval, () => hub.Clients.User(client.UserId)
                    .SendAsync(NotificationHub.ReceiveMethod, new NotificationSignal(0, false)));
            }

            return (saves.Latencies(), baseline.Latencies());
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
    private sealed class BenchApp : WebApplicationFactory<NotificationHub>
    {
        private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "schoolcrm-notification-benchmark", Guid.NewGuid().ToString("N"));

        public string Start()
        {
            Directory.CreateDirectory(dataFolder);
            UseKestrel(0);
            StartServer();
            return ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Crm"] = $"Data Source={Path.Combine(dataFolder, "crm.db")}",
                ["School:DataFolder"] = dataFolder,
                ["Bootstrap:AdminEmail"] = AdminEmail,
                ["Bootstrap:AdminPassword"] = Password,
                ["Urls"] = "http://127.0.0.1:0",
                // Logging stays as in appsettings.json (Information, console and file): its cost is part of the app's.
                // Fifty sign-ins from one address in a row.
                ["SignInRateLimit:Attempts"] = "1000",
            };
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
            SqliteConnection.ClearAllPools();
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
